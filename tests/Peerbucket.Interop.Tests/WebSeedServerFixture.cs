using System.Globalization;

namespace Peerbucket.Interop.Tests;

/// <summary>A server with tracker and seeder on (free ports) and its request log on, for the web-seed tests.</summary>
public sealed class WebSeedServerFixture : IAsyncLifetime
{
    private PeerbucketServer? server;
    private int bucketCounter;

    public PeerbucketServer Server => server ?? throw new InvalidOperationException("server not started");

    public string NewBucketName(string prefix) => $"{prefix}-{Interlocked.Increment(ref bucketCounter)}-{Environment.ProcessId}";

    public async Task InitializeAsync() => server = await PeerbucketServer.LaunchAsync(new ServerLaunch
    {
        Environment = RequestLog.Environment,
        Arguments =
        [
            "--tracker-port", PeerbucketServer.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            "--peer-port", PeerbucketServer.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
        ],
    });

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
