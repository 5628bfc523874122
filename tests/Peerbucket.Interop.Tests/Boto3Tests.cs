namespace Peerbucket.Interop.Tests;

/// <summary>
/// The boto3 script, run once by every distinct boto3 installation here: Debian's 1.26 (/usr/bin/python3, which test.sh
/// installs) and the current one of python3 on PATH (a pyenv Python on the project's machine). Where python3 on PATH is
/// Debian's own, both names import the same boto3 and the script runs once, not twice.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class Boto3Tests(ServerFixture fixture) : IDisposable
{
    private const string Script = """
        import hashlib, os, random, sys
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config
        from botocore.exceptions import ClientError

        endpoint, bucket, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
        s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                          config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))

        def check(condition, message):
            if not condition:
                print('FAILED: ' + message, file=sys.stderr)
                sys.exit(1)

        s3.create_bucket(Bucket=bucket)
        rng = random.Random(301)
        small = bytes(rng.getrandbits(8) for _ in range(10000))
        put = s3.put_object(Bucket=bucket, Key='dir/small.bin', Body=small, ContentType='application/x-small', Metadata={'k': 'v'})
        check(put['ETag'] == '"%s"' % hashlib.md5(small).hexdigest(), 'put ETag is the MD5: %r' % put['ETag'])

        got = s3.get_object(Bucket=bucket, Key='dir/small.bin')
        check(got['Body'].read() == small, 'get returns the bytes put')
        check(got['ContentType'] == 'application/x-small', 'content type: %r' % got['ContentType'])
        check(got['Metadata'] == {'k': 'v'}, 'metadata: %r' % got['Metadata'])

        ranged = s3.get_object(Bucket=bucket, Key='dir/small.bin', Range='bytes=10-99')
        check(ranged['ResponseMetadata']['HTTPStatusCode'] == 206, 'range status %r' % ranged['ResponseMetadata']['HTTPStatusCode'])
        check(ranged['Body'].read() == small[10:100], 'range bytes')

        big_path = os.path.join(workdir, 'big.bin')
        big = rng.randbytes(12 * 1024 * 1024)
        with open(big_path, 'wb') as f:
            f.write(big)
        config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=2)
        s3.upload_file(big_path, bucket, 'dir/big.bin', Config=config)
        head = s3.head_object(Bucket=bucket, Key='dir/big.bin')
        check(head['ContentLength'] == len(big), 'multipart length %r' % head['ContentLength'])
        check(head['ETag'].endswith('-3"'), 'multipart ETag has 3 parts: %r' % head['ETag'])
        down_path = os.path.join(workdir, 'big.down')
        s3.download_file(bucket, 'dir/big.bin', down_path, Config=config)
        with open(down_path, 'rb') as f:
            check(f.read() == big, 'multipart download bytes')

        s3.copy_object(Bucket=bucket, Key='copy/small.bin', CopySource={'Bucket': bucket, 'Key': 'dir/small.bin'})
        check(s3.get_object(Bucket=bucket, Key='copy/small.bin')['Body'].read() == small, 'copy bytes')

        listed = s3.list_objects_v2(Bucket=bucket, Prefix='dir/')
        check([o['Key'] for o in listed['Contents']] == ['dir/big.bin', 'dir/small.bin'], 'list v2 keys %r' % listed.get('Contents'))
        grouped = s3.list_objects_v2(Bucket=bucket, Delimiter='/')
        check([p['Prefix'] for p in grouped['CommonPrefixes']] == ['copy/', 'dir/'], 'common prefixes %r' % grouped.get('CommonPrefixes'))
        paged = s3.list_objects_v2(Bucket=bucket, MaxKeys=1)
        check(paged['IsTruncated'] and paged['KeyCount'] == 1, 'MaxKeys=1 truncates')
        rest = s3.list_objects_v2(Bucket=bucket, ContinuationToken=paged['NextContinuationToken'])
        check([o['Key'] for o in paged['Contents'] + rest['Contents']] == ['copy/small.bin', 'dir/big.bin', 'dir/small.bin'], 'pages')

        deleted = s3.delete_objects(Bucket=bucket, Delete={'Objects': [{'Key': 'dir/big.bin'}, {'Key': 'copy/small.bin'}]})
        check(sorted(d['Key'] for d in deleted['Deleted']) == ['copy/small.bin', 'dir/big.bin'], 'delete_objects %r' % deleted)
        s3.delete_object(Bucket=bucket, Key='dir/small.bin')
        check(s3.list_objects_v2(Bucket=bucket)['KeyCount'] == 0, 'bucket empty')
        try:
            s3.head_object(Bucket=bucket, Key='dir/small.bin')
            check(False, 'head of deleted key succeeded')
        except ClientError as e:
            check(e.response['Error']['Code'] in ('404', 'NoSuchKey'), 'head of deleted key: %r' % e.response['Error'])
        s3.delete_bucket(Bucket=bucket)
        print('boto3 %s ok' % boto3.__version__)
        """;

    /// <summary>Keys XML 1.0 cannot carry. boto3 lists with encoding-type=url unless told otherwise (its expat parser
    /// refuses the character references S3 otherwise answers with), so that is the path it takes here.</summary>
    private const string ControlKeysScript = """
        import sys
        import boto3
        from botocore.config import Config

        endpoint, bucket = sys.argv[1], sys.argv[2]
        s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                          config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
        keys = sorted(['a\x0fb', 'ctl/\x01\x1f', 'cr\rlf\n', 'ff\ufffe'], key=lambda k: k.encode('utf-8'))
        s3.create_bucket(Bucket=bucket)
        for key in keys:
            s3.put_object(Bucket=bucket, Key=key, Body=key.encode('utf-8'))
        listings = {
            'v2': [o['Key'] for o in s3.list_objects_v2(Bucket=bucket)['Contents']],
            'v1': [o['Key'] for o in s3.list_objects(Bucket=bucket)['Contents']],
            'versions': [v['Key'] for v in s3.list_object_versions(Bucket=bucket)['Versions']],
        }
        for name, listed in listings.items():
            if listed != keys:
                print('FAILED: %s lists %r, not %r' % (name, listed, keys), file=sys.stderr)
                sys.exit(1)
        for key in keys:
            if s3.get_object(Bucket=bucket, Key=key)['Body'].read() != key.encode('utf-8'):
                print('FAILED: get %r' % key, file=sys.stderr)
                sys.exit(1)
            s3.delete_object(Bucket=bucket, Key=key)
        s3.delete_bucket(Bucket=bucket)
        print('ok')
        """;

    /// <summary>User metadata beyond ASCII, set as ceph/s3-tests' test_object_set_get_unicode_metadata does (http.client
    /// sends the header's characters as Latin-1 bytes), and as UTF-8 bytes: each comes back as it was sent. A non-ASCII
    /// value once made every GET and HEAD of its object a 500.</summary>
    private const string UnicodeMetadataScript = """
        import sys
        import boto3
        from botocore.config import Config

        endpoint, bucket = sys.argv[1], sys.argv[2]
        s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                          config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
        s3.create_bucket(Bucket=bucket)
        values = {'latin1': 'Hello World\xe9', 'utf8': 'caf\u00e9 \u65e5'.encode('utf-8').decode('latin-1')}
        for key, value in values.items():
            def set_meta(params, **kwargs):
                params['headers']['x-amz-meta-meta1'] = value
            s3.meta.events.register('before-call.s3.PutObject', set_meta, unique_id='meta')
            s3.put_object(Bucket=bucket, Key=key, Body=b'bar')
            s3.meta.events.unregister('before-call.s3.PutObject', unique_id='meta')
            got = s3.get_object(Bucket=bucket, Key=key)['Metadata'].get('meta1')
            head = s3.head_object(Bucket=bucket, Key=key)['Metadata'].get('meta1')
            if got != value or head != value:
                print('FAILED: %s: get %r, head %r, not %r' % (key, got, head, value), file=sys.stderr)
                sys.exit(1)
        print('ok')
        """;

    private readonly TempDirectory work = new("pb-boto3");

    public void Dispose() => work.Dispose();

    /// <summary>(interpreter, boto3 version) for each distinct boto3 that <c>python3</c> on PATH and /usr/bin/python3
    /// import, told apart by the file the module is loaded from.</summary>
    public static TheoryData<string, string> Boto3Installations()
    {
        var installations = new TheoryData<string, string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var python in (string[])["/usr/bin/python3", "python3"])
        {
            if (ToolPaths.FindExecutable(python) is null)
            {
                continue;
            }

            var probe = Tool.Run(python, ["-c", "import os, sys, boto3; print(sys.executable); print(boto3.__version__); print(os.path.realpath(boto3.__file__))"],
                timeout: TimeSpan.FromSeconds(60));
            var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (probe.ExitCode == 0 && lines.Length == 3 && seen.Add(lines[2]))
            {
                installations.Add(lines[0], lines[1]);
            }
        }

        return installations;
    }

    [RequiresToolTheory("/usr/bin/python3:boto3")]
    [MemberData(nameof(Boto3Installations))]
    public Task PutGetRangeMultipartCopyListDelete(string python, string boto3)
    {
        Assert.False(string.IsNullOrEmpty(boto3));
        return RunScriptAsync(python, boto3);
    }

    [RequiresToolTheory("/usr/bin/python3:boto3")]
    [MemberData(nameof(Boto3Installations))]
    public async Task KeysWithControlCharactersListGetAndDelete(string python, string boto3)
    {
        Assert.False(string.IsNullOrEmpty(boto3));
        var script = Files.Write(work.Combine("control_keys.py"), System.Text.Encoding.UTF8.GetBytes(ControlKeysScript));
        var result = await Tool.RunCheckedAsync(python, [script, fixture.Endpoint, fixture.NewBucketName("boto3-ctl")],
            ToolEnvironment.ForS3(fixture.Server, work.Path));
        Assert.Equal("ok", result.Stdout.Trim());
    }

    /// <summary>boto3's generate_presigned_post (a SigV4 POST policy, what a web app hands a browser) posted as the
    /// form it describes: the file is stored with the form's fields; a file over the policy's size range, a form whose
    /// key breaks the policy and one whose signature is wrong store nothing.</summary>
    private const string PresignedPostScript = """
        import sys
        import boto3, urllib3
        from botocore.config import Config

        endpoint, base = sys.argv[1], sys.argv[2]
        http = urllib3.PoolManager()
        # boto3's default signs a POST policy with Signature Version 2 (signature, AWSAccessKeyId); s3v4 with Version 4.
        for version in ('s3', 's3v4'):
            bucket = base + '-' + version.replace('3', '')
            s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                              config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}, signature_version=version))
            s3.create_bucket(Bucket=bucket)
            post = s3.generate_presigned_post(bucket, 'uploads/${filename}',
                Fields={'Content-Type': 'text/plain', 'x-amz-meta-from': 'browser'},
                Conditions=[['starts-with', '$key', 'uploads/'], {'Content-Type': 'text/plain'}, {'x-amz-meta-from': 'browser'},
                            ['content-length-range', 1, 1000]],
                ExpiresIn=600)
            signature = 'x-amz-signature' if 'x-amz-signature' in post['fields'] else 'signature'
            if (signature == 'signature') != (version == 's3'):
                print('FAILED: %s signed with %r' % (version, sorted(post['fields'])), file=sys.stderr); sys.exit(1)

            def send(fields, name, data):
                return http.request('POST', post['url'], fields=list(fields.items()) + [('file', (name, data))])

            ok = send(post['fields'], 'hello.txt', b'posted from a form')
            if ok.status != 204:
                print('FAILED: %s post answered %d %r' % (version, ok.status, ok.data), file=sys.stderr); sys.exit(1)
            got = s3.get_object(Bucket=bucket, Key='uploads/hello.txt')
            if got['Body'].read() != b'posted from a form' or got['ContentType'] != 'text/plain' or got['Metadata'] != {'from': 'browser'}:
                print('FAILED: stored object %r' % got, file=sys.stderr); sys.exit(1)
            too_big = send(post['fields'], 'big.txt', b'x' * 1001)
            other_key = send(dict(post['fields'], key='elsewhere/a.txt'), 'a.txt', b'x')
            forged = send(dict(post['fields'], **{signature: 'AAAA' + post['fields'][signature][4:]}), 'forged.txt', b'x')
            statuses = (too_big.status, other_key.status, forged.status)
            if statuses != (400, 403, 403) or b'EntityTooLarge' not in too_big.data or b'SignatureDoesNotMatch' not in forged.data:
                print('FAILED: %s refusals %r %r' % (version, statuses, forged.data), file=sys.stderr); sys.exit(1)
            keys = [o['Key'] for o in s3.list_objects_v2(Bucket=bucket).get('Contents', [])]
            if keys != ['uploads/hello.txt']:
                print('FAILED: keys %r' % keys, file=sys.stderr); sys.exit(1)
        print('ok')
        """;

    [RequiresToolTheory("/usr/bin/python3:boto3")]
    [MemberData(nameof(Boto3Installations))]
    public async Task APresignedPostFormUploadsWhatItsPolicyAllowsAndNothingElse(string python, string boto3)
    {
        Assert.False(string.IsNullOrEmpty(boto3));
        var script = Files.Write(work.Combine("presigned_post.py"), System.Text.Encoding.UTF8.GetBytes(PresignedPostScript));
        var result = await Tool.RunCheckedAsync(python, [script, fixture.Endpoint, fixture.NewBucketName("boto3-post")],
            ToolEnvironment.ForS3(fixture.Server, work.Path));
        Assert.Equal("ok", result.Stdout.Trim());
    }

    [RequiresToolTheory("/usr/bin/python3:boto3")]
    [MemberData(nameof(Boto3Installations))]
    public async Task NonAsciiUserMetadataComesBackAsItWasSent(string python, string boto3)
    {
        Assert.False(string.IsNullOrEmpty(boto3));
        var script = Files.Write(work.Combine("unicode_meta.py"), System.Text.Encoding.UTF8.GetBytes(UnicodeMetadataScript));
        var result = await Tool.RunCheckedAsync(python, [script, fixture.Endpoint, fixture.NewBucketName("boto3-meta")],
            ToolEnvironment.ForS3(fixture.Server, work.Path));
        Assert.Equal("ok", result.Stdout.Trim());
    }

    private async Task RunScriptAsync(string python, string boto3)
    {
        var script = Files.Write(work.Combine("s3_check.py"), System.Text.Encoding.UTF8.GetBytes(Script));
        var result = await Tool.RunCheckedAsync(python, [script, fixture.Endpoint, fixture.NewBucketName("boto3"), work.Path],
            ToolEnvironment.ForS3(fixture.Server, work.Path));
        Assert.Equal($"boto3 {boto3} ok", result.Stdout.Trim());
    }
}
