using Amazon.S3;

namespace Peerbucket.Interop.Tests;

/// <summary>The shared server of the "server" collection: started once, stopped with SIGTERM at the end.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private int bucketCounter;
    private PeerbucketServer? server;

    public PeerbucketServer Server => server ?? throw new InvalidOperationException("server not started");

    public string Endpoint => Server.Endpoint;

    public int Port => Server.Port;

    public string AccessKey => Server.AccessKey;

    public string SecretKey => Server.SecretKey;

    /// <summary>A fresh, valid bucket name: one bucket per test.</summary>
    public string NewBucketName(string prefix) => $"{prefix}-{Interlocked.Increment(ref bucketCounter)}-{Environment.ProcessId}";

    public AmazonS3Client CreateClient(string? secretKey = null) => Server.CreateClient(secretKey);

    /// <summary>Starts another server (own port and data dir unless given), for tests that kill or reconfigure one.</summary>
    public static Task<PeerbucketServer> StartExtraServerAsync(string? dataDirectory = null, params string[] extraArguments) =>
        PeerbucketServer.StartAsync(dataDirectory, extraArguments);

    public async Task InitializeAsync() => server = await PeerbucketServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
