using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// The BEP 10 extension handshake (extended id 0): a bencoded dictionary. <see cref="Messages"/> (<c>m</c>) maps
/// extension names to the ids the <em>sender</em> wants to receive them on (0 = disabled). Parsing is tolerant of
/// unknown keys but not of known keys with the wrong type.
/// </summary>
public sealed record ExtendedHandshake
{
    private static readonly BencodeLimits Limits = new() { MaxDepth = 16 };

    /// <summary><c>m</c>: extension name -> the sender's id for it.</summary>
    public IReadOnlyDictionary<string, byte> Messages { get; init; } = new Dictionary<string, byte>();

    /// <summary><c>metadata_size</c> (BEP 9): bytes of the info dictionary.</summary>
    public long? MetadataSize { get; init; }

    /// <summary><c>p</c>: the sender's listening port.</summary>
    public ushort? ListenPort { get; init; }

    /// <summary><c>reqq</c>: how many outstanding requests the sender queues.</summary>
    public int? RequestQueueLength { get; init; }

    /// <summary><c>v</c>: client name and version (UTF-8).</summary>
    public string? Version { get; init; }

    /// <summary><c>yourip</c>: the receiver's address as the sender sees it, 4 or 16 bytes.</summary>
    public ReadOnlyMemory<byte>? YourIp { get; init; }

    /// <summary>Parses the payload after the extended id. Unknown keys are ignored.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> payload, [NotNullWhen(true)] out ExtendedHandshake? handshake, out PeerWireError error)
    {
        handshake = null;
        if (!BencodeReader.TryDecode(payload, out var value, out _, out _, Limits) || value is not BDictionary dictionary)
        {
            error = PeerWireError.InvalidBencode;
            return false;
        }

        error = PeerWireError.WrongType;
        var messages = new Dictionary<string, byte>(StringComparer.Ordinal);
        if (dictionary.TryGetValue("m"u8, out var m))
        {
            if (m is not BDictionary map)
            {
                return false;
            }

            foreach (var (name, id) in map.Entries)
            {
                if (id is not BInteger { Value: >= 0 and <= 255 } integer)
                {
                    return false;
                }

                messages[Encoding.UTF8.GetString(name.Span)] = (byte)integer.Value;
            }
        }

        if (!TryGetInteger(dictionary, "metadata_size"u8, 0, long.MaxValue, out var metadataSize)
            || !TryGetInteger(dictionary, "p"u8, 0, ushort.MaxValue, out var port)
            || !TryGetInteger(dictionary, "reqq"u8, 0, long.MaxValue, out var reqq))
        {
            return false;
        }

        string? version = null;
        if (dictionary.TryGetValue("v"u8, out var v))
        {
            if (v is not BString text)
            {
                return false;
            }

            version = Encoding.UTF8.GetString(text.Value.Span);
        }

        ReadOnlyMemory<byte>? yourIp = null;
        if (dictionary.TryGetValue("yourip"u8, out var ip))
        {
            if (ip is not BString address)
            {
                return false;
            }

            yourIp = address.Value.Length is 4 or 16 ? address.Value.ToArray() : null;
        }

        handshake = new ExtendedHandshake
        {
            Messages = messages,
            MetadataSize = metadataSize,
            ListenPort = port is null or 0 ? null : (ushort)port.Value,
            RequestQueueLength = reqq is null ? null : (int)Math.Min(reqq.Value, int.MaxValue),
            Version = version,
            YourIp = yourIp,
        };
        error = PeerWireError.None;
        return true;
    }

    /// <summary>Writes the dictionary (canonical key order; only the fields that are set).</summary>
    public void Write(IBufferWriter<byte> output)
    {
        var writer = new BencodeWriter(output);
        writer.WriteDictionaryStart();
        writer.WriteString("m"u8);
        writer.WriteDictionaryStart();
        foreach (var (name, id) in Messages.Select(p => (Name: Encoding.UTF8.GetBytes(p.Key), p.Value)).OrderBy(p => p.Name, ByteComparer.Instance))
        {
            writer.WriteString(name);
            writer.WriteInteger(id);
        }

        writer.WriteEnd();
        if (MetadataSize is { } size)
        {
            writer.WriteString("metadata_size"u8);
            writer.WriteInteger(size);
        }

        if (ListenPort is { } port)
        {
            writer.WriteString("p"u8);
            writer.WriteInteger(port);
        }

        if (RequestQueueLength is { } reqq)
        {
            writer.WriteString("reqq"u8);
            writer.WriteInteger(reqq);
        }

        if (Version is { } version)
        {
            writer.WriteString("v"u8);
            writer.WriteString(version);
        }

        if (YourIp is { } yourIp)
        {
            writer.WriteString("yourip"u8);
            writer.WriteString(yourIp.Span);
        }

        writer.WriteEnd();
    }

    /// <summary>The encoded dictionary.</summary>
    public byte[] ToPayload()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The whole extended message (id 20, extended id 0).</summary>
    public ExtendedMessage ToMessage() => new(ExtendedMessage.HandshakeId, ToPayload());

    private static bool TryGetInteger(BDictionary dictionary, ReadOnlySpan<byte> key, long min, long max, out long? value)
    {
        value = null;
        if (!dictionary.TryGetValue(key, out var raw))
        {
            return true;
        }

        if (raw is not BInteger integer || integer.Value < min || integer.Value > max)
        {
            return false;
        }

        value = integer.Value;
        return true;
    }

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
