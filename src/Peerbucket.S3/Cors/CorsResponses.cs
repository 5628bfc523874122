using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;
using Peerbucket.Storage;

namespace Peerbucket.S3.Cors;

/// <summary>
/// CORS on the wire: the preflight (<c>OPTIONS</c>, answered without credentials as browsers send none) and the
/// <c>Access-Control-*</c> headers on actual requests that carry an <c>Origin</c> the bucket's rules allow, errors
/// included (a browser can read an error only with them).
/// </summary>
internal static class CorsResponses
{
    /// <summary>The name of a bucket's CORS document in the bucket configuration store.</summary>
    public const string Subresource = "cors";

    public static CorsConfiguration? For(ObjectStore store, string bucket) =>
        store.Buckets.GetConfig(bucket, Subresource) is { } document
            ? CorsConfiguration.FromXml(RequestXml.Parse(System.Text.Encoding.UTF8.GetBytes(document)))
            : null;

    /// <summary>Adds the CORS headers for an actual request (its method, or a stated Access-Control-Request-Method).</summary>
    public static void ApplyToActual(HttpContext http, ObjectStore store, string bucket)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || For(store, bucket) is not { } cors)
        {
            return;
        }

        var method = http.Request.Headers.AccessControlRequestMethod.ToString() is { Length: > 0 } stated ? stated : http.Request.Method;
        if (cors.Match(origin, method, []) is { } match)
        {
            Write(http.Response, origin, match.Rule, match.OriginPattern, []);
        }
    }

    /// <summary>Answers a preflight for <paramref name="bucket"/>: 200 with the headers when a rule allows it, else the
    /// S3 error (400 without Origin or Access-Control-Request-Method, 403 when no rule allows it).</summary>
    public static void Preflight(HttpContext http, ObjectStore store, string bucket)
    {
        if (store.Buckets.Get(bucket) is null)
        {
            throw new S3Exception(S3ErrorCode.NoSuchBucket) { Details = [new("BucketName", bucket)] };
        }

        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            throw new S3Exception(S3ErrorCode.BadRequest, "Insufficient information. Origin request header needed.");
        }

        var method = http.Request.Headers.AccessControlRequestMethod.ToString();
        if (method.Length == 0)
        {
            throw new S3Exception(S3ErrorCode.BadRequest, "Invalid Access-Control-Request-Method: null");
        }

        var headers = http.Request.Headers.AccessControlRequestHeaders.ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (For(store, bucket)?.Match(origin, method, headers) is not { } match)
        {
            throw new S3Exception(S3ErrorCode.AccessForbidden);
        }

        Write(http.Response, origin, match.Rule, match.OriginPattern, headers);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentLength = 0;
    }

    private static void Write(HttpResponse response, string origin, CorsRule rule, string originPattern, string[] requestedHeaders)
    {
        var headers = response.Headers;
        var anyOrigin = originPattern == "*";
        headers.AccessControlAllowOrigin = anyOrigin ? "*" : origin;
        headers.AccessControlAllowMethods = string.Join(", ", rule.AllowedMethods);
        if (!anyOrigin)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (requestedHeaders.Length > 0)
        {
            headers.AccessControlAllowHeaders = string.Join(", ", requestedHeaders);
        }

        if (rule.ExposeHeaders.Count > 0)
        {
            headers.AccessControlExposeHeaders = string.Join(", ", rule.ExposeHeaders);
        }

        if (rule.MaxAgeSeconds is { } maxAge)
        {
            headers.AccessControlMaxAge = maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        headers.Vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
    }
}
