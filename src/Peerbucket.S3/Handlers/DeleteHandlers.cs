using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;

namespace Peerbucket.S3.Handlers;

/// <summary>DeleteObject and DeleteObjects (Quiet mode too; Content-MD5 or a checksum required, as in S3). Deleting a
/// missing key succeeds, as in S3.</summary>
internal static class DeleteHandlers
{
    public const int MaxKeysPerRequest = 1000;

    public static async Task DeleteObjectAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        await DeleteAsync(request, request.Key);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task DeleteObjectsAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var bytes = await RequestXml.ReadBytesAsync(request.Payload.Body, request.Aborted);
        BodyDigests.Verify(request, bytes, required: true);
        var body = RequestXml.Parse(bytes);
        if (body.Name.LocalName != "Delete")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var quiet = string.Equals(body.ChildValue("Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var keys = body.Children("Object").Select(o => o.ChildValue("Key")).ToList();
        if (keys.Count is 0 or > MaxKeysPerRequest || keys.Any(k => string.IsNullOrEmpty(k)))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var results = new List<(string Key, S3ErrorCode? Error)>();
        foreach (var key in keys)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(key!) > S3Router.MaxKeyBytes)
            {
                results.Add((key!, S3ErrorCode.KeyTooLongError));
                continue;
            }

            await DeleteAsync(request, key!);
            results.Add((key!, null));
        }

        await request.WriteXmlAsync(S3Xml.Document("DeleteResult", w =>
        {
            foreach (var (key, error) in results)
            {
                if (error is null && quiet)
                {
                    continue;
                }

                w.WriteStartElement(error is null ? "Deleted" : "Error", S3Xml.Namespace);
                w.Element("Key", key);
                if (error is { } code)
                {
                    w.Element("Code", code.ToString());
                    w.Element("Message", S3Errors.MessageOf(code));
                }

                w.WriteEndElement();
            }
        }));
    }

    private static async Task DeleteAsync(S3Request request, string key) =>
        request.Store.Release([await request.Store.Objects.DeleteAsync(request.BucketName, key)]);
}
