using System.Buffers.Binary;

namespace Peerbucket.S3.Checksums;

/// <summary>CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones. Slice-by-8.</summary>
internal sealed class Crc64Nvme
{
    private const ulong Polynomial = 0x9A6C9329AC4BC9B5;
    private static readonly ulong[][] Tables = BuildTables();

    private ulong _state = ulong.MaxValue;

    public void Append(ReadOnlySpan<byte> source) => _state = Update(_state, source);

    public ulong GetCurrentHashAsUInt64() => ~_state;

    public void Reset() => _state = ulong.MaxValue;

    public static ulong HashToUInt64(ReadOnlySpan<byte> source) => ~Update(ulong.MaxValue, source);

    private static ulong Update(ulong crc, ReadOnlySpan<byte> source)
    {
        ulong[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3];
        ulong[] t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        while (source.Length >= 8)
        {
            crc ^= BinaryPrimitives.ReadUInt64LittleEndian(source);
            crc = t7[crc & 0xFF] ^ t6[(crc >> 8) & 0xFF] ^ t5[(crc >> 16) & 0xFF] ^ t4[(crc >> 24) & 0xFF]
                ^ t3[(crc >> 32) & 0xFF] ^ t2[(crc >> 40) & 0xFF] ^ t1[(crc >> 48) & 0xFF] ^ t0[crc >> 56];
            source = source[8..];
        }

        foreach (var b in source)
        {
            crc = t0[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static ulong[][] BuildTables()
    {
        var tables = new ulong[8][];
        for (var k = 0; k < 8; k++)
        {
            tables[k] = new ulong[256];
        }

        for (ulong i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            tables[0][i] = crc;
        }

        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = tables[k - 1][i];
                tables[k][i] = (previous >> 8) ^ tables[0][previous & 0xFF];
            }
        }

        return tables;
    }
}
