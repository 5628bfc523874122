using System.Diagnostics.CodeAnalysis;

namespace Peerbucket.Protocols.Bencode;

/// <summary>
/// Strict bencode decoder (BEP 3). Rejects anything a canonical encoder would not write: unsorted or duplicate
/// keys, leading zeros, <c>-0</c>, 64-bit overflow; checks string lengths against the bytes left, nesting depth
/// and total size before allocating. Every rejection carries a <see cref="BencodeError"/> and the offset.
/// </summary>
internal static class BencodeReader
{
    /// <summary>Decodes exactly one value that spans the whole input, or throws <see cref="BencodeException"/>.</summary>
    public static BValue Decode(ReadOnlyMemory<byte> input, BencodeLimits? limits = null)
        => TryDecode(input, out var value, out var error, out var offset, limits)
            ? value
            : throw new BencodeException(error, offset);

    /// <summary>Decodes exactly one value that spans the whole input (trailing bytes are an error).</summary>
    public static bool TryDecode(
        ReadOnlyMemory<byte> input,
        [NotNullWhen(true)] out BValue? value,
        out BencodeError error,
        out int errorOffset,
        BencodeLimits? limits = null)
    {
        error = TryRead(input, out value, out var consumed, out errorOffset, limits);
        if (error != BencodeError.None)
        {
            return false;
        }

        if (consumed != input.Length)
        {
            value = null;
            error = BencodeError.TrailingBytes;
            errorOffset = consumed;
            return false;
        }

        return value is not null;
    }

    /// <summary>
    /// Reads one value at the start of <paramref name="input"/>; bytes after it are left alone.
    /// Returns <see cref="BencodeError.None"/> and the bytes consumed, or an error (then nothing is consumed;
    /// <see cref="BencodeErrorExtensions.IsNeedMoreData"/> tells a short prefix from invalid input).
    /// </summary>
    public static BencodeError TryRead(
        ReadOnlyMemory<byte> input,
        out BValue? value,
        out int consumed,
        out int errorOffset,
        BencodeLimits? limits = null)
    {
        var parser = new Parser(input, limits ?? BencodeLimits.Default);
        value = parser.ParseValue(0);
        if (value is null)
        {
            consumed = 0;
            errorOffset = parser.ErrorOffset;
            return parser.Error;
        }

        consumed = parser.Position;
        errorOffset = 0;
        return BencodeError.None;
    }

