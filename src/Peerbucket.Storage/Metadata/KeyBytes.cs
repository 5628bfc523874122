using System.Text;

namespace Peerbucket.Storage.Metadata;

/// <summary>Object keys as UTF-8 bytes, and the byte-wise bounds used for prefix scans.</summary>
internal static class KeyBytes
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Of(string key) => Strict.GetBytes(key);

    public static string ToKey(byte[] bytes) => Strict.GetString(bytes);

    /// <summary>The smallest byte string greater than every string that starts with <paramref name="prefix"/>; null when none exists.</summary>
    public static byte[]? PrefixEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xFF)
            {
                var end = prefix[..(i + 1)];
                end[i]++;
                return end;
            }
        }

        return null;
    }
}
