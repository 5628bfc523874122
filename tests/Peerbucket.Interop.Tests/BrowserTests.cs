using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Playwright;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// A real browser (Debian's chromium, driven by Playwright): a page on another origin uploads a file through an HTML
/// form with a SigV4-signed POST policy, is redirected back, and reads the object with a cross-origin fetch, which the
/// bucket's CORS rules allow and which a bucket without them refuses.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BrowserTests(ServerFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";

    [RequiresToolFact(Chromium)]
    public async Task AChromiumPageUploadsThroughAPostPolicyFormAndReadsTheObjectBackWithCors()
    {
        using var pages = new PageServer();
        var client = fixture.Server.CreateClient();
        var bucket = fixture.NewBucketName("browser");
        var closed = fixture.NewBucketName("browser-nocors");
        await client.PutBucketAsync(bucket);
        await client.PutBucketAsync(closed);
        await client.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration
            {
                Rules = [new CORSRule { AllowedOrigins = [pages.Origin], AllowedMethods = ["GET", "POST"], AllowedHeaders = ["*"], ExposeHeaders = ["ETag"] }],
            },
        });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = closed, Key = "k.txt", ContentBody = "closed", CannedACL = S3CannedACL.PublicRead });
        pages.Form = FormPage(bucket, pages.Origin + "/done");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(pages.Origin + "/");
        await page.SetInputFilesAsync("input[type=file]", new FilePayload { Name = "hello.txt", MimeType = "text/plain", Buffer = "uploaded by chromium"u8.ToArray() });
        await page.ClickAsync("button");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/done\\?"), new PageWaitForURLOptions { Timeout = 30_000 });
        var stored = await client.GetObjectMetadataAsync(bucket, "browser/hello.txt");
        Assert.Contains("key=browser%2Fhello.txt", page.Url, StringComparison.Ordinal);
        Assert.Contains("etag=" + Uri.EscapeDataString(stored.ETag), page.Url, StringComparison.Ordinal);

        var read = await page.EvaluateAsync<string>($$"""
            async () => { const r = await fetch('{{fixture.Endpoint}}/{{bucket}}/browser/hello.txt');
                          return r.status + ' ' + r.headers.get('ETag') + ' ' + await r.text(); }
            """);
        Assert.Equal($"200 {stored.ETag} uploaded by chromium", read);
        var refused = await page.EvaluateAsync<string>($$"""
            async () => { try { await fetch('{{fixture.Endpoint}}/{{closed}}/k.txt'); return 'read'; } catch (e) { return 'refused'; } }
            """);
        Assert.Equal("refused", refused);
    }

    /// <summary>Debian's chromium (Playwright cannot download browsers here), headless; no sandbox, as root in CI.</summary>
    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });

    /// <summary>The upload form: every field the policy names, signed with Signature Version 4.</summary>
    private string FormPage(string bucket, string redirect)
    {
        var now = DateTimeOffset.UtcNow;
        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var credential = $"{fixture.Server.AccessKey}/{date}/us-east-1/s3/aws4_request";
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var policy = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""
            {"expiration": "{{now.AddHours(1):yyyy-MM-dd'T'HH:mm:ss'Z'}}", "conditions": [
              {"bucket": "{{bucket}}"}, ["starts-with", "$key", "browser/"], {"acl": "public-read"},
              {"success_action_redirect": "{{redirect}}"}, ["content-length-range", 1, 1048576],
              {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "{{credential}}"}, {"x-amz-date": "{{amzDate}}"}]}
            """));
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + fixture.Server.SecretKey), Encoding.UTF8.GetBytes(date));
        foreach (var part in new[] { "us-east-1", "s3", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(policy)));
        string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{name}\" value=\"{WebUtility.HtmlEncode(value)}\">";
        return $"""
            <!doctype html><html><body>
            <form action="{fixture.Endpoint}/{bucket}" method="post" enctype="multipart/form-data">
            {Hidden("key", "browser/${filename}")}{Hidden("acl", "public-read")}{Hidden("success_action_redirect", redirect)}
            {Hidden("policy", policy)}{Hidden("x-amz-algorithm", "AWS4-HMAC-SHA256")}{Hidden("x-amz-credential", credential)}
            {Hidden("x-amz-date", amzDate)}{Hidden("x-amz-signature", signature)}
            <input type="file" name="file"><button type="submit">Upload</button>
            </form></body></html>
            """;
    }

    /// <summary>The page's own origin: a loopback HTTP server on a free port serving the form at "/" and a plain page
    /// at "/done" (where the upload redirects).</summary>
    private sealed class PageServer : IDisposable
    {
        private readonly HttpListener _listener = new();

        public PageServer()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Origin = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Origin + "/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Origin { get; }

        public string Form { get; set; } = "";

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var body = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath == "/" ? Form : "<!doctype html><p>done</p>");
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
