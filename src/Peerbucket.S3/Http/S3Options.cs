namespace Peerbucket.S3.Http;

/// <summary>What the S3 front end needs to know about its deployment.</summary>
public sealed class S3Options
{
    public string Region { get; set; } = "us-east-1";

    /// <summary>When set, requests to bucket.Domain are virtual-hosted style.</summary>
    public string? Domain { get; set; }

    /// <summary>How clients reach the server, e.g. http://127.0.0.1:9000 (used in web-seed URLs and Location headers).</summary>
    public Uri PublicUrl { get; set; } = new("http://127.0.0.1:9000");

    public required string AccessKey { get; init; }

    public required string SecretKey { get; init; }

    /// <summary>Largest single PutObject body (S3: 5 GiB). Multipart objects go up to 5 TiB.</summary>
    public long MaxPutSize { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>How long a chunk of an object body may wait for a client that acknowledges nothing before the connection
    /// is cut (<see cref="Peerbucket.Storage.Blobs.BlobSender"/>).</summary>
    public TimeSpan ResponseDrainTimeout { get; set; } = Peerbucket.Storage.Blobs.BlobSender.DefaultDrainTimeout;

    /// <summary>Smallest part other than the last (S3: 5 MiB).</summary>
    public long MinPartSize { get; set; } = 5L * 1024 * 1024;
}
