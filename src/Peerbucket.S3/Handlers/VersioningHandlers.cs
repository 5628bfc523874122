using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>Get/PutBucketVersioning: Enabled or Suspended (a bucket never returns to unversioned, as in S3). MFA delete
/// is not offered: <c>MfaDelete Enabled</c> is refused.</summary>
internal static class VersioningHandlers
{
    public static Task GetAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var state = request.Bucket().Versioning;
        return request.WriteXmlAsync(S3Xml.Document("VersioningConfiguration", w =>
        {
            if (state != VersioningState.Unversioned)
            {
                w.Element("Status", state.ToString());
            }
        }));
    }

    public static async Task PutAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        request.Bucket();
        var body = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted);
        if (body.Name.LocalName != "VersioningConfiguration")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var mfaDelete = body.ChildValue("MfaDelete");
        if (mfaDelete is not (null or "Disabled"))
        {
            throw mfaDelete == "Enabled"
                ? new S3Exception(S3ErrorCode.NotImplemented, "MFA delete is not supported by Peerbucket.")
                : new S3Exception(S3ErrorCode.MalformedXML);
        }

        var state = body.ChildValue("Status") switch
        {
            "Enabled" => VersioningState.Enabled,
            "Suspended" => VersioningState.Suspended,
            null => (VersioningState?)null,
            _ => throw new S3Exception(S3ErrorCode.MalformedXML),
        };
        if (state == VersioningState.Suspended && ObjectLockHandlers.Configuration(request) is not null)
        {
            throw new S3Exception(S3ErrorCode.InvalidBucketState, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
        }

        if (state is { } set)
        {
            await request.Store.Buckets.SetVersioningAsync(request.BucketName, set);
        }
    }
}
