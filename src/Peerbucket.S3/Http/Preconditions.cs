using System.Globalization;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Http;

/// <summary>RFC 9110 conditional requests as S3 evaluates them (If-Match beats If-Unmodified-Since; If-None-Match beats If-Modified-Since).</summary>
internal static class Preconditions
{
    /// <param name="header">Reads a request header by name (so copy sources can pass x-amz-copy-source-if-*).</param>
    /// <param name="prefix">"if-" for GET/HEAD, "x-amz-copy-source-if-" for copies.</param>
    /// <param name="notModifiedIsError">For copies, a failed If-None-Match / If-Modified-Since is 412, not 304.</param>
    public static void Check(Func<string, string?> header, string prefix, string etag, DateTimeOffset lastModified, bool notModifiedIsError = false)
    {
        var ifMatch = header(prefix + "match");
        var ifNoneMatch = header(prefix + "none-match");
        var ifModifiedSince = Date(header(prefix + "modified-since"));
        var ifUnmodifiedSince = Date(header(prefix + "unmodified-since"));
        var modified = TruncateToSeconds(lastModified);

        if (ifMatch is not null)
        {
            if (!EtagListMatches(ifMatch, etag))
            {
                throw new S3Exception(S3ErrorCode.PreconditionFailed) { Details = [new("Condition", "If-Match")] };
            }
        }
        else if (ifUnmodifiedSince is { } unmodified && modified > unmodified)
        {
            throw new S3Exception(S3ErrorCode.PreconditionFailed) { Details = [new("Condition", "If-Unmodified-Since")] };
        }

        var notModified = notModifiedIsError ? S3ErrorCode.PreconditionFailed : S3ErrorCode.NotModified;
        if (ifNoneMatch is not null)
        {
            if (EtagListMatches(ifNoneMatch, etag))
            {
                throw new S3Exception(notModified) { Details = [new("Condition", "If-None-Match")] };
            }
        }
        else if (ifModifiedSince is { } since && modified <= since)
        {
            throw new S3Exception(notModified) { Details = [new("Condition", "If-Modified-Since")] };
        }
    }

    private static bool EtagListMatches(string header, string etag)
    {
        foreach (var candidate in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var value = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (value == "*" || value.Trim('"') == etag)
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset? Date(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);
}
