using System.Buffers;
using System.Globalization;
using System.Text;

namespace Peerbucket.Protocols.Bencode;

/// <summary>
/// Canonical bencode encoder over an <see cref="IBufferWriter{T}"/>. Dictionary keys must be written in strictly
/// increasing raw byte order (the writer checks and throws <see cref="InvalidOperationException"/> otherwise), so
/// whatever it writes decodes with <see cref="BencodeReader"/>.
/// </summary>
internal sealed class BencodeWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly Stack<Frame> _frames = new();

    public BencodeWriter(IBufferWriter<byte> output) => _output = output;

    /// <summary>Nesting depth of open lists and dictionaries.</summary>
    public int Depth => _frames.Count;

    /// <summary>Encodes a value tree (dictionaries are already sorted by construction).</summary>
    public static byte[] Encode(BValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new BencodeWriter(buffer).Write(value);
        return buffer.WrittenSpan.ToArray();
    }

    public void WriteInteger(long value)
    {
        BeforeValue();
        var span = _output.GetSpan(22);
        span[0] = (byte)'i';
        value.TryFormat(span[1..], out var written, default, CultureInfo.InvariantCulture);
        span[1 + written] = (byte)'e';
        _output.Advance(written + 2);
    }

    /// <summary>Writes a byte string; inside a dictionary, every other string is a key.</summary>
    public void WriteString(ReadOnlySpan<byte> value)
    {
        if (_frames.TryPeek(out var frame) && frame.IsDictionary && frame.ExpectKey)
        {
            if (frame.LastKey is not null && frame.LastKey.AsSpan().SequenceCompareTo(value) >= 0)
            {
                throw new InvalidOperationException("Dictionary keys must be written in strictly increasing raw byte order.");
            }

            frame.LastKey = value.ToArray();
            frame.ExpectKey = false;
        }
        else
        {
            BeforeValue();
        }

        WriteStringBytes(value);
    }

    /// <summary>Writes a text string as UTF-8 bytes.</summary>
    public void WriteString(string value) => WriteString(Encoding.UTF8.GetBytes(value));

    public void WriteListStart()
    {
        BeforeValue();
        WriteByte((byte)'l');
        _frames.Push(new Frame(false));
    }

    public void WriteDictionaryStart()
    {
        BeforeValue();
        WriteByte((byte)'d');
        _frames.Push(new Frame(true));
    }

    public void WriteEnd()
    {
        if (!_frames.TryPop(out var frame))
        {
            throw new InvalidOperationException("No open list or dictionary.");
        }

        if (frame.IsDictionary && !frame.ExpectKey)
        {
            throw new InvalidOperationException("A dictionary key has no value.");
        }

        WriteByte((byte)'e');
    }

    /// <summary>Writes bytes that already are one encoded value (e.g. the exact <c>info</c> bytes), unchecked.</summary>
    public void WriteEncodedValue(ReadOnlySpan<byte> encoded)
    {
        BeforeValue();
        _output.Write(encoded);
    }

    public void Write(BValue value)
    {
        switch (value)
        {
            case BInteger integer:
                WriteInteger(integer.Value);
                break;
            case BString text:
                WriteString(text.Value.Span);
                break;
            case BList list:
                WriteListStart();
                foreach (var item in list.Items)
                {
                    Write(item);
                }

                WriteEnd();
                break;
            case BDictionary dictionary:
                WriteDictionaryStart();
                foreach (var (key, item) in dictionary.Entries)
                {
                    WriteString(key.Span);
                    Write(item);
                }

                WriteEnd();
                break;
            default:
                throw new ArgumentException($"Unknown value type {value.GetType().Name}.", nameof(value));
        }
    }

    private void BeforeValue()
    {
        if (_frames.TryPeek(out var frame) && frame.IsDictionary)
        {
            if (frame.ExpectKey)
            {
                throw new InvalidOperationException("A dictionary key must be a byte string.");
            }

            frame.ExpectKey = true;
        }
    }

    private void WriteStringBytes(ReadOnlySpan<byte> value)
    {
        var span = _output.GetSpan(12);
        value.Length.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)':';
        _output.Advance(written + 1);
        _output.Write(value);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    private sealed class Frame(bool isDictionary)
    {
        public bool IsDictionary { get; } = isDictionary;

        public bool ExpectKey { get; set; } = true;

        public byte[]? LastKey { get; set; }
    }
}
