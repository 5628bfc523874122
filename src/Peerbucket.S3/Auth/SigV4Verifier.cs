using System.Globalization;
using System.Text;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Auth;

/// <summary>Verifies AWS Signature Version 4 for S3: Authorization header, presigned query, or anonymous (and hands
/// Signature Version 2 to <see cref="SigV2Verifier"/>).
/// Pure: no I/O, no clock (the caller passes <c>now</c>), no ASP.NET types.</summary>
internal sealed class SigV4Verifier
{
    /// <summary>How far the request time may be from the server's clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>The longest presigned URL lifetime S3 accepts (seven days).</summary>
    public const int MaxPresignedExpirySeconds = 604800;

    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    public SigV4Result Verify(SigV4Request request, Func<string, string?> secretForAccessKey, DateTimeOffset now, string? virtualBucket = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secretForAccessKey);

        var authorization = request.Header("Authorization");
        var query = SigV4Canonical.ParseQuery(request.RawQuery);
        var presigned = query.Any(static p => p.Key is "X-Amz-Algorithm" or "X-Amz-Credential" or "X-Amz-Signature");

        if (authorization is not null)
        {
            if (presigned)
            {
                return SigV4Result.Failure(S3ErrorCode.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified");
            }

            var trimmed = authorization.TrimStart();
            if (trimmed.StartsWith(SigV4Signing.Algorithm + " ", StringComparison.Ordinal))
            {
                return VerifyHeader(request, trimmed[(SigV4Signing.Algorithm.Length + 1)..], secretForAccessKey, now);
            }

            if (SigV2Verifier.IsHeader(trimmed))
            {
                return SigV2Verifier.VerifyHeader(request, trimmed, query, virtualBucket, secretForAccessKey, now);
            }

            return SigV4Result.Failure(S3ErrorCode.InvalidArgument, "Unsupported Authorization Type; use AWS4-HMAC-SHA256");
        }

        if (presigned)
        {
            return VerifyPresigned(request, query, secretForAccessKey, now);
        }

        if (SigV2Verifier.IsPresigned(query))
        {
            return SigV2Verifier.VerifyPresigned(request, query, virtualBucket, secretForAccessKey, now);
        }

        return SigV4Result.Anonymous();
    }

    private static SigV4Result VerifyHeader(
        SigV4Request request, string parameters, Func<string, string?> secrets, DateTimeOffset now)
    {
        const S3ErrorCode malformed = S3ErrorCode.AuthorizationHeaderMalformed;
        string? credentialText = null, signedHeadersText = null, signature = null;
        foreach (var component in parameters.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = component.IndexOf('=');
            if (equals <= 0)
            {
                return SigV4Result.Failure(malformed, $"The authorization header is malformed; '{component}' is not of the form Key=Value.");
            }

            var (key, value) = (component[..equals], component[(equals + 1)..]);
            ref var slot = ref credentialText;
            if (key == "Credential")
            {
                slot = ref credentialText;
            }
            else if (key == "SignedHeaders")
            {
                slot = ref signedHeadersText;
            }
            else if (key == "Signature")
            {
                slot = ref signature;
            }
            else
            {
                return SigV4Result.Failure(malformed, $"The authorization header is malformed; unknown component '{key}'.");
            }

            if (slot is not null)
            {
                return SigV4Result.Failure(malformed, $"The authorization header is malformed; '{key}' appears twice.");
            }

            slot = value;
        }

        if (credentialText is null || signedHeadersText is null || signature is null)
        {
            return SigV4Result.Failure(malformed, "The authorization header is malformed; it needs Credential, SignedHeaders and Signature.");
        }

        if (!SigV4Credential.TryParse(credentialText, out var credential, out var problem))
        {
            return SigV4Result.Failure(malformed, $"The authorization header is malformed; {problem}.");
        }

        if (!TryParseSignedHeaders(signedHeadersText, out var signedHeaders, out problem))
        {
            return SigV4Result.Failure(malformed, $"The authorization header is malformed; {problem}.");
        }

        if (!TryGetRequestTime(request, out var amzDate, out var requestTime))
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
        }

        if (credential!.Date != amzDate[..8])
        {
            return SigV4Result.Failure(malformed, $"The authorization header is malformed; Invalid credential date \"{credential.Date}\". This date is not the same as X-Amz-Date: \"{amzDate[..8]}\".");
        }

        if ((requestTime - now).Duration() > MaxClockSkew)
        {
            return SigV4Result.Failure(S3ErrorCode.RequestTimeTooSkewed);
        }

        var contentSha256 = request.Header("x-amz-content-sha256")?.Trim();
        if (contentSha256 is null)
        {
            return SigV4Result.Failure(S3ErrorCode.InvalidRequest, "Missing required header for this request: x-amz-content-sha256");
        }

