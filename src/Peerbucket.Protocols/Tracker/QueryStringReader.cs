namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// Splits a raw query string (as on the wire, after <c>?</c>) into name/value pairs and percent-decodes values to
/// bytes. Never decodes through UTF-8: a char is a byte (chars above U+00FF are invalid), <c>%xx</c> is a byte in
/// either case, and <c>+</c> stays a literal plus.
/// </summary>
internal ref struct QueryStringReader
{
    private ReadOnlySpan<char> _rest;

    public QueryStringReader(ReadOnlySpan<char> query) => _rest = query.StartsWith('?') ? query[1..] : query;

    /// <summary>The next non-empty parameter; a parameter without <c>=</c> has an empty value.</summary>
    public bool TryNext(out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        while (!_rest.IsEmpty)
        {
            var end = _rest.IndexOf('&');
            var pair = end < 0 ? _rest : _rest[..end];
            _rest = end < 0 ? default : _rest[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            name = eq < 0 ? pair : pair[..eq];
            value = eq < 0 ? default : pair[(eq + 1)..];
            return true;
        }

        name = default;
        value = default;
        return false;
    }

    /// <summary>
    /// Percent-decodes <paramref name="value"/> into <paramref name="destination"/>. Returns false for a malformed
    /// escape, a char above U+00FF, or output longer than the destination.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> value, Span<byte> destination, out int written)
    {
        written = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (written == destination.Length)
            {
                return false;
            }

            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length)
                {
                    return false;
                }

                var hi = HexValue(value[i + 1]);
                var lo = HexValue(value[i + 2]);
                if (hi < 0 || lo < 0)
                {
                    return false;
                }

                destination[written++] = (byte)((hi << 4) | lo);
                i += 2;
            }
            else if (c <= '\u00FF')
            {
                destination[written++] = (byte)c;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses an unsigned decimal (optionally with a leading <c>-</c>) into a 64-bit value.</summary>
    public static bool TryParseInt64(ReadOnlySpan<char> value, out long result)
    {
        result = 0;
        var negative = !value.IsEmpty && value[0] == '-';
        var digits = negative ? value[1..] : value;
        if (digits.IsEmpty)
        {
            return false;
        }

        long accumulator = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            var digit = c - '0';
            if (accumulator > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            accumulator = (accumulator * 10) + digit;
        }

        result = negative ? -accumulator : accumulator;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
