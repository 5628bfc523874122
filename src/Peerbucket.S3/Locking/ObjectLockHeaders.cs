using System.Globalization;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Locking;

/// <summary>The Object Lock request headers of a write (<c>x-amz-object-lock-mode</c>, <c>-retain-until-date</c>,
/// <c>-legal-hold</c>) and the response headers of a read.</summary>
internal static class ObjectLockHeaders
{
    /// <summary>The lock a new version written by this request (to its own bucket) gets: the one its headers name, else
    /// the bucket's default retention. <paramref name="field"/> reads them elsewhere than the request's headers (a POST
    /// form's fields). None in a bucket without Object Lock, where naming one is InvalidRequest.</summary>
    public static ObjectLock ForWrite(S3Request request, Func<string, string?>? field = null)
    {
        field ??= request.Header;
        var mode = field("x-amz-object-lock-mode");
        var until = field("x-amz-object-lock-retain-until-date");
        var hold = field("x-amz-object-lock-legal-hold");
        var none = mode is null && until is null && hold is null;
        if (none && request.Bucket().Versioning != VersioningState.Enabled)
        {
            return ObjectLock.None; // Object Lock needs versioning enabled: no configuration to look up
        }

        var configuration = ObjectLockConfiguration.FromStored(request.Store.Buckets.GetConfig(request.BucketName, ObjectLockConfiguration.Subresource));
        if (none)
        {
            return configuration?.DefaultAt(request.Clock.GetUtcNow(), legalHold: false) ?? ObjectLock.None;
        }

        if (configuration is null)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Bucket is missing Object Lock Configuration");
        }

        if (!request.Principal.Owns(request.Bucket()))
        {
            // S3 asks for s3:PutObjectRetention / s3:PutObjectLegalHold, which no ACL grants: a writer by grant (anyone,
            // in a public-read-write bucket) cannot lock what it writes; the bucket's default retention still applies.
            throw new S3Exception(S3ErrorCode.AccessDenied, "Only the bucket's owner may set Object Lock on a write.");
        }

        var legalHold = hold switch
        {
            null or "OFF" => false,
            "ON" => true,
            _ => throw new S3Exception(S3ErrorCode.InvalidArgument, "Legal Hold must be either of 'ON' or 'OFF'"),
        };
        if ((mode is null) != (until is null))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument,
                "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }

        if (mode is null)
        {
            return configuration.DefaultAt(request.Clock.GetUtcNow(), legalHold);
        }

        var parsed = ParseMode(mode) ?? throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown wormMode directive.");
        return new ObjectLock(parsed, FutureDate(until!, request.Clock.GetUtcNow()), legalHold);
    }

    /// <summary>GOVERNANCE or COMPLIANCE, exactly (S3 refuses other spellings); null for anything else.</summary>
    public static RetentionMode? ParseMode(string? text) => text switch
    {
        "GOVERNANCE" => RetentionMode.Governance,
        "COMPLIANCE" => RetentionMode.Compliance,
        _ => null,
    };

    public static string ModeName(RetentionMode mode) => mode.ToString().ToUpperInvariant();

    /// <summary>An ISO 8601 retain-until date that lies after <paramref name="now"/>.</summary>
    public static DateTimeOffset FutureDate(string text, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The retain until date must be provided in ISO 8601 format");
        }

        return date > now ? date : throw new S3Exception(S3ErrorCode.InvalidArgument, "The retain until date must be in the future!");
    }

    public static string FormatDate(DateTimeOffset date) => date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A read's lock headers, as S3 sends them; and Peerbucket's note that while the lock holds, the version
    /// (and so its torrent) cannot go away.</summary>
    public static void WriteResponse(HttpResponse response, ObjectLock value, DateTimeOffset now)
    {
        if (value.Mode != RetentionMode.None)
        {
            response.Headers["x-amz-object-lock-mode"] = ModeName(value.Mode);
            response.Headers["x-amz-object-lock-retain-until-date"] = FormatDate(value.RetainUntil!.Value);
        }

        if (value.LegalHold)
        {
            response.Headers["x-amz-object-lock-legal-hold"] = "ON";
        }

        if (value.IsActive(now))
        {
            response.Headers["x-peerbucket-torrent-permanent"] = value.LegalHold ? "legal-hold" : "until " + FormatDate(value.RetainUntil!.Value);
        }
    }
}
