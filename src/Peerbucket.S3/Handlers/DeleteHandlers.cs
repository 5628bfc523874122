using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Xml;
using Peerbucket.Storage;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>DeleteObject and DeleteObjects (Quiet mode too; Content-MD5 or a checksum required, as in S3), with
/// version ids and delete markers. Deleting a missing key or version succeeds, as in S3.</summary>
internal static class DeleteHandlers
{
    public const int MaxKeysPerRequest = 1000;

    public static async Task DeleteObjectAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var outcome = await DeleteAsync(request, request.Key, request.VersionId);
        if (outcome.VersionId is { } versionId)
        {
            request.Response.Headers["x-amz-version-id"] = versionId;
        }

        if (outcome.DeleteMarker)
        {
            request.Response.Headers["x-amz-delete-marker"] = "true";
        }

        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task DeleteObjectsAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var bytes = await RequestXml.ReadBytesAsync(request.Payload.Body, request.Aborted);
        BodyDigests.Verify(request, bytes, required: true);
        var body = RequestXml.Parse(bytes);
        if (body.Name.LocalName != "Delete")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var quiet = string.Equals(body.ChildValue("Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var objects = body.Children("Object").Select(o => (Key: o.ChildValue("Key"), VersionId: o.ChildValue("VersionId"))).ToList();
        if (objects.Count is 0 or > MaxKeysPerRequest || objects.Any(o => string.IsNullOrEmpty(o.Key)))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var results = new List<Result>();
        foreach (var (key, versionId) in objects)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(key!) > S3Router.MaxKeyBytes)
            {
                results.Add(new Result(key!, versionId, null, S3ErrorCode.KeyTooLongError));
                continue;
            }

            try
            {
                if (versionId is not null)
                {
                    VersionIds.Validate(versionId);
                }

                results.Add(new Result(key!, versionId, await DeleteAsync(request, key!, versionId), null));
            }
            catch (S3Exception error) when (error.Code == S3ErrorCode.InvalidArgument)
            {
                results.Add(new Result(key!, versionId, null, S3ErrorCode.NoSuchVersion));
            }
            catch (StorageException error) when (error.Error == StorageError.ObjectLocked)
            {
                results.Add(new Result(key!, versionId, null, S3ErrorCode.AccessDenied));
            }
        }

        await request.WriteXmlAsync(S3Xml.Document("DeleteResult", w =>
        {
            foreach (var result in results)
            {
                if (result.Error is null && quiet)
                {
                    continue;
                }

                w.WriteStartElement(result.Error is null ? "Deleted" : "Error", S3Xml.Namespace);
                w.Element("Key", result.Key);
                if (result.VersionId is { } versionId)
                {
                    w.Element("VersionId", versionId);
                }

                if (result.Error is { } code)
                {
                    w.Element("Code", code.ToString());
                    w.Element("Message", S3Errors.MessageOf(code));
                }
                else if (result.Outcome!.DeleteMarker)
                {
                    w.Element("DeleteMarker", true);
                    w.Element("DeleteMarkerVersionId", result.Outcome.VersionId!);
                }

                w.WriteEndElement();
            }
        }));
    }

    private static async Task<WriteOutcome> DeleteAsync(S3Request request, string key, string? versionId)
    {
        var outcome = await request.Store.Objects.DeleteAsync(request.BucketName, key, versionId, request.Clock.GetUtcNow(),
            ObjectLockHandlers.Bypass(request));
        request.Store.Release(outcome.Released);
        return outcome;
    }

    /// <summary>One entry of a DeleteObjects answer: what was asked, and what the delete did or why it failed.</summary>
    private sealed record Result(string Key, string? VersionId, WriteOutcome? Outcome, S3ErrorCode? Error);
}
