namespace Peerbucket.S3.Writes;

/// <summary>A committed object's time and version id (null in a bucket never versioned: no <c>x-amz-version-id</c>).</summary>
public sealed record CommittedObject(DateTimeOffset LastModified, string? VersionId)
{
    /// <summary>Sets <c>x-amz-version-id</c> when the bucket keeps versions.</summary>
    internal void WriteVersionHeader(Microsoft.AspNetCore.Http.HttpResponse response)
    {
        if (VersionId is not null && !response.HasStarted)
        {
            response.Headers["x-amz-version-id"] = VersionId;
        }
    }
}