    private ref struct Parser
    {
        private readonly ReadOnlyMemory<byte> _memory;
        private readonly ReadOnlySpan<byte> _span;
        private readonly bool _clippedByLimit;
        private readonly int _maxDepth;
        private readonly int _maxLength;

        public Parser(ReadOnlyMemory<byte> input, BencodeLimits limits)
        {
            _maxDepth = limits.MaxDepth;
            _maxLength = limits.MaxInputLength;
            _clippedByLimit = input.Length > _maxLength;
            _memory = _clippedByLimit ? input[.._maxLength] : input;
            _span = _memory.Span;
        }

        public int Position { get; private set; }

        public BencodeError Error { get; private set; }

        public int ErrorOffset { get; private set; }

        private readonly bool AtEnd => Position >= _span.Length;

        public BValue? ParseValue(int depth)
        {
            if (AtEnd)
            {
                return FailAtEnd();
            }

            var c = _span[Position];
            return c switch
            {
                (byte)'i' => ParseInteger(),
                (byte)'l' => ParseList(depth),
                (byte)'d' => ParseDictionary(depth),
                >= (byte)'0' and <= (byte)'9' => ParseString(),
                _ => Fail(BencodeError.UnexpectedByte, Position),
            };
        }

        private BValue? ParseInteger()
        {
            var start = Position++;
            if (AtEnd)
            {
                return FailAtEnd();
            }

            var negative = _span[Position] == (byte)'-';
            if (negative)
            {
                Position++;
                if (AtEnd)
                {
                    return FailAtEnd();
                }
            }

            var c = _span[Position];
            if (c is < (byte)'0' or > (byte)'9')
            {
                return Fail(BencodeError.InvalidInteger, Position);
            }

            long value = 0;
            if (c == (byte)'0')
            {
                if (negative)
                {
                    return Fail(BencodeError.NegativeZero, start);
                }

                Position++;
                if (!AtEnd && _span[Position] is >= (byte)'0' and <= (byte)'9')
                {
                    return Fail(BencodeError.LeadingZero, start);
                }
            }
            else
            {
                // Accumulate as a negative number so that long.MinValue parses.
                while (!AtEnd && _span[Position] is >= (byte)'0' and <= (byte)'9')
                {
                    var digit = _span[Position] - '0';
                    if (value < (long.MinValue + digit) / 10)
                    {
                        return Fail(BencodeError.IntegerOverflow, start);
                    }

                    value = (value * 10) - digit;
                    Position++;
                }

                if (!negative)
                {
                    if (value == long.MinValue)
                    {
                        return Fail(BencodeError.IntegerOverflow, start);
                    }

                    value = -value;
                }
            }

            if (AtEnd)
            {
                return FailAtEnd();
            }

            if (_span[Position] != (byte)'e')
            {
                return Fail(BencodeError.InvalidInteger, Position);
            }

            Position++;
            return new BInteger(value, _memory[start..Position], start);
        }

        private BString? ParseString()
        {
            var start = Position;
            if (_span[Position] == (byte)'0' && Position + 1 < _span.Length && _span[Position + 1] is >= (byte)'0' and <= (byte)'9')
            {
                Fail(BencodeError.LeadingZero, start);
                return null;
            }

            long length = 0;
            while (!AtEnd && _span[Position] is >= (byte)'0' and <= (byte)'9')
            {
                length = (length * 10) + (_span[Position] - '0');
                if (length > _maxLength)
                {
                    Fail(BencodeError.InvalidStringLength, start);
                    return null;
                }

                Position++;
            }

            if (AtEnd)
            {
                FailAtEnd();
                return null;
            }

            if (_span[Position] != (byte)':')
            {
                Fail(BencodeError.UnexpectedByte, Position);
                return null;
            }

            Position++;
            if (length > _span.Length - Position)
            {
                Fail(_clippedByLimit ? BencodeError.TooLarge : BencodeError.StringPastEnd, start);
                return null;
            }

            var dataStart = Position;
            Position += (int)length;
            return new BString(_memory[dataStart..Position], _memory[start..Position], start);
        }

        private BValue? ParseList(int depth)
        {
            var start = Position;
            if (depth + 1 > _maxDepth)
            {
                return Fail(BencodeError.TooDeep, start);
            }

            Position++;
            var items = new List<BValue>();
            while (true)
            {
                if (AtEnd)
                {
                    return FailAtEnd();
                }

                if (_span[Position] == (byte)'e')
                {
                    Position++;
                    return new BList(items, _memory[start..Position], start);
                }

                var item = ParseValue(depth + 1);
                if (item is null)
                {
                    return null;
                }

                items.Add(item);
            }
        }

        private BValue? ParseDictionary(int depth)
        {
            var start = Position;
            if (depth + 1 > _maxDepth)
            {
                return Fail(BencodeError.TooDeep, start);
            }

            Position++;
            var entries = new List<KeyValuePair<ReadOnlyMemory<byte>, BValue>>();
            while (true)
            {
                if (AtEnd)
                {
                    return FailAtEnd();
                }

                var c = _span[Position];
                if (c == (byte)'e')
                {
                    Position++;
                    return BDictionary.FromSorted([.. entries], _memory[start..Position], start);
                }

                if (c is < (byte)'0' or > (byte)'9')
                {
                    return Fail(BencodeError.NonStringKey, Position);
                }

                var keyOffset = Position;
                var key = ParseString();
                if (key is null)
                {
                    return null;
                }

                if (entries.Count > 0)
                {
                    var order = entries[^1].Key.Span.SequenceCompareTo(key.Value.Span);
                    if (order >= 0)
                    {
                        return Fail(order == 0 ? BencodeError.DuplicateKey : BencodeError.UnsortedKeys, keyOffset);
                    }
                }

                var value = ParseValue(depth + 1);
                if (value is null)
                {
                    return null;
                }

                entries.Add(new(key.Value, value));
            }
        }

        private BValue? FailAtEnd()
            => Fail(_clippedByLimit ? BencodeError.TooLarge : BencodeError.Truncated, Position);

        private BValue? Fail(BencodeError error, int offset)
        {
            Error = error;
            ErrorOffset = offset;
            return null;
        }
    }
}
