namespace Peerbucket.S3.Checksums;

/// <summary>Wire names of <see cref="S3ChecksumAlgorithm"/>: the algorithm names of
/// x-amz-checksum-algorithm / x-amz-sdk-checksum-algorithm and the x-amz-checksum-* header names.</summary>
internal static class S3ChecksumAlgorithms
{
    public static IReadOnlyList<S3ChecksumAlgorithm> All { get; } =
        [S3ChecksumAlgorithm.Crc32, S3ChecksumAlgorithm.Crc32C, S3ChecksumAlgorithm.Crc64Nvme, S3ChecksumAlgorithm.Sha1, S3ChecksumAlgorithm.Sha256];

    /// <summary>The algorithm name as sent in x-amz-checksum-algorithm: CRC32, CRC32C, CRC64NVME, SHA1, SHA256.</summary>
    public static string NameOf(S3ChecksumAlgorithm algorithm) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 => "CRC32",
        S3ChecksumAlgorithm.Crc32C => "CRC32C",
        S3ChecksumAlgorithm.Crc64Nvme => "CRC64NVME",
        S3ChecksumAlgorithm.Sha1 => "SHA1",
        S3ChecksumAlgorithm.Sha256 => "SHA256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>The header carrying the value: x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256.</summary>
    public static string HeaderNameOf(S3ChecksumAlgorithm algorithm) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 => "x-amz-checksum-crc32",
        S3ChecksumAlgorithm.Crc32C => "x-amz-checksum-crc32c",
        S3ChecksumAlgorithm.Crc64Nvme => "x-amz-checksum-crc64nvme",
        S3ChecksumAlgorithm.Sha1 => "x-amz-checksum-sha1",
        S3ChecksumAlgorithm.Sha256 => "x-amz-checksum-sha256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Length in bytes of the digest (before base64).</summary>
    public static int DigestLengthOf(S3ChecksumAlgorithm algorithm) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 or S3ChecksumAlgorithm.Crc32C => 4,
        S3ChecksumAlgorithm.Crc64Nvme => 8,
        S3ChecksumAlgorithm.Sha1 => 20,
        S3ChecksumAlgorithm.Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Parses an algorithm name (case-insensitive), e.g. the value of x-amz-sdk-checksum-algorithm.</summary>
    public static bool TryParse(string? name, out S3ChecksumAlgorithm algorithm)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(name, NameOf(candidate), StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    /// <summary>Maps a header name such as x-amz-checksum-crc32c (case-insensitive) to its algorithm.</summary>
    public static bool TryParseHeaderName(string? headerName, out S3ChecksumAlgorithm algorithm)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(headerName, HeaderNameOf(candidate), StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    /// <summary>True when <paramref name="value"/> is base64 of exactly the algorithm's digest length.</summary>
    public static bool IsWellFormedValue(S3ChecksumAlgorithm algorithm, string? value)
    {
        if (value is null)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        return Convert.TryFromBase64String(value, digest, out var written) && written == DigestLengthOf(algorithm);
    }
}
