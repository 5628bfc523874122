namespace Peerbucket.Storage.Model;

/// <summary>A conditional write (PUT or CompleteMultipartUpload with <c>If-Match</c> or <c>If-None-Match</c>), checked
/// inside the commit's transaction so two writers cannot both pass it. ETags are unquoted.</summary>
/// <param name="IfMatch">The ETag the key's current object must have, or <c>*</c> for any; it must exist (else NoSuchKey).</param>
/// <param name="IfNoneMatch"><c>*</c>: the key must hold no object; an ETag: its current object must not have it.</param>
public sealed record WritePrecondition(string? IfMatch, string? IfNoneMatch)
{
    /// <summary>Null when it holds over the key's current object (<paramref name="currentETag"/>, null for none); else
    /// the header that failed.</summary>
    public string? FailedOver(string? currentETag, string key)
    {
        if (IfNoneMatch is { } none && currentETag is not null && (none == "*" || none == currentETag))
        {
            return "If-None-Match";
        }

        if (IfMatch is { } match)
        {
            if (currentETag is null)
            {
                throw new StorageException(StorageError.NoSuchKey, key);
            }

            if (match != "*" && match != currentETag)
            {
                return "If-Match";
            }
        }

        return null;
    }
}
