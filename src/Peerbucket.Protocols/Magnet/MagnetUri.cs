using System.Globalization;
using System.Text;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Magnet;

/// <summary>BEP 9 / BEP 52 magnet links.</summary>
public static class MagnetUri
{
    /// <summary>
    /// <c>magnet:?xt=urn:btih:&lt;v1 hex&gt;&amp;xt=urn:btmh:1220&lt;v2 hex&gt;&amp;dn=..&amp;xl=..&amp;tr=..&amp;ws=..&amp;x.pe=host:port</c>.
    /// Hashes are lowercase hex; every value is percent-encoded as UTF-8 except RFC 3986 unreserved characters.
    /// Pass an empty hash to leave it out (at least one is required).
    /// </summary>
    public static string Build(
        ReadOnlySpan<byte> v1,
        ReadOnlySpan<byte> v2,
        string? name = null,
        long? length = null,
        IEnumerable<string>? trackers = null,
        IEnumerable<string>? webSeeds = null,
        IEnumerable<string>? peers = null)
    {
        if (!v1.IsEmpty && v1.Length != 20)
        {
            throw new ArgumentException("A v1 info-hash has 20 bytes.", nameof(v1));
        }

        if (!v2.IsEmpty && v2.Length != 32)
        {
            throw new ArgumentException("A v2 info-hash has 32 bytes.", nameof(v2));
        }

        if (v1.IsEmpty && v2.IsEmpty)
        {
            throw new ArgumentException("At least one info-hash is required.");
        }

        var sb = new StringBuilder("magnet:?");
        var first = true;
        if (!v1.IsEmpty)
        {
            Append(sb, ref first, "xt", "urn:btih:" + Convert.ToHexStringLower(v1), encode: false);
        }

        if (!v2.IsEmpty)
        {
            // Multihash: 0x12 = sha2-256, 0x20 = 32 bytes.
            Append(sb, ref first, "xt", "urn:btmh:1220" + Convert.ToHexStringLower(v2), encode: false);
        }

        if (!string.IsNullOrEmpty(name))
        {
            Append(sb, ref first, "dn", name, encode: true);
        }

        if (length is { } xl)
        {
            Append(sb, ref first, "xl", xl.ToString(CultureInfo.InvariantCulture), encode: false);
        }

        foreach (var tracker in trackers ?? [])
        {
            Append(sb, ref first, "tr", tracker, encode: true);
        }

        foreach (var webSeed in webSeeds ?? [])
        {
            Append(sb, ref first, "ws", webSeed, encode: true);
        }

        foreach (var peer in peers ?? [])
        {
            Append(sb, ref first, "x.pe", peer, encode: true);
        }

        return sb.ToString();
    }

    /// <summary>Builds a magnet link from an <see cref="InfoHashes"/>.</summary>
    public static string Build(
        InfoHashes hashes,
        string? name = null,
        long? length = null,
        IEnumerable<string>? trackers = null,
        IEnumerable<string>? webSeeds = null,
        IEnumerable<string>? peers = null)
        => Build(hashes.V1.Span, hashes.V2.Span, name, length, trackers, webSeeds, peers);

    /// <summary>Percent-encodes UTF-8 bytes, keeping only RFC 3986 unreserved characters.</summary>
    public static string PercentEncode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ref bool first, string key, string value, bool encode)
    {
        if (!first)
        {
            sb.Append('&');
        }

        first = false;
        sb.Append(key).Append('=').Append(encode ? PercentEncode(value) : value);
    }
}
