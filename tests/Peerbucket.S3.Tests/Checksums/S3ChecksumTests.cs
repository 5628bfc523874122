using System.Text;
using Peerbucket.S3.Checksums;

namespace Peerbucket.S3.Tests.Checksums;

public class S3ChecksumTests
{
    private static readonly byte[] Check = "123456789"u8.ToArray();

    [Fact]
    public void CheckValuesMatchTheCatalogue()
    {
        Assert.Equal(0xCBF43926u, System.IO.Hashing.Crc32.HashToUInt32(Check));
        Assert.Equal(0xE3069283u, Crc32C.HashToUInt32(Check));
        Assert.Equal(0xAE8B14860A799888ul, Crc64Nvme.HashToUInt64(Check));
    }

    // Expected values computed independently with python3 (zlib.crc32, a bitwise reflected CRC, hashlib).
    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32, "123456789", "y/Q5Jg==")]
    [InlineData(S3ChecksumAlgorithm.Crc32C, "123456789", "4waSgw==")]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "123456789", "rosUhgp5mIg=")]
    [InlineData(S3ChecksumAlgorithm.Crc32, "hello world", "DUoRhQ==")]
    [InlineData(S3ChecksumAlgorithm.Crc32C, "hello world", "yZRlqg==")]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "hello world", "jSnVw/bqjr4=")]
    [InlineData(S3ChecksumAlgorithm.Sha1, "hello world", "Kq5sNclPz7QV2+lfQIuc6R7oRu0=")]
    [InlineData(S3ChecksumAlgorithm.Sha256, "hello world", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")]
    [InlineData(S3ChecksumAlgorithm.Crc32, "", "AAAAAA==")]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "", "AAAAAAAAAAA=")]
    [InlineData(S3ChecksumAlgorithm.Sha256, "", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")]
    public void Base64IsTheBigEndianDigest(S3ChecksumAlgorithm algorithm, string text, string expected)
    {
        Assert.Equal(expected, S3Checksum.ComputeBase64(algorithm, Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Crc32COfTheAwsTrailerExampleBodyIsThePublishedValue()
    {
        // sigv4-streaming-trailers: 66560 bytes of 'a' carry x-amz-checksum-crc32c:sOO8/Q==
        var body = Enumerable.Repeat((byte)'a', 66560).ToArray();
        Assert.Equal("sOO8/Q==", S3Checksum.ComputeBase64(S3ChecksumAlgorithm.Crc32C, body));
        Assert.Equal("pRf+emrnL+A=", S3Checksum.ComputeBase64(S3ChecksumAlgorithm.Crc64Nvme, body));
        Assert.Equal("sK4Y7A==", S3Checksum.ComputeBase64(S3ChecksumAlgorithm.Crc32, body));
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32)]
    [InlineData(S3ChecksumAlgorithm.Crc32C)]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme)]
    [InlineData(S3ChecksumAlgorithm.Sha1)]
    [InlineData(S3ChecksumAlgorithm.Sha256)]
    public void AppendingInPiecesEqualsOneShot(S3ChecksumAlgorithm algorithm)
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        var expected = S3Checksum.ComputeBase64(algorithm, data);
        foreach (var split in new[] { 0, 1, 3, 7, 8, 9, 500, 999, 1000 })
        {
            using var checksum = new S3Checksum(algorithm);
            checksum.Append(data.AsSpan(0, split));
            checksum.Append(data.AsSpan(split));
            Assert.Equal(expected, checksum.GetBase64());
        }

        using var bytewise = new S3Checksum(algorithm);
        foreach (var b in data)
        {
            bytewise.Append([b]);
        }

        Assert.Equal(expected, bytewise.GetBase64());
    }

    [Fact]
    public void SliceBy8AgreesWithBytewiseForEveryLength()
    {
        var data = new byte[64];
        new Random(3).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            var crc32C = new Crc32C();
            var crc64 = new Crc64Nvme();
            foreach (var b in data.AsSpan(0, length))
            {
                crc32C.Append([b]);
                crc64.Append([b]);
            }

            Assert.Equal(crc32C.GetCurrentHashAsUInt32(), Crc32C.HashToUInt32(data.AsSpan(0, length)));
            Assert.Equal(crc64.GetCurrentHashAsUInt64(), Crc64Nvme.HashToUInt64(data.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("CRC32", S3ChecksumAlgorithm.Crc32, "x-amz-checksum-crc32")]
    [InlineData("crc32c", S3ChecksumAlgorithm.Crc32C, "x-amz-checksum-crc32c")]
    [InlineData("CRC64NVME", S3ChecksumAlgorithm.Crc64Nvme, "x-amz-checksum-crc64nvme")]
    [InlineData("SHA1", S3ChecksumAlgorithm.Sha1, "x-amz-checksum-sha1")]
    [InlineData("Sha256", S3ChecksumAlgorithm.Sha256, "x-amz-checksum-sha256")]
    public void NamesAndHeadersRoundTrip(string name, S3ChecksumAlgorithm algorithm, string header)
    {
        Assert.True(S3ChecksumAlgorithms.TryParse(name, out var parsed));
        Assert.Equal(algorithm, parsed);
        Assert.Equal(header, S3ChecksumAlgorithms.HeaderNameOf(algorithm));
        Assert.True(S3ChecksumAlgorithms.TryParseHeaderName(header.ToUpperInvariant(), out var fromHeader));
        Assert.Equal(algorithm, fromHeader);
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("CRC64")]
    public void UnknownNamesDoNotParse(string? name) => Assert.False(S3ChecksumAlgorithms.TryParse(name, out _));

    [Fact]
    public void WellFormedValueChecksDigestLength()
    {
        Assert.True(S3ChecksumAlgorithms.IsWellFormedValue(S3ChecksumAlgorithm.Crc32C, "sOO8/Q=="));
        Assert.False(S3ChecksumAlgorithms.IsWellFormedValue(S3ChecksumAlgorithm.Crc64Nvme, "sOO8/Q=="));
        Assert.False(S3ChecksumAlgorithms.IsWellFormedValue(S3ChecksumAlgorithm.Crc32, "not base64!"));
        Assert.False(S3ChecksumAlgorithms.IsWellFormedValue(S3ChecksumAlgorithm.Crc32, null));
    }
}
