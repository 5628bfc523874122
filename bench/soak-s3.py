"""S3 clients for the soak (bench/12-soak.sh): WORKERS threads, each its own botocore client (no retries), doing
PUT / GET / LIST in a loop until DEADLINE (unix seconds), and a final check that every acknowledged object reads back.

usage: python3 soak-s3.py ENDPOINT BUCKET WORKERS DEADLINE JOURNAL [--verify]
Each worker writes keys w<worker>/<n> (1 to 64 KiB, random bytes), overwrites one of its own now and then, reads one
of its own acknowledged keys back and compares the MD5, and lists its prefix every tenth step. An object counts as
acknowledged once its PUT answered 200: then its key and MD5 are appended to JOURNAL (flushed at once), so a
kill -9 of the server cannot lose the record. Errors are printed as JSON lines {"t", "op", "error"} on stderr (the
shell script tells the restart window apart); one JSON summary line goes to stdout.
A PUT that failed is journalled as "KEY ?": the key may then hold either version, and is not checked.
--verify: no load; reads every key of JOURNAL (its last record wins) and prints {"acknowledged", "lost", "wrong"}.
"""
import hashlib
import json
import os
import random
import sys
import threading
import time

import botocore.session
from botocore.config import Config


def client(endpoint):
    return botocore.session.get_session().create_client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="bench", aws_secret_access_key="benchsecret",
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                      retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                      max_pool_connections=2))


def verify(endpoint, bucket, journal):
    expected = {}
    with open(journal) as f:
        for line in f:
            key, md5 = line.split()
            expected[key] = md5
    s3 = client(endpoint)
    lost, wrong = [], []
    unknown = [key for key, md5 in expected.items() if md5 == "?"]
    for key in unknown:
        del expected[key]
    for key, md5 in expected.items():
        try:
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except Exception as error:  # noqa: BLE001 - any failure to read back is a loss
            lost.append(f"{key}: {type(error).__name__}")
            continue
        if hashlib.md5(body).hexdigest() != md5:
            wrong.append(key)
    print(json.dumps({"acknowledged": len(expected), "unacknowledged_overwrites": len(unknown), "lost": len(lost), "wrong": len(wrong), "examples": (lost + wrong)[:5]}))


def main():
    endpoint, bucket, workers, deadline, journal = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    if "--verify" in sys.argv:
        verify(endpoint, bucket, journal)
        return
    lock = threading.Lock()
    counts = {"put": 0, "get": 0, "list": 0, "errors": 0, "mismatch": 0}
    out = open(journal, "a", buffering=1)

    def fail(op, error):
        line = json.dumps({"t": round(time.time(), 3), "op": op, "error": f"{type(error).__name__}: {str(error)[:160]}"})
        with lock:  # one line per error: threads printing at once would interleave
            counts["errors"] += 1
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def work(w):
        s3 = client(endpoint)
        mine = {}  # key -> md5 of what the store acknowledged
        rng = random.Random(w)
        step = 0
        while time.time() < deadline:
            step += 1
            key = f"w{w}/{rng.choice(list(mine))}" if mine and rng.random() < 0.2 else f"w{w}/{step}"
            body = os.urandom(rng.randint(1, 64) * 1024)
            try:
                s3.put_object(Bucket=bucket, Key=key, Body=body)
                md5 = hashlib.md5(body).hexdigest()
                mine[key.split("/", 1)[1]] = md5
                with lock:
                    counts["put"] += 1
                    out.write(f"{key} {md5}\n")
            except Exception as error:  # noqa: BLE001
                # Not acknowledged: the key may hold the old bytes or these; neither may be checked any more.
                mine.pop(key.split("/", 1)[1], None)
                with lock:
                    out.write(f"{key} ?\n")
                fail("put", error)
                time.sleep(0.2)
                continue
            if mine:
                name = rng.choice(list(mine))
                try:
                    got = s3.get_object(Bucket=bucket, Key=f"w{w}/{name}")["Body"].read()
                    with lock:
                        counts["get"] += 1
                        if hashlib.md5(got).hexdigest() != mine[name]:
                            counts["mismatch"] += 1
                except Exception as error:  # noqa: BLE001
                    fail("get", error)
            if step % 10 == 0:
                try:
                    s3.list_objects_v2(Bucket=bucket, Prefix=f"w{w}/", MaxKeys=100)
                    with lock:
                        counts["list"] += 1
                except Exception as error:  # noqa: BLE001
                    fail("list", error)

    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
