using System.Net;

namespace Peerbucket.S3.Routing;

/// <summary>S3's bucket naming rules (general purpose buckets).</summary>
internal static class BucketNames
{
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
            {
                return false;
            }
        }

        return char.IsAsciiLetterOrDigit(name[0])
            && char.IsAsciiLetterOrDigit(name[^1])
            && !name.Contains("..", StringComparison.Ordinal)
            && !name.Contains(".-", StringComparison.Ordinal)
            && !name.Contains("-.", StringComparison.Ordinal)
            && !name.StartsWith("xn--", StringComparison.Ordinal)
            && !name.StartsWith("sthree-", StringComparison.Ordinal)
            && !name.EndsWith("-s3alias", StringComparison.Ordinal)
            && !name.EndsWith("--ol-s3", StringComparison.Ordinal)
            && !(name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out _));
    }
}
