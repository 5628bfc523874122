namespace Peerbucket.Hosting;

/// <summary>
/// Everything `serve` can be told, bound from the "Peerbucket" configuration section (appsettings.json, environment
/// variables PEERBUCKET__NAME) with command-line flags on top.
/// </summary>
internal sealed class ServerOptions
{
    public const string Section = "Peerbucket";

    /// <summary>Data directory: metadata.db (SQLite), credentials.json and the object files; relative to the working
    /// directory of <c>serve</c> (see <see cref="DataDirectory"/>).</summary>
    public string Data { get; set; } = "./data";

    /// <summary>Listen address of the S3 API; port 0 binds a free port (the start-up line and /_health report it).</summary>
    public string Http { get; set; } = "http://127.0.0.1:9000";

    /// <summary>How clients reach the server (default: the listen address).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Enables virtual-hosted-style requests to bucket.Domain.</summary>
    public string? Domain { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>The tracker's port, HTTP and UDP (the same number); 0 binds a free one; off turns the tracker off.</summary>
    public ListenPort TrackerPort { get; set; } = ListenPort.Of(6969);

    /// <summary>The seeder's peer-wire port; 0 binds a free one; off turns the seeder off.</summary>
    public ListenPort PeerPort { get; set; } = ListenPort.Of(6881);

    /// <summary>Announce URL written into torrents (default http://PUBLIC-HOST:TRACKER-PORT/announce).</summary>
    public string? TrackerPublicUrl { get; set; }

    /// <summary>Extra trackers listed after the store's own.</summary>
    public string[] ExtraTrackers { get; set; } = [];

    /// <summary>The seeder's address as peers see it (default: the host of the public URL).</summary>
    public string? PeerPublicAddress { get; set; }

    /// <summary>Torrent piece length in bytes; 0 picks it from the object size.</summary>
    public long PieceLength { get; set; }

    /// <summary>Default format of ?torrent: v1, v2 or hybrid.</summary>
    public string TorrentFormat { get; set; } = "v1";

    /// <summary>How much the origin sends when peers could: thrifty (default) or fast.</summary>
    public string OriginPolicy { get; set; } = "thrifty";

    /// <summary>Per-bucket origin policies, bucket name to thrifty or fast.</summary>
    public Dictionary<string, string> BucketOriginPolicy { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bytes per second the seeder and the web seed may send together, all objects; null or 0 = unlimited.</summary>
    public long? OriginBudget { get; set; }

    /// <summary>The same per object; null or 0 = unlimited.</summary>
    public long? OriginBudgetPerObject { get; set; }

    /// <summary>Open HTTP connections (S3, web seed, tracker) per remote address at most; over it, requests are answered
    /// 503 SlowDown. Null: 256, or no limit when the server listens on loopback only (every client is local).</summary>
    public int? MaxConnectionsPerAddress { get; set; }

    /// <summary>How long a chunk (64 KiB) of an object body may wait for a client that acknowledges nothing before the
    /// connection is cut (setting <c>Peerbucket:ResponseDrainTimeout</c>, e.g. <c>00:00:30</c>).</summary>
    public TimeSpan ResponseDrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The per-address HTTP connection cap in effect (<see cref="MaxConnectionsPerAddress"/>).</summary>
    public int ConnectionCapFor(bool loopback) => MaxConnectionsPerAddress switch
    {
        null => loopback ? int.MaxValue : 256,
        > 0 and var n => n,
        var n => throw new ArgumentException($"--max-connections-per-address must be at least 1 (got {n})."),
    };

    /// <summary>Seeder limits (<c>--max-peers</c> and friends); null keeps the seeder's default.</summary>
    public SeederLimits Seeder { get; set; } = new();

    public Uri EffectivePublicUrl => new(string.IsNullOrEmpty(PublicUrl) ? Http : PublicUrl);

    /// <summary>The data directory as an absolute path: <see cref="Data"/> resolved against
    /// <paramref name="workingDirectory"/> (the directory the command was run from) when it is relative.</summary>
    public string DataDirectory(string workingDirectory) => Path.GetFullPath(Data, workingDirectory);

    /// <summary><see cref="Http"/> as a URI, wildcard hosts (<c>*</c>, <c>+</c>) read as 0.0.0.0.</summary>
    public Uri ListenUri => new(Http.Replace("://*:", "://0.0.0.0:").Replace("://+:", "://0.0.0.0:"));

    /// <summary>A copy with the listen URL and ports replaced (by the ones bound for port 0).</summary>
    public ServerOptions WithPorts(string http, ListenPort trackerPort, ListenPort peerPort)
    {
        var copy = (ServerOptions)MemberwiseClone();
        copy.Http = http;
        copy.TrackerPort = trackerPort;
        copy.PeerPort = peerPort;
        return copy;
    }
}
