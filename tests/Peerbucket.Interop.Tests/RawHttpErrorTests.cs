using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>Error handling seen over raw HTTP (HttpClient), anonymous or signed by an independent SigV4 signer.</summary>
[Collection(ServerCollection.Name)]
public sealed class RawHttpErrorTests(ServerFixture fixture) : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task MalformedDeleteObjectsXmlIsMalformedXmlErrorNot500()
    {
        var bucket = await CreateBucketAsync("raw-delxml");
        var body = "<Delete><Object><Key>unterminated</Key></Object"u8.ToArray();
        using var response = await SendSignedAsync(HttpMethod.Post, $"/{bucket}?delete", body, contentMd5: true);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Contains("<Error>", text, StringComparison.Ordinal);
        Assert.Contains("<Code>MalformedXML</Code>", text, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    [Fact]
    public async Task SignedRequestsAreAcceptedBySigner()
    {
        var bucket = await CreateBucketAsync("raw-signer");
        using var list = await SendSignedAsync(HttpMethod.Get, $"/{bucket}?list-type=2", []);
        var text = await list.Content.ReadAsStringAsync();
        Assert.True(list.StatusCode == HttpStatusCode.OK, $"signed list: {(int)list.StatusCode} {text}");
        Assert.Contains("<ListBucketResult", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryResponseCarriesRequestId()
    {
        var bucket = await CreateBucketAsync("raw-reqid");
        using var client = fixture.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });

        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("anonymous GET /", await http.GetAsync($"{fixture.Endpoint}/")),
            ("anonymous GET private bucket", await http.GetAsync($"{fixture.Endpoint}/{bucket}")),
            ("anonymous GET private object", await http.GetAsync($"{fixture.Endpoint}/{bucket}/k")),
            ("anonymous GET missing bucket", await http.GetAsync($"{fixture.Endpoint}/no-such-bucket-raw/k")),
            ("signed GET object", await SendSignedAsync(HttpMethod.Get, $"/{bucket}/k", [])),
            ("signed GET missing key", await SendSignedAsync(HttpMethod.Get, $"/{bucket}/missing", [])),
            ("signed HEAD missing key", await SendSignedAsync(HttpMethod.Head, $"/{bucket}/missing", [])),
            ("signed list", await SendSignedAsync(HttpMethod.Get, $"/{bucket}?list-type=2", [])),
            ("signed PUT invalid bucket", await SendSignedAsync(HttpMethod.Put, "/Invalid_Bucket_Name", [])),
            ("bad signature", await SendSignedAsync(HttpMethod.Get, $"/{bucket}", [], secretKey: "wrong")),
        };
        foreach (var (what, response) in responses)
        {
            using (response)
            {
                Assert.True(response.Headers.TryGetValues("x-amz-request-id", out var ids) && ids.Single().Length > 0,
                    $"{what} ({(int)response.StatusCode}) has no x-amz-request-id");
            }
        }
    }

    [Fact]
    public async Task HeadOfMissingKeyIs404WithNoBodyAndAnonymousHeadIs403WithNoBody()
    {
        var bucket = await CreateBucketAsync("raw-head");
        using var signed = await SendSignedAsync(HttpMethod.Head, $"/{bucket}/missing-key", []);
        Assert.Equal(HttpStatusCode.NotFound, signed.StatusCode);
        Assert.Empty(await signed.Content.ReadAsByteArrayAsync());

        using var anonymous = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{fixture.Endpoint}/{bucket}/missing-key"));
        Assert.True(anonymous.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"anonymous HEAD: {(int)anonymous.StatusCode}");
        Assert.Empty(await anonymous.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task InvalidBucketNameIsInvalidBucketName()
    {
        foreach (var name in new[] { "Invalid_Bucket_Name", "ab", "bucket..dots", "-leading-dash", "192.168.5.4" })
        {
            using var response = await SendSignedAsync(HttpMethod.Put, "/" + name, []);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"PUT /{name}: {(int)response.StatusCode} {text}");
            Assert.Contains("<Code>InvalidBucketName</Code>", text, StringComparison.Ordinal);
        }
    }

    private async Task<string> CreateBucketAsync(string prefix)
    {
        var bucket = fixture.NewBucketName(prefix);
        using var client = fixture.CreateClient();
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    private Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string pathAndQuery, byte[] body, bool contentMd5 = false, string? secretKey = null)
    {
        var request = new HttpRequestMessage(method, fixture.Endpoint + pathAndQuery);
        if (body.Length > 0 || method == HttpMethod.Put || method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent(body);
            if (contentMd5)
            {
                request.Content.Headers.ContentMD5 = MD5.HashData(body);
            }
        }

        SigV4TestSigner.Sign(request, body, fixture.AccessKey, secretKey ?? fixture.SecretKey);
        return http.SendAsync(request);
    }

}
