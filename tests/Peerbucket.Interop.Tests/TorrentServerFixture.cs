namespace Peerbucket.Interop.Tests;

/// <summary>A server with its tracker on (a free port) for the torrent and tracker tests.</summary>
public sealed class TorrentServerFixture : IAsyncLifetime
{
    private PeerbucketServer? server;
    private int bucketCounter;

    public PeerbucketServer Server => server ?? throw new InvalidOperationException("server not started");

    public int TrackerPort { get; } = PeerbucketServer.FreeTcpPort();

    public int PeerPort { get; } = PeerbucketServer.FreeTcpPort();

    public string NewBucketName(string prefix) => $"{prefix}-{Interlocked.Increment(ref bucketCounter)}-{Environment.ProcessId}";

    public async Task InitializeAsync() => server = await PeerbucketServer.StartAsync(null,
        "--tracker-port", TrackerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--peer-port", PeerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
