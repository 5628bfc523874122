namespace Peerbucket.S3.Checksums;

/// <summary>The additional checksums S3 accepts (x-amz-checksum-*), named as AWS names them.</summary>
public enum S3ChecksumAlgorithm
{
    Crc32,
    Crc32C,
    Crc64Nvme,
    Sha1,
    Sha256,
}
