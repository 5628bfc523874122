using System.Globalization;
using System.Text;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.Storage.Content;

namespace Peerbucket.S3.Handlers;

/// <summary>GetObjectTorrent (<c>?torrent</c>) and <c>?magnet</c>: the object's derived documents, for callers who may
/// read the object.</summary>
internal static class ContentDocumentHandler
{
    public static async Task HandleAsync(S3Request request, ContentDocumentKind kind)
    {
        var obj = request.ReadableObject();
        var format = request.Route.Query.Get("format");
        var document = await request.Documents.GetAsync(obj, kind, format, request.Aborted);
        switch (document.Status)
        {
            case ContentDocumentStatus.NoContent:
                throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "A zero-byte object has no torrent (BitTorrent clients reject empty torrents); download it with a plain GET.");
            case ContentDocumentStatus.UnknownFormat:
                throw new S3Exception(S3ErrorCode.InvalidArgument, "format must be v1, v2 or hybrid.")
                {
                    Details = [new("ArgumentName", "format"), new("ArgumentValue", format ?? "")],
                };
        }

        request.Response.ContentType = document.ContentType;
        if (document.FileName is { } name)
        {
            request.Response.Headers.ContentDisposition = AttachmentDisposition(name);
        }

        request.Response.Headers.LastModified = obj.LastModified.ToString("R", CultureInfo.InvariantCulture);
        request.Response.ContentLength = document.Body.Length;
        await request.Response.Body.WriteAsync(document.Body, request.Aborted);
    }

    /// <summary>Content-Disposition for a download named <paramref name="fileName"/>: quoted ASCII plus the RFC 5987 UTF-8
    /// form when needed.</summary>
    public static string AttachmentDisposition(string fileName)
    {
        var ascii = new StringBuilder(fileName.Length);
        var isAscii = true;
        foreach (var c in fileName)
        {
            if (c is >= ' ' and < (char)127 && c is not ('"' or '\\'))
            {
                ascii.Append(c);
            }
            else
            {
                ascii.Append('_');
                isAscii = false;
            }
        }

        var header = $"attachment; filename=\"{ascii}\"";
        return isAscii ? header : header + "; filename*=UTF-8''" + Uri.EscapeDataString(fileName);
    }
}
