using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>Awkward keys round-trip byte for byte through the .NET SDK and the aws cli; a key over 1024 bytes is refused.</summary>
[Collection(ServerCollection.Name)]
public sealed class KeyEncodingTests(ServerFixture fixture) : IDisposable
{
    private static readonly string[] Keys =
    [
        "with space.txt",
        "plus+sign+.txt",
        "percent%20literal%25%.txt",
        "unicode/ünïcødé/日本語/😀.txt",
        "double//slash///x",
        "query?and=amp&hash#.txt",
        "tilde~star*quote'paren(1).txt",
        "long/" + new string('k', 1019),
        "multibyte/" + string.Concat(Enumerable.Repeat("é", 507)),
    ];

    /// <summary>
    /// AWSSDK.S3 4.1 puts "/bucket/leading-slash" on the wire for key "/leading-slash" but signs "/bucket//leading-slash"
    /// (a client quirk: SignatureDoesNotMatch on any server), so that key is exercised through the aws cli only.
    /// </summary>
    private static readonly string[] CliKeys = [.. Keys, "/leading-slash"];

    private readonly TempDirectory home = new("pb-keys");

    public void Dispose() => home.Dispose();

    [Fact]
    public void KeySetIsWhatItClaims()
    {
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(Keys[7]));
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(Keys[8]));
    }

    [Fact]
    public async Task AwkwardKeysRoundTripThroughDotnetSdk()
    {
        var bucket = fixture.NewBucketName("keys-sdk");
        using var client = fixture.CreateClient();
        await client.PutBucketAsync(bucket);
        var failures = new List<string>();
        foreach (var key in Keys)
        {
            try
            {
                await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body:" + key });
            }
            catch (AmazonS3Exception e)
            {
                failures.Add($"PutObject {Shorten(key)}: {e.ErrorCode} ({(int)e.StatusCode})");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var listed = await ListAllKeysAsync(client, bucket);
        Assert.Equal(Keys.OrderBy(k => Encoding.UTF8.GetBytes(k), ByteOrder.Instance), listed);
        foreach (var key in Keys)
        {
            using var get = await client.GetObjectAsync(bucket, key);
            using var reader = new StreamReader(get.ResponseStream, Encoding.UTF8);
            Assert.Equal("body:" + key, await reader.ReadToEndAsync());
        }

        var v1 = await client.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Prefix = "unicode/" });
        Assert.Equal([Keys[3]], (v1.S3Objects ?? []).Select(o => o.Key));
    }

    /// <summary>Keys holding characters XML 1.0 cannot carry (S3 stores them; its listings without encoding-type=url
    /// return them as character references, which the SDK reads).</summary>
    private static readonly string[] ControlKeys = ["a\u000fb", "ctl/\u0001\u001f", "cr\rlf\ncrlf\r\n", "ff\uFFFE\uFFFF"];

    [Fact]
    public async Task KeysWithControlCharactersListThroughDotnetSdkWithoutEncodingType()
    {
        var bucket = fixture.NewBucketName("keys-ctl");
        using var client = fixture.CreateClient();
        await client.PutBucketAsync(bucket);
        foreach (var key in ControlKeys)
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body:" + key });
        }

        var expected = ControlKeys.OrderBy(k => Encoding.UTF8.GetBytes(k), ByteOrder.Instance).ToList();
        Assert.Equal(expected, await ListAllKeysAsync(client, bucket));
        var v1 = await client.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket });
        Assert.Equal(expected, (v1.S3Objects ?? []).Select(o => o.Key));
        var versions = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        Assert.Equal(expected, (versions.Versions ?? []).Select(v => v.Key));
        var grouped = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["ctl/"], grouped.CommonPrefixes ?? []);
        foreach (var key in ControlKeys)
        {
            using var get = await client.GetObjectAsync(bucket, key);
            using var reader = new StreamReader(get.ResponseStream, Encoding.UTF8);
            Assert.Equal("body:" + key, await reader.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task ListingOfAKeyWithAControlCharacterCarriesItAsACharacterReference()
    {
        var bucket = fixture.NewBucketName("keys-ctl-raw");
        using var client = fixture.CreateClient();
        await client.PutBucketAsync(bucket);
        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, $"{fixture.Endpoint}/{bucket}/a%0Fb") { Content = new ByteArrayContent("x"u8.ToArray()) };
        SigV4TestSigner.Sign(put, "x"u8.ToArray(), fixture.AccessKey, fixture.SecretKey);
        using (var response = await http.SendAsync(put))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        foreach (var query in (string[])["", "?list-type=2", "?versions"])
        {
            using var list = new HttpRequestMessage(HttpMethod.Get, $"{fixture.Endpoint}/{bucket}{query}");
            SigV4TestSigner.Sign(list, [], fixture.AccessKey, fixture.SecretKey);
            using var response = await http.SendAsync(list);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"GET /{bucket}{query}: {(int)response.StatusCode} {text}");
            Assert.Contains("<Key>a&#xF;b</Key>", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KeyOf1025BytesIsKeyTooLongError()
    {
        var bucket = fixture.NewBucketName("keys-long");
        using var client = fixture.CreateClient();
        await client.PutBucketAsync(bucket);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = new string('k', 1025), ContentBody = "x" }));
        Assert.Equal("KeyTooLongError", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Empty(await ListAllKeysAsync(client, bucket));
    }

    [RequiresToolFact("aws")]
    public async Task AwkwardKeysRoundTripThroughAwsCli()
    {
        var bucket = fixture.NewBucketName("keys-cli");
        await AwsAsync("s3api", "create-bucket", "--bucket", bucket);
        for (var i = 0; i < CliKeys.Length; i++)
        {
            var body = Files.Write(home.Combine($"in-{i}"), Encoding.UTF8.GetBytes("cli:" + CliKeys[i]));
            await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", CliKeys[i], "--body", body);
        }

        var list = JsonDocument.Parse((await AwsAsync("s3api", "list-objects-v2", "--bucket", bucket)).Stdout).RootElement;
        Assert.Equal(CliKeys.OrderBy(k => Encoding.UTF8.GetBytes(k), ByteOrder.Instance),
            list.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()));

        for (var i = 0; i < CliKeys.Length; i++)
        {
            var output = home.Combine($"out-{i}");
            await AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", CliKeys[i], output);
            Assert.Equal("cli:" + CliKeys[i], File.ReadAllText(output));
        }

        var down = home.Combine("down.txt");
        await AwsAsync("s3", "cp", $"s3://{bucket}/{Keys[0]}", down);
        Assert.Equal("cli:" + Keys[0], File.ReadAllText(down));
        var ls = await AwsAsync("s3", "ls", "--recursive", $"s3://{bucket}/unicode/");
        Assert.Contains(Keys[3], ls.Stdout, StringComparison.Ordinal);
    }

    private static string Shorten(string key) => key.Length <= 40 ? $"'{key}'" : $"'{key[..30]}...' ({Encoding.UTF8.GetByteCount(key)} bytes)";

    private static async Task<List<string>> ListAllKeysAsync(AmazonS3Client client, string bucket)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token, MaxKeys = 3 });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    private async Task<ToolResult> AwsAsync(params string[] arguments)
    {
        var result = await Tool.RunAsync("aws", ["--endpoint-url", fixture.Endpoint, .. arguments], ToolEnvironment.ForS3(fixture.Server, home.Path));
        result.AssertExitCode(0);
        return result;
    }

    /// <summary>S3 lists keys in UTF-8 binary order.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
