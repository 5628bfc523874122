using System.Text;
using Peerbucket.S3.Auth;

namespace Peerbucket.S3.Routing;

/// <summary>A query string parsed from its raw bytes: names and values percent-decoded as UTF-8, '+' as a space (form encoding).</summary>
internal sealed class S3Query
{
    private readonly List<KeyValuePair<string, string>> _pairs;

    private S3Query(List<KeyValuePair<string, string>> pairs) => _pairs = pairs;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public static S3Query Parse(string rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = PercentDecode(eq < 0 ? part : part[..eq], plusIsSpace: true);
            var value = eq < 0 ? "" : PercentDecode(part[(eq + 1)..], plusIsSpace: true);
            pairs.Add(new(name, value));
        }

        return new S3Query(pairs);
    }

    public bool Has(string name) => _pairs.Any(p => p.Key == name);

    public string? Get(string name)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes %XX escapes into bytes and the bytes as UTF-8; invalid escapes are kept literally.
    /// Throws <see cref="DecoderFallbackException"/> when the bytes are not UTF-8.
    /// </summary>
    public static string PercentDecode(string text, bool plusIsSpace = false) =>
        text.Contains('%') || (plusIsSpace && text.Contains('+'))
            ? StrictUtf8.GetString(SigV4Canonical.PercentDecode(text, plusIsSpace))
            : text;
}
