using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Locking;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>
/// S3 Object Lock: Get/PutObjectLockConfiguration on a bucket (only one created with Object Lock, or a versioned one),
/// Get/PutObjectRetention and Get/PutObjectLegalHold on an object version. A retention can be lengthened; shortened,
/// removed or turned from governance to compliance only with <c>x-amz-bypass-governance-retention</c> while it is
/// governance; never while it is compliance.
/// </summary>
internal static class ObjectLockHandlers
{
    public static Task GetConfigurationAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var configuration = Configuration(request) ?? throw new S3Exception(S3ErrorCode.ObjectLockConfigurationNotFoundError)
        {
            Details = [new("BucketName", request.BucketName)],
        };
        return request.WriteXmlAsync(configuration.ToXml());
    }

    public static async Task PutConfigurationAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var configuration = ObjectLockConfiguration.Parse(await RequestXml.ReadAsync(request.Payload.Body, request.Aborted));
        if (Configuration(request) is null && request.Bucket().Versioning != VersioningState.Enabled)
        {
            throw new S3Exception(S3ErrorCode.InvalidBucketState, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
        }

        await configuration.SaveAsync(request.Store.Buckets, request.BucketName);
    }

    public static Task GetRetentionAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        RequireLockBucket(request);
        var value = request.NamedObject().Attributes.Lock;
        if (value.Mode == RetentionMode.None)
        {
            throw new S3Exception(S3ErrorCode.NoSuchObjectLockConfiguration);
        }

        return request.WriteXmlAsync(S3Xml.Document("Retention", w =>
        {
            w.Element("Mode", ObjectLockHeaders.ModeName(value.Mode));
            w.Element("RetainUntilDate", ObjectLockHeaders.FormatDate(value.RetainUntil!.Value));
        }));
    }

    public static async Task PutRetentionAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        RequireLockBucket(request);
        var body = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted);
        var now = request.Clock.GetUtcNow();
        if (body.Name.LocalName != "Retention")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var modeText = body.ChildValue("Mode");
        var dateText = body.ChildValue("RetainUntilDate");
        if ((modeText is null) != (dateText is null))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var mode = modeText is null ? RetentionMode.None : ObjectLockHeaders.ParseMode(modeText) ?? throw new S3Exception(S3ErrorCode.MalformedXML);
        DateTimeOffset? until = dateText is null ? null : ObjectLockHeaders.FutureDate(dateText, now);
        var bypass = Bypass(request);
        await request.Store.Objects.SetLockAsync(request.BucketName, request.Key, request.VersionId, current =>
        {
            if (current.RetainedAt(now))
            {
                var weaker = mode != current.Mode || mode == RetentionMode.None || until < current.RetainUntil;
                if (weaker && (current.Mode == RetentionMode.Compliance || !bypass))
                {
                    throw new S3Exception(S3ErrorCode.AccessDenied, current.Mode == RetentionMode.Compliance
                        ? "A compliance retention can only be lengthened."
                        : "Shortening, removing or changing a governance retention needs x-amz-bypass-governance-retention.");
                }
            }

            return current with { Mode = mode, RetainUntil = until };
        });
    }

    public static Task GetLegalHoldAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        RequireLockBucket(request);
        var hold = request.NamedObject().Attributes.Lock.LegalHold;
        return request.WriteXmlAsync(S3Xml.Document("LegalHold", w => w.Element("Status", hold ? "ON" : "OFF")));
    }

    public static async Task PutLegalHoldAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        RequireLockBucket(request);
        var body = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted);
        var hold = body.Name.LocalName == "LegalHold" ? body.ChildValue("Status") : null;
        if (hold is not ("ON" or "OFF"))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        await request.Store.Objects.SetLockAsync(request.BucketName, request.Key, request.VersionId, current => current with { LegalHold = hold == "ON" });
    }

    /// <summary><c>x-amz-bypass-governance-retention: true</c>, from the bucket's owner: S3 lets only those granted
    /// s3:BypassGovernanceRetention bypass, and no ACL grants that, so a grantee allowed to write cannot.</summary>
    public static bool Bypass(S3Request request) =>
        string.Equals(request.Header("x-amz-bypass-governance-retention"), "true", StringComparison.OrdinalIgnoreCase)
        && request.Principal.Owns(request.Bucket());

    public static ObjectLockConfiguration? Configuration(S3Request request) =>
        ObjectLockConfiguration.FromStored(request.Store.Buckets.GetConfig(request.BucketName, ObjectLockConfiguration.Subresource));

    private static void RequireLockBucket(S3Request request)
    {
        if (Configuration(request) is null)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Bucket is missing Object Lock Configuration");
        }
    }
}
