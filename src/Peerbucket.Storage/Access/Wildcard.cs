namespace Peerbucket.Storage.Access;

/// <summary>IAM-style matching: '*' any run of characters, '?' any one character.</summary>
internal static class Wildcard
{
    public static bool Matches(string pattern, string text, bool ignoreCase)
    {
        if (ignoreCase)
        {
            pattern = pattern.ToLowerInvariant();
            text = text.ToLowerInvariant();
        }

        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
