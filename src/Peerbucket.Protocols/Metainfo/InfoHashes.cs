using System.Security.Cryptography;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>A torrent's info-hashes: v1 = SHA-1 of the exact <c>info</c> bytes, v2 = SHA-256 of them.</summary>
public sealed class InfoHashes
{
    private readonly byte[]? _v1;
    private readonly byte[]? _v2;

    public InfoHashes(ReadOnlySpan<byte> v1, ReadOnlySpan<byte> v2)
    {
        if (!v1.IsEmpty && v1.Length != 20)
        {
            throw new ArgumentException("A v1 info-hash has 20 bytes.", nameof(v1));
        }

        if (!v2.IsEmpty && v2.Length != 32)
        {
            throw new ArgumentException("A v2 info-hash has 32 bytes.", nameof(v2));
        }

        if (v1.IsEmpty && v2.IsEmpty)
        {
            throw new ArgumentException("At least one info-hash is required.");
        }

        _v1 = v1.IsEmpty ? null : v1.ToArray();
        _v2 = v2.IsEmpty ? null : v2.ToArray();
    }

    public bool HasV1 => _v1 is not null;

    public bool HasV2 => _v2 is not null;

    /// <summary>20-byte SHA-1 info-hash, or empty.</summary>
    public ReadOnlyMemory<byte> V1 => _v1;

    /// <summary>32-byte SHA-256 info-hash, or empty.</summary>
    public ReadOnlyMemory<byte> V2 => _v2;

    /// <summary>The first 20 bytes of the v2 hash (what trackers and the peer handshake use), or empty.</summary>
    public ReadOnlyMemory<byte> V2Truncated => _v2 is null ? default : _v2.AsMemory(0, 20);

    /// <summary>Lowercase hex of <see cref="V1"/>, or null.</summary>
    public string? V1Hex => _v1 is null ? null : Convert.ToHexStringLower(_v1);

    /// <summary>Lowercase hex of <see cref="V2"/>, or null.</summary>
    public string? V2Hex => _v2 is null ? null : Convert.ToHexStringLower(_v2);

    /// <summary>Hashes the exact <c>info</c> bytes: SHA-1 for v1/hybrid, SHA-256 for v2/hybrid.</summary>
    public static InfoHashes Compute(ReadOnlySpan<byte> info, TorrentFormat format)
    {
        Span<byte> v1 = stackalloc byte[20];
        Span<byte> v2 = stackalloc byte[32];
        var hasV1 = format is TorrentFormat.V1 or TorrentFormat.Hybrid;
        var hasV2 = format is TorrentFormat.V2 or TorrentFormat.Hybrid;
        if (hasV1)
        {
            SHA1.HashData(info, v1);
        }

        if (hasV2)
        {
            SHA256.HashData(info, v2);
        }

        return new InfoHashes(hasV1 ? v1 : default, hasV2 ? v2 : default);
    }

    /// <summary>First 20 bytes of a 32-byte v2 info-hash.</summary>
    public static ReadOnlySpan<byte> Truncate(ReadOnlySpan<byte> v2) => v2.Length == 32
        ? v2[..20]
        : throw new ArgumentException("A v2 info-hash has 32 bytes.", nameof(v2));
}
