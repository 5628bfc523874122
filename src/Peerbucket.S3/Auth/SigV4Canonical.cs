using System.Text;

namespace Peerbucket.S3.Auth;

/// <summary>The canonical-request parts of SigV4 for S3 (no double encoding, no path normalisation).</summary>
internal static class SigV4Canonical
{
    /// <summary>Percent-decodes the raw path to bytes, then encodes each byte except A-Za-z0-9-._~ and '/'
    /// as %XX (uppercase). An empty path is "/". '+' in a path is a plus, never a space.</summary>
    public static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        return UriEncode(PercentDecode(rawPath, plusIsSpace: false), keepSlash: true);
    }

    /// <summary>Canonical query string: each parameter decoded and re-encoded, sorted by name then value,
    /// a parameter without '=' becomes "name=". Optionally drops X-Amz-Signature (presigned URLs).</summary>
    public static string CanonicalQuery(string rawQuery, bool excludeSignature = false)
    {
        var pairs = new List<(string Name, string Value)>();
        foreach (var (name, value) in SplitQuery(rawQuery))
        {
            var decodedName = PercentDecode(name, plusIsSpace: true);
            if (excludeSignature && Encoding.UTF8.GetString(decodedName) == "X-Amz-Signature")
            {
                continue;
            }

            pairs.Add((UriEncode(decodedName, keepSlash: false), UriEncode(PercentDecode(value, plusIsSpace: true), keepSlash: false)));
        }

        pairs.Sort(static (x, y) =>
        {
            var byName = string.CompareOrdinal(x.Name, y.Name);
            return byName != 0 ? byName : string.CompareOrdinal(x.Value, y.Value);
        });
        return string.Join('&', pairs.Select(static p => p.Name + "=" + p.Value));
    }

    /// <summary>The query parameters decoded to strings ('+' is a space), in wire order; repeats kept.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in SplitQuery(rawQuery))
        {
            result.Add(new(
                Encoding.UTF8.GetString(PercentDecode(name, plusIsSpace: true)),
                Encoding.UTF8.GetString(PercentDecode(value, plusIsSpace: true))));
        }

        return result;
    }

    /// <summary>Canonical header value: trimmed, internal runs of spaces collapsed to one.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.Trim();
        var builder = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            var space = c is ' ' or '\t';
            if (space && previousSpace)
            {
                continue;
            }

            builder.Append(space ? ' ' : c);
            previousSpace = space;
        }

        return builder.ToString();
    }

    /// <summary>AWS UriEncode: every byte but A-Za-z0-9-._~ (and '/' when kept) as %XX uppercase.</summary>
    public static string UriEncode(ReadOnlySpan<byte> bytes, bool keepSlash)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' || (keepSlash && b == '/'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Percent-decodes to bytes; a '%' not followed by two hex digits is kept literally.</summary>
    public static byte[] PercentDecode(string text, bool plusIsSpace)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var output = new byte[utf8.Length];
        var length = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b == '%' && i + 2 < utf8.Length && IsHex(utf8[i + 1]) && IsHex(utf8[i + 2]))
            {
                output[length++] = (byte)((HexValue(utf8[i + 1]) << 4) | HexValue(utf8[i + 2]));
                i += 2;
            }
            else
            {
                output[length++] = plusIsSpace && b == '+' ? (byte)' ' : b;
            }
        }

        return output.AsSpan(0, length).ToArray();
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static IEnumerable<(string Name, string Value)> SplitQuery(string rawQuery)
    {
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            yield return equals < 0 ? (part, "") : (part[..equals], part[(equals + 1)..]);
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
