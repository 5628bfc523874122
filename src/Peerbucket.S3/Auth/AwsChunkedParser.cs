using System.Buffers;

namespace Peerbucket.S3.Auth;

/// <summary>
/// The aws-chunked framing (Content-Encoding: aws-chunked) as a state machine over the bytes it is given:
/// <c>hex-size[;chunk-signature=sig] CRLF data CRLF ... 0[;chunk-signature=sig] CRLF [name:value CRLF ...] CRLF</c>.
/// Each <see cref="Parse"/> call reads one element at the start of its input and says how many bytes it took;
/// <see cref="AwsChunkedStatus.NeedMoreData"/> takes none and changes nothing. Limits are checked before anything is
/// kept. No I/O, no allocation and no signature math here: <see cref="AwsChunkedStream"/> feeds it and checks the
/// signatures it hands out.
/// </summary>
public struct AwsChunkedParser
{
    public const int MaxChunkSize = 16 * 1024 * 1024;
    public const int MaxLineLength = 4096;
    public const int MaxTrailerBytes = 16 * 1024;
    public const int MaxTrailerCount = 32;
    public const int SignatureLength = 64;

    private const int MaxLineWithCrLf = MaxLineLength + 2;

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    /// <summary>RFC 9110 tchar.</summary>
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private readonly bool _signed;
    private readonly bool _hasTrailer;
    private readonly long _declaredLength;
    private State _state;
    private AwsChunkedError _error;
    private int _remaining;
    private long _decoded;
    private int _trailerBytes;
    private int _trailerCount;

    /// <param name="signed">Every chunk line carries <c>;chunk-signature=</c> (STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER)).</param>
    /// <param name="hasTrailer">Trailing headers may follow the final chunk (the two *-TRAILER modes).</param>
    /// <param name="decodedContentLength">x-amz-decoded-content-length: the chunks must add up to exactly this.</param>
    public AwsChunkedParser(bool signed, bool hasTrailer, long? decodedContentLength)
    {
        if (decodedContentLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(decodedContentLength));
        }

