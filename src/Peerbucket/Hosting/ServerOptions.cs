namespace Peerbucket.Hosting;

/// <summary>
/// Everything `serve` can be told, bound from the "Peerbucket" configuration section (appsettings.json, environment
/// variables PEERBUCKET__NAME) with command-line flags on top.
/// </summary>
public sealed class ServerOptions
{
    public const string Section = "Peerbucket";

    /// <summary>Data directory: metadata.db (SQLite), credentials.json and the object files; relative to the working
    /// directory of <c>serve</c> (see <see cref="DataDirectory"/>).</summary>
    public string Data { get; set; } = "./data";

    /// <summary>Listen address of the S3 API.</summary>
    public string Http { get; set; } = "http://127.0.0.1:9000";

    /// <summary>How clients reach the server (default: the listen address).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Enables virtual-hosted-style requests to bucket.Domain.</summary>
    public string? Domain { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Reserved: the tracker's port (HTTP and UDP), 0 turns it off.</summary>
    public int TrackerPort { get; set; } = 6969;

    /// <summary>Reserved: the seeder's peer-wire port.</summary>
    public int PeerPort { get; set; } = 6881;

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

    /// <summary>Seeder limits (<c>--max-peers</c> and friends); null keeps the seeder's default.</summary>
    public SeederLimits Seeder { get; set; } = new();

    public Uri EffectivePublicUrl => new(string.IsNullOrEmpty(PublicUrl) ? Http : PublicUrl);

    /// <summary>The data directory as an absolute path: <see cref="Data"/> resolved against
    /// <paramref name="workingDirectory"/> (the directory the command was run from) when it is relative.</summary>
    public string DataDirectory(string workingDirectory) => Path.GetFullPath(Data, workingDirectory);
}
