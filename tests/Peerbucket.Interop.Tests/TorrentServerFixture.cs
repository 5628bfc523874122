namespace Peerbucket.Interop.Tests;

/// <summary>A server with its tracker and seeder on the free ports it picked (port 0) for the torrent, tracker and
/// seeder tests; subclasses add environment for the server (log levels).</summary>
public class TorrentServerFixture : IAsyncLifetime
{
    private PeerbucketServer? server;
    private int bucketCounter;

    public PeerbucketServer Server => server ?? throw new InvalidOperationException("server not started");

    public int TrackerPort => Server.TrackerPort;

    public int PeerPort => Server.PeerPort;

    /// <summary>The seeder as HOST:PORT.</summary>
    public string Peer => $"127.0.0.1:{PeerPort}";

    /// <summary>Extra environment for the server process.</summary>
    protected virtual IReadOnlyDictionary<string, string> ServerEnvironment { get; } = new Dictionary<string, string>();

    /// <summary>Extra arguments for <c>serve</c>.</summary>
    protected virtual IReadOnlyList<string> ServerArguments { get; } = [];

    public string NewBucketName(string prefix) => $"{prefix}-{Interlocked.Increment(ref bucketCounter)}-{Environment.ProcessId}";

    public async Task InitializeAsync() => server = await PeerbucketServer.LaunchAsync(new ServerLaunch
    {
        Environment = ServerEnvironment,
        Arguments = ["--tracker-port", "0", "--peer-port", "0", .. ServerArguments],
    });

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