        _signed = signed;
        _hasTrailer = hasTrailer;
        _declaredLength = decodedContentLength ?? -1;
        _state = State.ChunkHeader;
    }

    private enum State
    {
        ChunkHeader,
        ChunkData,
        ChunkDataEnd,
        AfterFinalChunk,
        Trailers,
        Completed,
        Failed,
    }

    /// <summary>The sum of the sizes of the chunks whose lines have been parsed.</summary>
    public readonly long DecodedLength => _decoded;

    /// <summary>True once the empty line that ends the body has been consumed.</summary>
    public readonly bool IsCompleted => _state == State.Completed;

    /// <summary>Parses the element at the start of <paramref name="input"/>.</summary>
    /// <param name="isFinalBlock">No bytes will follow <paramref name="input"/>: an element it ends inside of is
    /// <see cref="AwsChunkedError.Truncated"/> instead of <see cref="AwsChunkedStatus.NeedMoreData"/>.</param>
    /// <param name="maxDataBytes">At most this many bytes of chunk data are returned by one call.</param>
    public AwsChunkedStatus Parse(in ReadOnlySequence<byte> input, bool isFinalBlock, out AwsChunkedToken token, int maxDataBytes = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDataBytes);
        switch (_state)
        {
            case State.ChunkData:
                return ParseData(input, isFinalBlock, maxDataBytes, out token);
            case State.ChunkDataEnd:
                return ParseDataEnd(input, isFinalBlock, out token);
            case State.Completed:
                if (input.IsEmpty)
                {
                    token = default;
                    return AwsChunkedStatus.Completed;
                }

                return Fail(AwsChunkedError.DataAfterEnd, out token);
            case State.Failed:
                token = new AwsChunkedToken { Error = _error };
                return AwsChunkedStatus.Invalid;
            default:
                return ParseLine(input, isFinalBlock, out token);
        }
    }

    private AwsChunkedStatus ParseData(in ReadOnlySequence<byte> input, bool isFinalBlock, int maxDataBytes, out AwsChunkedToken token)
    {
        if (input.IsEmpty)
        {
            return NeedMore(isFinalBlock, out token);
        }

        var count = (int)Math.Min(Math.Min(_remaining, maxDataBytes), input.Length);
        _remaining -= count;
        if (_remaining == 0)
        {
            _state = State.ChunkDataEnd;
        }

        token = new AwsChunkedToken { Consumed = count, Data = input.Slice(0, count) };
        return AwsChunkedStatus.ChunkData;
    }

    private AwsChunkedStatus ParseDataEnd(in ReadOnlySequence<byte> input, bool isFinalBlock, out AwsChunkedToken token)
    {
        Span<byte> crlf = stackalloc byte[2];
        var available = (int)Math.Min(input.Length, 2);
        input.Slice(0, available).CopyTo(crlf);
        if ((available > 0 && crlf[0] != (byte)'\r') || (available == 2 && crlf[1] != (byte)'\n'))
        {
            return Fail(AwsChunkedError.ChunkDataNotFollowedByCrLf, out token);
        }

        if (available < 2)
        {
            return NeedMore(isFinalBlock, out token);
        }

        _state = State.ChunkHeader;
        token = new AwsChunkedToken { Consumed = 2 };
        return AwsChunkedStatus.ChunkEnd;
    }

    /// <summary>Finds the LF ending the line at the start of <paramref name="input"/> within the line limit.</summary>
    private AwsChunkedStatus ParseLine(in ReadOnlySequence<byte> input, bool isFinalBlock, out AwsChunkedToken token)
    {
        var first = input.FirstSpan;
        var window = first.Length > MaxLineWithCrLf ? first[..MaxLineWithCrLf] : first;
        var newline = window.IndexOf((byte)'\n');
        if (newline >= 0)
        {
            return ParseLine(input, window[..newline], isFinalBlock, out token);
        }

        if (input.IsSingleSegment || window.Length == MaxLineWithCrLf)
        {
            return NoNewline(input.Length, isFinalBlock, out token);
        }

        return ParseSplitLine(input, isFinalBlock, out token);
    }

    /// <summary>A line that spans segments: copied (at most <see cref="MaxLineLength"/> + 2 bytes) to the stack.</summary>
    private AwsChunkedStatus ParseSplitLine(in ReadOnlySequence<byte> input, bool isFinalBlock, out AwsChunkedToken token)
    {
        var window = input.Length > MaxLineWithCrLf ? input.Slice(0, MaxLineWithCrLf) : input;
        if (window.PositionOf((byte)'\n') is not { } newline)
        {
            return NoNewline(input.Length, isFinalBlock, out token);
        }

        var line = window.Slice(0, newline);
        Span<byte> copy = stackalloc byte[MaxLineWithCrLf];
        line.CopyTo(copy);
        return ParseLine(input, copy[..(int)line.Length], isFinalBlock, out token);
    }

    private AwsChunkedStatus NoNewline(long available, bool isFinalBlock, out AwsChunkedToken token) =>
        available >= MaxLineWithCrLf ? Fail(AwsChunkedError.LineTooLong, out token) : NeedMore(isFinalBlock, out token);

    /// <param name="line">The line's bytes before its LF (so ending in CR when well formed).</param>
    private AwsChunkedStatus ParseLine(in ReadOnlySequence<byte> input, ReadOnlySpan<byte> line, bool isFinalBlock, out AwsChunkedToken token)
    {
        if (line.IsEmpty || line[^1] != (byte)'\r')
        {
            return Fail(AwsChunkedError.LineNotCrLf, out token);
        }

        var content = line[..^1];
        var consumed = line.Length + 1;
        if (_state == State.ChunkHeader)
        {
            return ParseChunkLine(input, content, consumed, out token);
        }

        if (_state == State.AfterFinalChunk && _hasTrailer && content.IsEmpty)
        {
            return ParseEmptyLineAfterFinalChunk(input, isFinalBlock, out token);
        }

        return ParseTrailerLine(input, content, consumed, out token);
    }

    private AwsChunkedStatus ParseChunkLine(in ReadOnlySequence<byte> input, ReadOnlySpan<byte> content, int consumed, out AwsChunkedToken token)
    {
        var i = SkipWhitespace(content, 0);
        var digits = i;
        var size = 0;
        for (; i < content.Length && HexValue(content[i]) is var digit and >= 0; i++)
        {
            size = (size * 16) + digit;
            if (size > MaxChunkSize)
            {
                return Fail(AwsChunkedError.ChunkSizeTooLarge, out token);
            }
        }

        if (i == digits)
        {
            return Fail(AwsChunkedError.ChunkSizeNotHex, out token);
        }

        i = SkipWhitespace(content, i);
        if (i < content.Length && content[i] != (byte)';')
        {
            return Fail(AwsChunkedError.ChunkSizeNotHex, out token);
        }

        var signature = ReadOnlySequence<byte>.Empty;
        if (_signed)
        {
            if (i == content.Length)
            {
                return Fail(AwsChunkedError.ChunkSignatureMissing, out token);
            }

            i = SkipWhitespace(content, i + 1);
            if (!content[i..].StartsWith("chunk-signature="u8))
            {
                return Fail(AwsChunkedError.ChunkSignatureMissing, out token);
            }

            i = SkipWhitespace(content, i + "chunk-signature="u8.Length);
            var value = TrimEnd(content[i..]);
            if (value.Length != SignatureLength || value.ContainsAnyExcept(HexDigits))
            {
                return Fail(AwsChunkedError.ChunkSignatureMalformed, out token);
            }

            signature = input.Slice(i, SignatureLength);
        }

        if (_declaredLength >= 0)
        {
            if (size > 0 && _decoded + size > _declaredLength)
            {
                return Fail(AwsChunkedError.DecodedLengthExceeded, out token);
            }

            if (size == 0 && _decoded != _declaredLength)
            {
                return Fail(AwsChunkedError.DecodedLengthMismatch, out token);
            }
        }

        _decoded += size;
        token = new AwsChunkedToken { Consumed = consumed, ChunkSize = size, Signature = signature };
        if (size == 0)
        {
            _state = State.AfterFinalChunk;
            return AwsChunkedStatus.FinalChunk;
        }

        _remaining = size;
        _state = State.ChunkData;
        return AwsChunkedStatus.ChunkHeader;
    }

    /// <summary>An empty line right after the final chunk of a trailer mode: the end of the body when nothing
    /// follows; otherwise some clients' separator before the trailer, so what follows is parsed as trailer lines.</summary>
    private AwsChunkedStatus ParseEmptyLineAfterFinalChunk(in ReadOnlySequence<byte> input, bool isFinalBlock, out AwsChunkedToken token)
    {
        if (input.Length == 2)
        {
            if (!isFinalBlock)
            {
                token = default;
                return AwsChunkedStatus.NeedMoreData;
            }

            _state = State.Completed;
            token = new AwsChunkedToken { Consumed = 2 };
            return AwsChunkedStatus.Completed;
        }

        _state = State.Trailers;
        _trailerBytes += 2;
        var status = ParseLine(input.Slice(2), isFinalBlock, out token);
        if (status == AwsChunkedStatus.NeedMoreData)
        {
            _state = State.AfterFinalChunk;
            _trailerBytes -= 2;
        }
        else if (status != AwsChunkedStatus.Invalid)
        {
            token = token with { Consumed = token.Consumed + 2 };
        }

        return status;
    }

    private AwsChunkedStatus ParseTrailerLine(in ReadOnlySequence<byte> input, ReadOnlySpan<byte> content, int consumed, out AwsChunkedToken token)
    {
        _trailerBytes += consumed;
        if (_trailerBytes > MaxTrailerBytes)
        {
            return Fail(AwsChunkedError.TrailerTooLarge, out token);
        }

        if (content.IsEmpty)
        {
            _state = State.Completed;
            token = new AwsChunkedToken { Consumed = consumed };
            return AwsChunkedStatus.Completed;
        }

        if (!_hasTrailer)
        {
            return Fail(AwsChunkedError.TrailerNotAnnounced, out token);
        }

        if (++_trailerCount > MaxTrailerCount)
        {
            return Fail(AwsChunkedError.TooManyTrailers, out token);
        }

        var colon = content.IndexOf((byte)':');
        if (colon < 0)
        {
            return Fail(AwsChunkedError.TrailerLineMalformed, out token);
        }

        var nameStart = SkipWhitespace(content, 0);
        var name = TrimEnd(content[nameStart..colon]);
        var valueStart = SkipWhitespace(content, colon + 1);
        var value = TrimEnd(content[valueStart..]);
        if (name.IsEmpty || name.ContainsAnyExcept(TokenBytes) || HasControlByte(value))
        {
            return Fail(AwsChunkedError.TrailerLineMalformed, out token);
        }

        _state = State.Trailers;
        token = new AwsChunkedToken
        {
            Consumed = consumed,
            TrailerName = input.Slice(nameStart, name.Length),
            TrailerValue = input.Slice(valueStart, value.Length),
        };
        return AwsChunkedStatus.Trailer;
    }

    private AwsChunkedStatus NeedMore(bool isFinalBlock, out AwsChunkedToken token)
    {
        if (isFinalBlock)
        {
            return Fail(AwsChunkedError.Truncated, out token);
        }

        token = default;
        return AwsChunkedStatus.NeedMoreData;
    }

    private AwsChunkedStatus Fail(AwsChunkedError error, out AwsChunkedToken token)
    {
        _state = State.Failed;
        _error = error;
        token = new AwsChunkedToken { Error = error };
        return AwsChunkedStatus.Invalid;
    }

    private static int HexValue(byte b)
    {
        if ((uint)(b - '0') <= 9)
        {
            return b - '0';
        }

        var lower = b | 0x20;
        return (uint)(lower - 'a') <= 5 ? lower - 'a' + 10 : -1;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> span, int i)
    {
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i;
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> span) => span.TrimEnd(" \t"u8);

    /// <summary>Control bytes other than HTAB (which trailing whitespace trimming leaves only inside a value).</summary>
    private static bool HasControlByte(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return true;
            }
        }

        return false;
    }
}
