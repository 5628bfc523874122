using System.Buffers.Binary;

namespace Peerbucket.S3.Checksums;

/// <summary>CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF. Slice-by-8.</summary>
internal sealed class Crc32C
{
    private const uint Polynomial = 0x82F63B78;
    private static readonly uint[][] Tables = BuildTables();

    private uint _state = uint.MaxValue;

    public void Append(ReadOnlySpan<byte> source) => _state = Update(_state, source);

    public uint GetCurrentHashAsUInt32() => ~_state;

    public void Reset() => _state = uint.MaxValue;

    public static uint HashToUInt32(ReadOnlySpan<byte> source) => ~Update(uint.MaxValue, source);

    private static uint Update(uint crc, ReadOnlySpan<byte> source)
    {
        uint[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3];
        uint[] t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        while (source.Length >= 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(source) ^ crc;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
            crc = t7[one & 0xFF] ^ t6[(one >> 8) & 0xFF] ^ t5[(one >> 16) & 0xFF] ^ t4[one >> 24]
                ^ t3[two & 0xFF] ^ t2[(two >> 8) & 0xFF] ^ t1[(two >> 16) & 0xFF] ^ t0[two >> 24];
            source = source[8..];
        }

        foreach (var b in source)
        {
            crc = t0[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (var k = 0; k < 8; k++)
        {
            tables[k] = new uint[256];
        }

        for (uint i = 0; i < 256; i++)
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
