using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Auth;

/// <summary>
/// Verifies AWS Signature Version 2 (the <c>AWS AccessKeyId:Signature</c> header, and presigned URLs with
/// <c>AWSAccessKeyId</c>, <c>Expires</c> and <c>Signature</c>), which aws cli v1's <c>aws s3 presign</c> and older tools
/// still produce. The string to sign is S3's: verb, Content-MD5, Content-Type, Date (or Expires), the x-amz-* headers,
/// and the resource with its subresources. Pure: the caller passes <c>now</c> and, for virtual-hosted style, the bucket.
/// </summary>
internal static class SigV2Verifier
{
    /// <summary>The query parameters that are part of the signed resource (botocore's HmacV1 list, which S3's is).</summary>
    private static readonly HashSet<string> Subresources = new(StringComparer.Ordinal)
    {
        "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle", "location", "logging",
        "metrics", "notification", "object-lock", "partNumber", "policy", "replication", "requestPayment", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "response-content-language", "response-content-type",
        "response-expires", "restore", "select", "select-type", "storageClass", "tagging", "torrent", "uploadId", "uploads",
        "versionId", "versioning", "versions", "website",
    };

    public static bool IsHeader(string authorization) => authorization.StartsWith("AWS ", StringComparison.Ordinal);

    public static bool IsPresigned(IReadOnlyList<KeyValuePair<string, string>> query) =>
        query.Any(static p => p.Key is "AWSAccessKeyId" or "Signature");

    /// <summary>Verifies <c>Authorization: AWS AccessKeyId:Signature</c>.</summary>
    public static SigV4Result VerifyHeader(SigV4Request request, string authorization, IReadOnlyList<KeyValuePair<string, string>> query,
        string? virtualBucket, Func<string, string?> secretFor, DateTimeOffset now)
    {
        var credentials = authorization["AWS ".Length..].Trim();
        var colon = credentials.LastIndexOf(':');
        if (colon <= 0)
        {
            return SigV4Result.Failure(S3ErrorCode.InvalidArgument, "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
        }

        var amzDate = request.Header("x-amz-date");
        var dateText = amzDate ?? request.Header("Date");
        if (dateText is null || !DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
        }

        if ((now - date).Duration() > SigV4Verifier.MaxClockSkew)
        {
            return SigV4Result.Failure(S3ErrorCode.RequestTimeTooSkewed);
        }

        // With x-amz-date the Date line is empty: x-amz-date is signed among the x-amz-* headers.
        return Check(request, query, virtualBucket, credentials[..colon], credentials[(colon + 1)..], amzDate is null ? dateText : "", secretFor, presigned: false);
    }

    /// <summary>Verifies a presigned URL (<c>AWSAccessKeyId</c>, <c>Expires</c> in Unix seconds, <c>Signature</c>).</summary>
    public static SigV4Result VerifyPresigned(SigV4Request request, IReadOnlyList<KeyValuePair<string, string>> query, string? virtualBucket,
        Func<string, string?> secretFor, DateTimeOffset now)
    {
        string? Get(string name) => query.FirstOrDefault(p => p.Key == name).Value;
        var accessKey = Get("AWSAccessKeyId");
        var signature = Get("Signature");
        var expires = Get("Expires");
        if (accessKey is null || signature is null || expires is null)
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
        }

        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt))
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "Invalid date (should be seconds since epoch): " + expires);
        }

        if (now.ToUnixTimeSeconds() > expiresAt)
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "Request has expired");
        }

        return Check(request, query, virtualBucket, accessKey, signature, expires, secretFor, presigned: true);
    }

    /// <summary>S3's SigV2 string to sign (the AWS documentation's examples are the tests).</summary>
    public static string StringToSign(SigV4Request request, IReadOnlyList<KeyValuePair<string, string>> query, string? virtualBucket, string date,
        bool listTypeSigned = false)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n')
            .Append(request.Header("Content-MD5") ?? "").Append('\n')
            .Append(request.Header("Content-Type") ?? "").Append('\n')
            .Append(date).Append('\n');
        foreach (var group in request.Headers.Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            .GroupBy(h => h.Key.ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            builder.Append(group.Key).Append(':').Append(string.Join(',', group.Select(h => h.Value.Trim()))).Append('\n');
        }

        if (virtualBucket is not null)
        {
            builder.Append('/').Append(virtualBucket);
        }

        builder.Append(request.RawPath.Length == 0 ? "/" : request.RawPath);
        var signed = query.Where(p => Subresources.Contains(p.Key) || (listTypeSigned && p.Key == "list-type")).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Value.Length == 0 ? p.Key : p.Key + "=" + p.Value).ToList();
        if (signed.Count > 0)
        {
            builder.Append('?').Append(string.Join('&', signed));
        }

        return builder.ToString();
    }

    private static SigV4Result Check(SigV4Request request, IReadOnlyList<KeyValuePair<string, string>> query, string? virtualBucket,
        string accessKey, string signature, string date, Func<string, string?> secretFor, bool presigned)
    {
        if (secretFor(accessKey) is not { } secret)
        {
            return SigV4Result.Failure(S3ErrorCode.InvalidAccessKeyId);
        }

        Span<byte> given = stackalloc byte[20];
        if (!Convert.TryFromBase64String(signature, given, out var written) || written != 20)
        {
            return SigV4Result.Failure(S3ErrorCode.SignatureDoesNotMatch);
        }

        // A bucket's own resource is "/bucket/" to some signers (botocore) and "/bucket" to others: either is the bucket.
        // botocore signs ListObjectsV2 over its operation's path, "/bucket?list-type=2", although list-type is no
        // subresource: that form counts too.
        var key = Encoding.UTF8.GetBytes(secret);
        var bucketOnly = virtualBucket is null && request.RawPath.Length > 1 && request.RawPath.IndexOf('/', 1) < 0;
        var candidates = new List<string> { StringToSign(request, query, virtualBucket, date) };
        if (bucketOnly)
        {
            candidates.Add(WithSlash(request, query, date));
        }

        if (query.Any(static p => p.Key == "list-type"))
        {
            candidates.Add(StringToSign(request, query, virtualBucket, date, listTypeSigned: true));
        }

        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(given, HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(candidate))))
            {
                return SigV4Result.AuthenticatedV2(accessKey, presigned);
            }
        }

        return SigV4Result.Failure(S3ErrorCode.SignatureDoesNotMatch);
    }

    private static string WithSlash(SigV4Request request, IReadOnlyList<KeyValuePair<string, string>> query, string date) =>
        StringToSign(request with { RawPath = request.RawPath + "/" }, query, null, date);
}
