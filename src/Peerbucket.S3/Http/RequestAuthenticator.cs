using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Peerbucket.Protocols.Http;
using Peerbucket.S3.Auth;
using Peerbucket.S3.Errors;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Metadata;

namespace Peerbucket.S3.Http;

/// <summary>Verifies a request's signature (SigV4, or SigV2 for older tools; or notes it is anonymous; keys through
/// <see cref="KeyLookup"/>) and prepares its payload for reading.</summary>
internal sealed class RequestAuthenticator(S3Options options, TimeProvider clock, UserRepository users)
{
    private readonly SigV4Verifier _verifier = new();

    /// <summary>The request-target exactly as the client sent it, split into raw path and raw query.</summary>
    public static (string Path, string Query) RawTarget(HttpContext http) =>
        RequestTarget.Split(http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString));

    /// <param name="virtualBucket">The bucket the Host names (virtual-hosted style), which SigV2 signs into the resource.</param>
    public (Principal Principal, RequestPayload Payload) Authenticate(HttpContext http, string rawPath, string rawQuery, string? virtualBucket = null)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in http.Request.Headers)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value ?? ""));
            }
        }

        var keys = new KeyLookup(options, users);
        var result = _verifier.Verify(new SigV4Request(http.Request.Method, rawPath, rawQuery, headers), keys.SecretFor, clock.GetUtcNow(), virtualBucket);
        if (!result.Succeeded)
        {
            throw new S3Exception(result.Error ?? S3ErrorCode.AccessDenied, result.ErrorMessage);
        }

        var principal = result.IsAnonymous ? Principal.Anonymous : keys.PrincipalFor(result.AccessKey!);
        return (principal, Payload(http, result));
    }

    private static RequestPayload Payload(HttpContext http, SigV4Result auth)
    {
        var body = http.Request.Body;
        var declared = auth.ContentSha256;
        if (SigV4PayloadHashes.IsStreaming(declared))
        {
            var decodedHeader = http.Request.Headers["x-amz-decoded-content-length"].ToString();
            if (!long.TryParse(decodedHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var decoded))
            {
                throw new S3Exception(S3ErrorCode.MissingContentLength, "aws-chunked uploads need x-amz-decoded-content-length.");
            }

            var chunked = new AwsChunkedStream(http.Request.BodyReader, declared!, auth.SigningContext, decoded);
            http.Response.RegisterForDispose(chunked);
            return new RequestPayload(chunked, decoded, () => chunked.Trailers);
        }

        var length = http.Request.ContentLength;
        if (SigV4PayloadHashes.IsHexSha256(declared))
        {
            var checking = new Sha256CheckingStream(body, Convert.FromHexString(declared!));
            http.Response.RegisterForDispose(checking);
            return new RequestPayload(checking, length, null);
        }

        return new RequestPayload(body, length, null);
    }
}
