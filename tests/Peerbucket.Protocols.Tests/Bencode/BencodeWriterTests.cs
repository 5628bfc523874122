using System.Buffers;
using System.Text;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.Tests.Bencode;

public sealed class BencodeWriterTests
{
    [Fact]
    public void WritesSpecExampleBytesAtAnOddOffsetWithoutTouchingNeighbours()
    {
        var buffer = new OffsetBufferWriter(offset: 3, capacity: 64);
        var w = new BencodeWriter(buffer);
        w.WriteDictionaryStart();
        w.WriteString("cow"u8);
        w.WriteString("moo"u8);
        w.WriteString("spam"u8);
        w.WriteListStart();
        w.WriteInteger(-3);
        w.WriteInteger(0);
        w.WriteString("eggs");
        w.WriteEnd();
        w.WriteEnd();
        Assert.Equal(0, w.Depth);
        Assert.Equal("d3:cow3:moo4:spamli-3ei0e4:eggsee", Encoding.Latin1.GetString(buffer.Written));
        Assert.All(buffer.Array[..3], b => Assert.Equal(0xFF, b));
        Assert.All(buffer.Array[(3 + buffer.Written.Length)..], b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void WritesExtremeIntegers()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new BencodeWriter(buffer);
        w.WriteListStart();
        w.WriteInteger(long.MinValue);
        w.WriteInteger(long.MaxValue);
        w.WriteEnd();
        Assert.Equal("li-9223372036854775808ei9223372036854775807ee", Encoding.Latin1.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void RefusesKeysOutOfRawByteOrder()
    {
        var w = new BencodeWriter(new ArrayBufferWriter<byte>());
        w.WriteDictionaryStart();
        w.WriteString("b"u8);
        w.WriteInteger(1);
        Assert.Throws<InvalidOperationException>(() => w.WriteString("a"u8));
    }

    [Fact]
    public void RefusesDuplicateKeys()
    {
        var w = new BencodeWriter(new ArrayBufferWriter<byte>());
        w.WriteDictionaryStart();
        w.WriteString("a"u8);
        w.WriteInteger(1);
        Assert.Throws<InvalidOperationException>(() => w.WriteString("a"u8));
    }

    [Fact]
    public void RefusesNonStringKeyAndKeyWithoutValue()
    {
        var w = new BencodeWriter(new ArrayBufferWriter<byte>());
        w.WriteDictionaryStart();
        Assert.Throws<InvalidOperationException>(() => w.WriteInteger(1));
        w.WriteString("a"u8);
        Assert.Throws<InvalidOperationException>(w.WriteEnd);
    }

    [Fact]
    public void SortsDictionaryBuiltInCodeByRawBytes()
    {
        var dict = new BDictionary(
        [
            new("zeta"u8.ToArray(), new BInteger(1)),
            new(new byte[] { 0xC3, 0xA9 }, new BInteger(2)),
            new("Zeta"u8.ToArray(), new BInteger(3)),
            new("a"u8.ToArray(), new BInteger(4)),
        ]);
        var encoded = BencodeWriter.Encode(dict);
        Assert.Equal("d4:Zetai3e1:ai4e4:zetai1e2:\u00C3\u00A9i2ee", Encoding.Latin1.GetString(encoded));
        Assert.Equal(encoded, BencodeWriter.Encode(BencodeReader.Decode(encoded)));
    }

    private sealed class OffsetBufferWriter(int offset, int capacity) : IBufferWriter<byte>
    {
        private int _written;

        public byte[] Array { get; } = Enumerable.Repeat((byte)0xFF, offset + capacity + 16).ToArray();

        public byte[] Written => Array.AsSpan(offset, _written).ToArray();

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Array.AsMemory(offset + _written, capacity - _written);

        public Span<byte> GetSpan(int sizeHint = 0) => Array.AsSpan(offset + _written, capacity - _written);
    }
}
