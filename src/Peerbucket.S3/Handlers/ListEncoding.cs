using System.Text;

namespace Peerbucket.S3.Handlers;

/// <summary>encoding-type=url in list replies: every byte but unreserved characters and '/' as %XX.</summary>
internal static class ListEncoding
{
    public static string Encode(string value, bool url)
    {
        if (!url)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'/')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
