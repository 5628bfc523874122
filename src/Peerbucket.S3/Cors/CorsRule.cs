namespace Peerbucket.S3.Cors;

/// <summary>One CORSRule of a bucket's CORS configuration, as validated by <see cref="CorsConfiguration"/>.</summary>
internal sealed record CorsRule(
    string? Id,
    IReadOnlyList<string> AllowedMethods,
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<string> AllowedHeaders,
    IReadOnlyList<string> ExposeHeaders,
    int? MaxAgeSeconds)
{
    /// <summary>The pattern of <see cref="AllowedOrigins"/> that <paramref name="origin"/> matches (one <c>*</c> matches
    /// any run of characters, none included), or null.</summary>
    public string? OriginPattern(string origin) => AllowedOrigins.FirstOrDefault(p => Matches(p, origin, StringComparison.Ordinal));

    /// <summary>True when every header of a preflight's <c>Access-Control-Request-Headers</c> is allowed.</summary>
    public bool AllowsHeaders(IEnumerable<string> headers) =>
        headers.All(h => AllowedHeaders.Any(p => Matches(p, h, StringComparison.OrdinalIgnoreCase)));

    /// <summary>S3's wildcard: at most one <c>*</c> in a pattern, standing for any characters.</summary>
    public static bool Matches(string pattern, string value, StringComparison comparison)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return string.Equals(pattern, value, comparison);
        }

        var prefix = pattern[..star];
        var suffix = pattern[(star + 1)..];
        return value.Length >= prefix.Length + suffix.Length
            && value.StartsWith(prefix, comparison) && value.EndsWith(suffix, comparison);
    }
}
