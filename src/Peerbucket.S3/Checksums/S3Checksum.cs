using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Peerbucket.S3.Checksums;

/// <summary>An incremental S3 additional checksum. The S3 value is base64 of the big-endian digest bytes.</summary>
internal sealed class S3Checksum : IDisposable
{
    private readonly Crc32? _crc32;
    private readonly Crc32C? _crc32C;
    private readonly Crc64Nvme? _crc64Nvme;
    private readonly IncrementalHash? _sha;

    public S3Checksum(S3ChecksumAlgorithm algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case S3ChecksumAlgorithm.Crc32:
                _crc32 = new Crc32();
                break;
            case S3ChecksumAlgorithm.Crc32C:
                _crc32C = new Crc32C();
                break;
            case S3ChecksumAlgorithm.Crc64Nvme:
                _crc64Nvme = new Crc64Nvme();
                break;
            case S3ChecksumAlgorithm.Sha1:
                _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
                break;
            case S3ChecksumAlgorithm.Sha256:
                _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }

    public S3ChecksumAlgorithm Algorithm { get; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _crc32?.Append(data);
        _crc32C?.Append(data);
        _crc64Nvme?.Append(data);
        _sha?.AppendData(data);
    }

    /// <summary>The digest of everything appended so far, big-endian; the checksum keeps accumulating.</summary>
    public byte[] GetDigest()
    {
        var digest = new byte[S3ChecksumAlgorithms.DigestLengthOf(Algorithm)];
        if (_crc32 is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest, _crc32.GetCurrentHashAsUInt32());
        }
        else if (_crc32C is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest, _crc32C.GetCurrentHashAsUInt32());
        }
        else if (_crc64Nvme is not null)
        {
            BinaryPrimitives.WriteUInt64BigEndian(digest, _crc64Nvme.GetCurrentHashAsUInt64());
        }
        else
        {
            _sha!.GetCurrentHash(digest);
        }

        return digest;
    }

    /// <summary>The value as S3 sends it in x-amz-checksum-*: base64 of <see cref="GetDigest"/>.</summary>
    public string GetBase64() => Convert.ToBase64String(GetDigest());

    /// <summary>One-shot: the base64 S3 checksum of <paramref name="data"/>.</summary>
    public static string ComputeBase64(S3ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var checksum = new S3Checksum(algorithm);
        checksum.Append(data);
        return checksum.GetBase64();
    }

    public void Dispose() => _sha?.Dispose();
}
