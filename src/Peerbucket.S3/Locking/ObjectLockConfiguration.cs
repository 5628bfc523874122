using System.Globalization;
using System.Xml.Linq;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Locking;

/// <summary>
/// A bucket's Object Lock configuration (<c>?object-lock</c>): enabled, with an optional default retention in days or
/// years that every new object version gets unless its writer names its own. Kept as its canonical XML in the bucket's
/// subresource documents; its presence is what makes the bucket an Object Lock bucket.
/// </summary>
internal sealed record ObjectLockConfiguration(RetentionMode DefaultMode, int? Days, int? Years)
{
    public const string Subresource = "object-lock";

    /// <summary>Enabled, no default retention: what CreateBucket with <c>x-amz-bucket-object-lock-enabled</c> sets.</summary>
    public static readonly ObjectLockConfiguration EnabledOnly = new(RetentionMode.None, null, null);

    /// <summary>The configuration in a PutObjectLockConfiguration body; MalformedXML or InvalidRetentionPeriod as S3.</summary>
    public static ObjectLockConfiguration Parse(XElement body)
    {
        if (body.Name.LocalName != "ObjectLockConfiguration" || body.ChildValue("ObjectLockEnabled") != "Enabled")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var retention = body.Children("Rule").FirstOrDefault()?.Children("DefaultRetention").FirstOrDefault();
        if (retention is null)
        {
            return EnabledOnly;
        }

        var mode = ObjectLockHeaders.ParseMode(retention.ChildValue("Mode")) ?? throw new S3Exception(S3ErrorCode.MalformedXML);
        var days = Period(retention.ChildValue("Days"));
        var years = Period(retention.ChildValue("Years"));
        if ((days is null) == (years is null))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return new ObjectLockConfiguration(mode, days, years);
    }

    private static int? Period(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return value > 0 ? value : throw new S3Exception(S3ErrorCode.InvalidRetentionPeriod);
    }

    public static ObjectLockConfiguration? FromStored(string? document) =>
        document is null ? null : Parse(RequestXml.Parse(System.Text.Encoding.UTF8.GetBytes(document)));

    /// <summary>Stores the configuration as the bucket's Object Lock document.</summary>
    public Task SaveAsync(Peerbucket.Storage.Metadata.BucketRepository buckets, string bucket) =>
        buckets.SetConfigAsync(bucket, Subresource, System.Text.Encoding.UTF8.GetString(ToXml()));

    public byte[] ToXml() => S3Xml.Document("ObjectLockConfiguration", w =>
    {
        w.Element("ObjectLockEnabled", "Enabled");
        if (DefaultMode != RetentionMode.None)
        {
            w.WriteStartElement("Rule", S3Xml.Namespace);
            w.WriteStartElement("DefaultRetention", S3Xml.Namespace);
            w.Element("Mode", ObjectLockHeaders.ModeName(DefaultMode));
            if (Days is { } days)
            {
                w.Element("Days", days);
            }

            if (Years is { } years)
            {
                w.Element("Years", years);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }
    });

    /// <summary>The lock a new version written at <paramref name="now"/> gets when its writer names no retention.</summary>
    public ObjectLock DefaultAt(DateTimeOffset now, bool legalHold) => DefaultMode == RetentionMode.None
        ? ObjectLock.None with { LegalHold = legalHold }
        : new ObjectLock(DefaultMode, Days is { } d ? now.AddDays(d) : now.AddYears(Years!.Value), legalHold);
}
