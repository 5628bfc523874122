namespace Peerbucket.Storage.Model;

/// <summary>One object version (the current one unless read by version id): its metadata and where its bytes live.</summary>
public sealed record ObjectRecord
{
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    public required string BlobId { get; init; }
    public required long Size { get; init; }

    /// <summary>The version id; null for the null version (every object of a bucket never versioned).</summary>
    public string? VersionId { get; init; }

    /// <summary>The ETag without quotes: hex MD5, or hex MD5-of-MD5s plus "-N" for multipart.</summary>
    public required string ETag { get; init; }

    public required DateTimeOffset LastModified { get; init; }
    public required ObjectAttributes Attributes { get; init; }

    /// <summary>Flexible checksums, algorithm name (CRC32, SHA256, ...) to base64 value.</summary>
    public IReadOnlyDictionary<string, string> Checksums { get; init; } = new Dictionary<string, string>();

    /// <summary>The parts it was completed from (multipart), in order; empty for an object written in one piece.</summary>
    public IReadOnlyList<ObjectPart> Parts { get; init; } = [];

    /// <summary>Opaque facts computed from the bytes at write time (the torrent layer owns the format).</summary>
    public byte[]? ContentFacts { get; init; }
}
