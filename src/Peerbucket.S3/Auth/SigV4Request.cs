namespace Peerbucket.S3.Auth;

/// <summary>What SigV4 needs of an HTTP request, as it was on the wire.</summary>
/// <param name="Method">HTTP method, e.g. GET.</param>
/// <param name="RawPath">The request target's path as sent, still percent-encoded, without the query.</param>
/// <param name="RawQuery">The query as sent, without the leading '?'; empty when there is none.</param>
/// <param name="Headers">All request headers; names in any case; a name may repeat.</param>
public sealed record SigV4Request(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>All values of the header <paramref name="name"/> (case-insensitive), in order.</summary>
    public IEnumerable<string> HeaderValues(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return header.Value;
            }
        }
    }

    /// <summary>The first value of the header <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => HeaderValues(name).FirstOrDefault();
}
