namespace Peerbucket.Protocols.Http;

/// <summary>An HTTP request-target (RFC 9112 §3.2) as sent, before any decoding: the S3 signature and the tracker's
/// raw-byte query both need the bytes exactly as the client wrote them.</summary>
public static class RequestTarget
{
    /// <summary>Splits origin-form (<c>/path?query</c>) or absolute-form (<c>http://host/path?query</c>) into the raw
    /// path and the raw query (without '?'; empty when there is none).</summary>
    public static (string Path, string Query) Split(string target)
    {
        if (!target.StartsWith('/') && Uri.TryCreate(target, UriKind.Absolute, out var absolute))
        {
            target = absolute.PathAndQuery;
        }

        var question = target.IndexOf('?');
        return question < 0 ? (target, "") : (target[..question], target[(question + 1)..]);
    }
}