        if (!SigV4PayloadHashes.IsKnown(contentSha256))
        {
            return SigV4Result.Failure(S3ErrorCode.InvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER, or a valid sha256 value.");
        }

        if (UnsignedAmzHeaders(request, signedHeaders!) is { Count: > 0 } unsigned)
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied,
                $"There were headers present in the request which were not signed: {string.Join(", ", unsigned)}");
        }

        return VerifySignature(
            request, secrets, credential, signedHeaders!, signature, amzDate,
            SigV4Canonical.CanonicalQuery(request.RawQuery), contentSha256, presigned: false);
    }

    private static SigV4Result VerifyPresigned(
        SigV4Request request, IReadOnlyList<KeyValuePair<string, string>> query, Func<string, string?> secrets, DateTimeOffset now)
    {
        const S3ErrorCode malformed = S3ErrorCode.AuthorizationQueryParametersError;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] names = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"];
        foreach (var (key, value) in query)
        {
            if (names.Contains(key) && !values.TryAdd(key, value))
            {
                return SigV4Result.Failure(malformed, $"Query-string authentication parameter {key} appears more than once.");
            }
        }

        foreach (var name in names)
        {
            if (!values.ContainsKey(name))
            {
                return SigV4Result.Failure(malformed, $"Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters; {name} is missing.");
            }
        }

        if (values["X-Amz-Algorithm"] != SigV4Signing.Algorithm)
        {
            return SigV4Result.Failure(malformed, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }

        if (!SigV4Credential.TryParse(values["X-Amz-Credential"], out var credential, out var problem))
        {
            return SigV4Result.Failure(malformed, $"Error parsing the X-Amz-Credential parameter; {problem}.");
        }

        var amzDate = values["X-Amz-Date"];
        if (!TryParseAmzDate(amzDate, out var requestTime))
        {
            return SigV4Result.Failure(malformed, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }

        if (credential!.Date != amzDate[..8])
        {
            return SigV4Result.Failure(malformed, $"Invalid credential date \"{credential.Date}\". This date is not the same as X-Amz-Date: \"{amzDate[..8]}\".");
        }

        // A number out of range is S3's 403 (a URL that expires at once, or before it was made, or after more than a
        // week, is refused as expired would be; ceph's s3-tests hold the same); what is not a number is malformed.
        if (!long.TryParse(values["X-Amz-Expires"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expires))
        {
            return SigV4Result.Failure(malformed, "X-Amz-Expires must be a whole number of seconds from 1 to 604800");
        }

        if (expires < 1)
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "Request has expired (X-Amz-Expires must be from 1 to 604800 seconds)");
        }

        if (expires > MaxPresignedExpirySeconds)
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }

        if (!TryParseSignedHeaders(values["X-Amz-SignedHeaders"], out var signedHeaders, out problem))
        {
            return SigV4Result.Failure(malformed, $"Error parsing X-Amz-SignedHeaders; {problem}.");
        }

        if (requestTime - now > MaxClockSkew)
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "Request is not valid yet");
        }

        if (now > requestTime.AddSeconds(expires))
        {
            return SigV4Result.Failure(S3ErrorCode.AccessDenied, "Request has expired");
        }

        return VerifySignature(
            request, secrets, credential, signedHeaders!, values["X-Amz-Signature"], amzDate,
            SigV4Canonical.CanonicalQuery(request.RawQuery, excludeSignature: true),
            SigV4PayloadHashes.UnsignedPayload, presigned: true);
    }

    private static SigV4Result VerifySignature(
        SigV4Request request, Func<string, string?> secrets, SigV4Credential credential, IReadOnlyList<string> signedHeaders,
        string signature, string amzDate, string canonicalQuery, string payloadHash, bool presigned)
    {
        var secret = secrets(credential.AccessKey);
        if (secret is null)
        {
            return SigV4Result.Failure(S3ErrorCode.InvalidAccessKeyId);
        }

        var canonical = new StringBuilder();
        canonical.Append(request.Method).Append('\n');
        canonical.Append(SigV4Canonical.CanonicalUri(request.RawPath)).Append('\n');
        canonical.Append(canonicalQuery).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.HeaderValues(name).Select(SigV4Canonical.CanonicalHeaderValue).ToList();
            if (values.Count == 0)
            {
                return SigV4Result.Failure(S3ErrorCode.SignatureDoesNotMatch, $"The signed header '{name}' is not present in the request.");
            }

            canonical.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        canonical.Append('\n').AppendJoin(';', signedHeaders).Append('\n').Append(payloadHash);

        var signingKey = SigV4Signing.DeriveSigningKey(secret, credential.Date, credential.Region, credential.Service);
        var expected = SigV4Signing.Sign(signingKey, SigV4Signing.RequestStringToSign(amzDate, credential.Scope, canonical.ToString()));
        if (!SigV4Signing.SignatureEquals(expected, signature))
        {
            return SigV4Result.Failure(S3ErrorCode.SignatureDoesNotMatch);
        }

        return SigV4Result.Authenticated(
            credential.AccessKey, credential.Region, presigned, payloadHash,
            new SigV4SigningContext(signingKey, amzDate, credential.Scope, expected));
    }

    /// <summary>x-amz-* headers outside SignedHeaders: S3 refuses them under header authentication, since anything
    /// could be slipped into a signed request through them (an ACL, a copy source, a checksum).</summary>
    private static List<string> UnsignedAmzHeaders(SigV4Request request, IReadOnlyList<string> signedHeaders)
    {
        var unsigned = new List<string>();
        foreach (var (name, _) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower.StartsWith("x-amz-", StringComparison.Ordinal) && !signedHeaders.Contains(lower) && !unsigned.Contains(lower))
            {
                unsigned.Add(lower);
            }
        }

        return unsigned;
    }

    private static bool TryParseSignedHeaders(string text, out IReadOnlyList<string>? names, out string? problem)
    {
        var list = text.Split(';').Select(static n => n.Trim().ToLowerInvariant()).ToList();
        names = list;
        problem = null;
        if (list.Any(static n => n.Length == 0))
        {
            problem = $"SignedHeaders '{text}' has an empty header name";
        }
        else if (!list.Contains("host"))
        {
            problem = "SignedHeaders must include 'host'";
        }

        return problem is null;
    }

    private static bool TryGetRequestTime(SigV4Request request, out string amzDate, out DateTimeOffset time)
    {
        var header = request.Header("x-amz-date")?.Trim();
        if (header is not null)
        {
            amzDate = header;
            return TryParseAmzDate(header, out time);
        }

        var date = request.Header("Date")?.Trim();
        if (date is not null && DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
        {
            amzDate = time.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
            return true;
        }

        amzDate = "";
        time = default;
        return false;
    }

    private static bool TryParseAmzDate(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
