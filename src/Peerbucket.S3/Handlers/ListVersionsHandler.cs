using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;

namespace Peerbucket.S3.Handlers;

/// <summary>ListObjectVersions: every version and delete marker by key, newest first, paged by key-marker and
/// version-id-marker (s3:ListBucketVersions).</summary>
internal static class ListVersionsHandler
{
    public static Task HandleAsync(S3Request request)
    {
        request.Authorize(S3Action.ListBucketVersions);
        var q = request.Route.Query;
        var (prefix, delimiter, url, maxKeys) = ListObjectsHandler.Parameters(q);
        var keyMarker = q.Get("key-marker");
        var versionIdMarker = q.Get("version-id-marker");
        if (!string.IsNullOrEmpty(versionIdMarker))
        {
            if (string.IsNullOrEmpty(keyMarker))
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "A version-id marker cannot be specified without a key marker.")
                {
                    Details = [new("ArgumentName", "version-id-marker"), new("ArgumentValue", versionIdMarker)],
                };
            }

            VersionIds.Validate(versionIdMarker);
        }

        var page = request.Store.Versions.List(request.BucketName, prefix, delimiter, keyMarker, versionIdMarker, maxKeys);
        return request.WriteXmlAsync(S3Xml.Document("ListVersionsResult", w =>
        {
            w.Element("Name", request.BucketName);
            w.Element("Prefix", ListEncoding.Encode(prefix, url));
            w.Element("KeyMarker", ListEncoding.Encode(keyMarker ?? "", url));
            w.Element("VersionIdMarker", versionIdMarker ?? "");
            if (page.IsTruncated)
            {
                w.Element("NextKeyMarker", ListEncoding.Encode(page.NextKeyMarker!, url));
                if (page.NextVersionIdMarker is { } next)
                {
                    w.Element("NextVersionIdMarker", next);
                }
            }

            ListObjectsHandler.WriteSettings(w, maxKeys, delimiter, url, page.IsTruncated);
            foreach (var version in page.Versions)
            {
                w.WriteStartElement(version.IsDeleteMarker ? "DeleteMarker" : "Version", S3Xml.Namespace);
                w.Element("Key", ListEncoding.Encode(version.Key, url));
                w.Element("VersionId", version.VersionId ?? "null");
                w.Element("IsLatest", version.IsLatest);
                if (version.Object is { } obj)
                {
                    ListObjectsHandler.WriteObject(w, request, obj, withOwner: true);
                }
                else
                {
                    w.Element("LastModified", S3Xml.Timestamp(version.LastModified));
                    request.BucketOwner().Write(w);
                }

                w.WriteEndElement();
            }

            ListObjectsHandler.WriteCommonPrefixes(w, page.CommonPrefixes, url);
        }));
    }
}
