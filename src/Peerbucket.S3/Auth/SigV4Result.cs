using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Auth;

/// <summary>The outcome of <see cref="SigV4Verifier.Verify"/>: anonymous, authenticated, or a typed S3 error.</summary>
internal sealed record SigV4Result
{
    public bool Succeeded { get; private init; }

    /// <summary>The S3 error to answer with when <see cref="Succeeded"/> is false.</summary>
    public S3ErrorCode? Error { get; private init; }

    public string? ErrorMessage { get; private init; }

    /// <summary>True when the request carried no authentication at all.</summary>
    public bool IsAnonymous { get; private init; }

    public bool IsPresigned { get; private init; }

    /// <summary>The verified access key id; null for anonymous or failed requests.</summary>
    public string? AccessKey { get; private init; }

    /// <summary>The region named in the credential scope (any region is accepted).</summary>
    public string? Region { get; private init; }

    /// <summary>The declared payload hash: a hex SHA-256, UNSIGNED-PAYLOAD, or one of the STREAMING-* values
    /// (see <see cref="SigV4PayloadHashes"/>). For a hex value the handler must check the body against it.</summary>
    public string? ContentSha256 { get; private init; }

    /// <summary>Key, timestamp, scope and seed signature for verifying aws-chunked bodies; null unless authenticated.</summary>
    public SigV4SigningContext? SigningContext { get; private init; }

    public static SigV4Result Anonymous() => new() { Succeeded = true, IsAnonymous = true };

    public static SigV4Result Failure(S3ErrorCode error, string? message = null) =>
        new() { Error = error, ErrorMessage = message ?? S3Errors.MessageOf(error) };

    public static SigV4Result Authenticated(
        string accessKey, string region, bool presigned, string contentSha256, SigV4SigningContext signingContext) =>
        new()
        {
            Succeeded = true,
            AccessKey = accessKey,
            Region = region,
            IsPresigned = presigned,
            ContentSha256 = contentSha256,
            SigningContext = signingContext,
        };

    /// <summary>Authenticated by Signature Version 2: the body is not signed (read as sent, checked only by Content-MD5
    /// or a checksum header), and there is no signing context (SigV2 has no aws-chunked bodies).</summary>
    public static SigV4Result AuthenticatedV2(string accessKey, bool presigned) =>
        new() { Succeeded = true, AccessKey = accessKey, IsPresigned = presigned, ContentSha256 = SigV4PayloadHashes.UnsignedPayload };

    /// <summary>Throws the failure as an <see cref="S3Exception"/>; returns this when it succeeded.</summary>
    public SigV4Result ThrowIfFailed() =>
        Succeeded ? this : throw new S3Exception(Error!.Value, ErrorMessage);
}
