using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Writes;
using Peerbucket.Storage;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Http;

/// <summary>One authenticated, routed request and the services its handler needs.</summary>
internal sealed class S3Request
{
    private BucketRecord? _bucket;

    public required HttpContext Http { get; init; }
    public required S3Route Route { get; init; }
    public required Principal Principal { get; init; }
    public required RequestPayload Payload { get; init; }
    public required ObjectStore Store { get; init; }
    public required S3Options Options { get; init; }
    public required ObjectWriter Writer { get; init; }
    public required IContentDocuments Documents { get; init; }
    public required EgressMeter Egress { get; init; }
    public required TimeProvider Clock { get; init; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public CancellationToken Aborted => Http.RequestAborted;

    public string BucketName => Route.Bucket ?? throw new InvalidOperationException("no bucket in route");

    public string Key => Route.Key ?? throw new InvalidOperationException("no key in route");

    public string? Header(string name)
    {
        var value = Request.Headers[name];
        return value.Count == 0 ? null : value.ToString();
    }

    /// <summary>The bucket, or NoSuchBucket.</summary>
    public BucketRecord Bucket()
    {
        _bucket ??= Store.Buckets.Get(BucketName)
            ?? throw new S3Exception(S3ErrorCode.NoSuchBucket) { Details = [new("BucketName", BucketName)] };
        return _bucket;
    }

    /// <summary>Asks the one authorization function; AccessDenied when it says no.</summary>
    public void Authorize(S3Action action, ObjectRecord? obj = null)
    {
        if (!Authorizer.IsAllowed(Principal, action, Bucket(), obj, Route.Key))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }
    }

    /// <summary>
    /// The current object, authorized for reading. A missing key is NoSuchKey only for callers allowed to list the
    /// bucket; others get AccessDenied, as S3 does, so probing reveals nothing.
    /// </summary>
    public ObjectRecord ReadableObject()
    {
        var obj = Store.Objects.Get(BucketName, Key);
        if (obj is null)
        {
            if (!Authorizer.IsAllowed(Principal, S3Action.ListBucket, Bucket(), null))
            {
                throw new S3Exception(S3ErrorCode.AccessDenied);
            }

            throw new S3Exception(S3ErrorCode.NoSuchKey) { Details = [new("Key", Key)] };
        }

        Authorize(S3Action.GetObject, obj);
        return obj;
    }

    public async Task WriteXmlAsync(byte[] document, int status = StatusCodes.Status200OK)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/xml";
        Response.ContentLength = document.Length;
        await Response.Body.WriteAsync(document, Aborted);
    }
}
