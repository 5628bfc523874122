"""Print N presigned PutObject URLs (SigV4 query auth, UNSIGNED-PAYLOAD), one per line, as paths.

usage: python3 presign.py ENDPOINT BUCKET PREFIX N [ACL]
The URLs are precomputed so the load generator (wrk) spends nothing on signing; each URL may be reused
until it expires (15 min), so wrk cycles over them and every PUT after the first N overwrites a key.
"""
import sys
from urllib.parse import urlsplit

import botocore.session
from botocore.config import Config

endpoint, bucket, prefix, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
acl = sys.argv[5] if len(sys.argv) > 5 else None
client = botocore.session.get_session().create_client(
    "s3", endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="bench", aws_secret_access_key="benchsecret",
    config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
for i in range(n):
    params = {"Bucket": bucket, "Key": f"{prefix}{i}"}
    if acl:
        params["ACL"] = acl
    url = client.generate_presigned_url("put_object", Params=params, ExpiresIn=900)
    parts = urlsplit(url)
    print(parts.path + "?" + parts.query)
