using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Peerbucket.S3.Cors;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Writes;
using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Content;

namespace Peerbucket.S3.Http;

/// <summary>
/// The S3 front end as one request delegate: request id, routing, authentication, dispatch, and the one place
/// where errors become S3 XML. The last resort is here too: any unexpected exception becomes InternalError (500, S3
/// XML, the request id), logged once with its stack under <see cref="InternalErrorEvent"/> and counted.
/// </summary>
public sealed class S3Endpoint(ObjectStore store, S3Options options, ObjectWriter writer, IContentDocuments documents, EgressMeter egress,
    TimeProvider clock, ILogger<S3Endpoint> logger)
{
    /// <summary>The event an InternalError is logged under (console: <c>fail: Peerbucket.S3.Http.S3Endpoint[500]</c>).</summary>
    public static readonly EventId InternalErrorEvent = new(500, "InternalError");

    private readonly S3Router _router = new(options.Domain);
    private readonly RequestAuthenticator _authenticator = new(options, clock, store.Users);
    private long _internalErrors;

    /// <summary>True when <paramref name="host"/> names a bucket (virtual-hosted style): every path on it is a key of
    /// that bucket, so the host's own routes (<c>/_metrics</c>, <c>/_seed/</c>, ...) must not take it.</summary>
    public bool NamesBucket(string? host) => _router.VirtualHostBucket(host) is not null;

    /// <summary>Requests answered with InternalError since start.</summary>
    public long InternalErrors => Interlocked.Read(ref _internalErrors);

    public async Task HandleAsync(HttpContext http)
    {
        var requestId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        http.Response.Headers["x-amz-request-id"] = requestId;
        http.Response.Headers["x-amz-id-2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        http.Response.Headers.Server = "Peerbucket";
        var (rawPath, rawQuery) = RequestAuthenticator.RawTarget(http);
        try
        {
            var route = _router.Route(http.Request.Method, http.Request.Headers.Host.ToString(), rawPath, rawQuery);
            if (http.Request.Headers.ContainsKey("x-amz-copy-source"))
            {
                route = route with { Operation = S3Router.RefineForCopy(route.Operation) };
            }

            if (route.Bucket is { } bucket)
            {
                if (route.Operation == S3Operation.PreflightCors)
                {
                    CorsResponses.Preflight(http, store, bucket); // browsers send preflights without credentials
                    return;
                }

                CorsResponses.ApplyToActual(http, store, bucket);
            }

            var (principal, payload) = _authenticator.Authenticate(http, rawPath, rawQuery, _router.VirtualHostBucket(http.Request.Headers.Host.ToString()));
            var request = new S3Request
            {
                Http = http,
                Route = route,
                Principal = principal,
                Payload = payload,
                Store = store,
                Options = options,
                Writer = writer,
                Documents = documents,
                Egress = egress,
                Clock = clock,
            };
            await S3Dispatcher.DispatchAsync(request);
        }
        catch (Exception error) when (!http.Response.HasStarted && Translate(error) is { } s3)
        {
            if (s3.Code == S3ErrorCode.InternalError)
            {
                RecordInternalError(error, requestId, http.Request.Method, rawPath);
            }

            await WriteErrorAsync(http, s3, Uri.UnescapeDataString(rawPath), requestId, rawPath);
        }
        catch (ClientTooSlowException error)
        {
            logger.LogInformation("Request {RequestId} {Method} {Path} cut off: {Reason}", requestId, http.Request.Method, rawPath, error.Message);
            http.Abort();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The status line is gone: the only honest signal left is to cut the connection.
            logger.LogWarning(error, "Request {RequestId} {Method} {Path} failed after its response started", requestId, http.Request.Method, rawPath);
            http.Abort();
        }
    }

    /// <summary>Answers <c>503 SlowDown</c> (S3 XML with a request id) without reading the request: the server sheds
    /// load before any work (e.g. a connection over the per-address cap).</summary>
    public static Task SlowDownAsync(HttpContext http, string message)
    {
        var requestId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        http.Response.Headers["x-amz-request-id"] = requestId;
        return ErrorResponse.WriteAsync(http, new S3Exception(S3ErrorCode.SlowDown, message), http.Request.Path, requestId);
    }

    /// <summary>Renders the error; should that fail (a bug: nothing of the request should be able to break it), the
    /// answer is InternalError in fixed text.</summary>
    private async Task WriteErrorAsync(HttpContext http, S3Exception error, string resource, string requestId, string rawPath)
    {
        try
        {
            await ErrorResponse.WriteAsync(http, error, resource, requestId);
        }
        catch (Exception renderError) when (!http.Response.HasStarted && renderError is not OperationCanceledException)
        {
            RecordInternalError(renderError, requestId, http.Request.Method, rawPath);
            await ErrorResponse.WriteAsync(http, new S3Exception(S3ErrorCode.InternalError), "", requestId);
        }
    }

    private void RecordInternalError(Exception error, string requestId, string method, string rawPath)
    {
        Interlocked.Increment(ref _internalErrors);
        logger.LogError(InternalErrorEvent, error, "InternalError for request {RequestId} {Method} {Path}", requestId, method, rawPath);
    }

    private static S3Exception? Translate(Exception error) => error switch
    {
        S3Exception s3 => s3,
        StorageException storage => StorageErrors.ToS3(storage),
        BadHttpRequestException => new S3Exception(S3ErrorCode.IncompleteBody),
        OperationCanceledException => null,
        _ => new S3Exception(S3ErrorCode.InternalError),
    };
}
