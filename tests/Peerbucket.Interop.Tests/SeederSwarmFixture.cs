using System.Globalization;

namespace Peerbucket.Interop.Tests;

/// <summary>A server with tracker and seeder on free ports whose seeder logs every closed peer connection (Debug for
/// its category), so tests can check the reason the server recorded for each connection (<see cref="SeederLog"/>).</summary>
public sealed class SeederSwarmFixture : IAsyncLifetime
{
    private PeerbucketServer? server;
    private int bucketCounter;

    public PeerbucketServer Server => server ?? throw new InvalidOperationException("server not started");

    public int TrackerPort { get; } = PeerbucketServer.FreeTcpPort();

    public int PeerPort { get; } = PeerbucketServer.FreeTcpPort();

    public string Peer => $"127.0.0.1:{PeerPort}";

    public string NewBucketName(string prefix) => $"{prefix}-{Interlocked.Increment(ref bucketCounter)}-{Environment.ProcessId}";

    public async Task InitializeAsync() => server = await PeerbucketServer.StartWithEnvironmentAsync(
        new Dictionary<string, string> { ["Logging__LogLevel__Peerbucket.Swarm.Seeder"] = "Debug" },
        null,
        "--tracker-port", TrackerPort.ToString(CultureInfo.InvariantCulture),
        "--peer-port", PeerPort.ToString(CultureInfo.InvariantCulture));

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
