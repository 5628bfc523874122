using Peerbucket.S3.Checksums;

namespace Peerbucket.S3.Writes;

/// <summary>How to stage a body: the length it must have, the most it may have, which digests to compute on the way,
/// and what content facts it gets.</summary>
/// <param name="ContentKey">The key the bytes are written under, when content facts are derived from them (objects,
/// not parts).</param>
/// <param name="KnownFacts">Facts of the same bytes already computed (a copy): reindexed for <paramref name="ContentKey"/>
/// instead of hashing again.</param>
/// <param name="SizeHint">About how long a body of unknown <paramref name="Length"/> is (a POST form's file: the form's
/// length), so its torrent gets the piece length its size calls for.</param>
public sealed record StagePlan(
    long? Length,
    long MaxLength,
    S3ChecksumAlgorithm? Checksum = null,
    string? ContentKey = null,
    byte[]? KnownFacts = null,
    bool ComputeMd5 = true,
    long? SizeHint = null);
