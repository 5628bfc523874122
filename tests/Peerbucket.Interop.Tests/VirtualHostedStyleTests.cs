using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>A server started with --domain localhost answers bucket.localhost:PORT requests (virtual-hosted style).</summary>
public sealed class VirtualHostedStyleTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory home = new("pb-vhost");
    private PeerbucketServer? server;

    private PeerbucketServer Server => server!;

    public async Task InitializeAsync() => server = await PeerbucketServer.StartAsync(null, "--domain", "localhost");

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task DotnetSdkWithoutPathStylePutsGetsAndListsThroughBucketSubdomain()
    {
        using var client = CreateVirtualHostClient();
        await client.PutBucketAsync("vhost-sdk");
        var data = Files.RandomBytes(100_000, seed: 801);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "vhost-sdk", Key = "dir/v.bin", InputStream = new MemoryStream(data) });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "vhost-sdk", Key = "top.txt", ContentBody = "top" });

        using (var get = await client.GetObjectAsync("vhost-sdk", "dir/v.bin"))
        {
            using var buffer = new MemoryStream();
            await get.ResponseStream.CopyToAsync(buffer);
            Assert.Equal(data, buffer.ToArray());
        }

        var list = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "vhost-sdk" });
        Assert.Equal(["dir/v.bin", "top.txt"], (list.S3Objects ?? []).Select(o => o.Key));

        using var pathStyle = Server.CreateClient();
        var viaPath = await pathStyle.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "vhost-sdk" });
        Assert.Equal(["dir/v.bin", "top.txt"], (viaPath.S3Objects ?? []).Select(o => o.Key));
    }

    [RequiresToolFact("curl")]
    public async Task CurlReadsPublicObjectAndListsPublicBucketThroughBucketSubdomain()
    {
        using var client = Server.CreateClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = "vhost-curl", CannedACL = S3CannedACL.PublicRead });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = "vhost-curl", Key = "a b/c.txt", ContentBody = "virtual", CannedACL = S3CannedACL.PublicRead });

        var resolve = $"vhost-curl.localhost:{Server.Port}:127.0.0.1";
        var got = home.Combine("got.txt");
        Assert.Equal(200, await Curl.GetAsync($"http://vhost-curl.localhost:{Server.Port}/a%20b/c.txt", got, "--resolve", resolve));
        Assert.Equal("virtual", File.ReadAllText(got));

        var listing = home.Combine("list.xml");
        Assert.Equal(200, await Curl.GetAsync($"http://vhost-curl.localhost:{Server.Port}/?list-type=2", listing, "--resolve", resolve));
        var xml = File.ReadAllText(listing);
        Assert.Contains("<Name>vhost-curl</Name>", xml, StringComparison.Ordinal);
        Assert.Contains("<Key>a b/c.txt</Key>", xml, StringComparison.Ordinal);

        var missing = home.Combine("missing.xml");
        Assert.Equal(404, await Curl.GetAsync($"http://vhost-curl.localhost:{Server.Port}/nope", missing, "--resolve", resolve));
        Assert.Contains("<Code>NoSuchKey</Code>", File.ReadAllText(missing), StringComparison.Ordinal);
    }

    /// <summary>On a bucket's virtual host the store's own paths are keys of that bucket: a PUT stores, a GET reads, a
    /// DELETE deletes (the service routes answered them before: a GET got the metrics page, a PUT 200 and no object).</summary>
    [Fact]
    public async Task ReservedPathsAreKeysOnABucketVirtualHost()
    {
        string[] keys = ["_health", "_metrics", "_seed/0123456789abcdef0123456789abcdef01234567/name"];
        using var client = CreateVirtualHostClient();
        await client.PutBucketAsync("vhost-reserved");
        foreach (var key in keys)
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = "vhost-reserved", Key = key, ContentBody = "key " + key });
        }

        var list = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "vhost-reserved" });
        Assert.Equal(keys, (list.S3Objects ?? []).Select(o => o.Key));
        foreach (var key in keys)
        {
            using var get = await client.GetObjectAsync("vhost-reserved", key);
            using var reader = new StreamReader(get.ResponseStream);
            Assert.Equal("key " + key, await reader.ReadToEndAsync());
            await client.DeleteObjectAsync("vhost-reserved", key);
        }

        Assert.Empty((await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "vhost-reserved" })).S3Objects ?? []);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://localhost:{Server.Port}/_metrics");
        Assert.Contains("peerbucket_egress_bytes_total", metrics, StringComparison.Ordinal);
        Assert.StartsWith("ok\n", await http.GetStringAsync($"http://localhost:{Server.Port}/_health"), StringComparison.Ordinal);
    }

    private AmazonS3Client CreateVirtualHostClient() =>
        new(new BasicAWSCredentials(Server.AccessKey, Server.SecretKey), new AmazonS3Config
        {
            ServiceURL = $"http://localhost:{Server.Port}",
            ForcePathStyle = false,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new LoopbackHttpClientFactory(Server.Port),
        });

    /// <summary>Connects every request to 127.0.0.1:port whatever its host, so bucket.localhost needs no resolver support.</summary>
    private sealed class LoopbackHttpClientFactory(int port) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
    }
}
