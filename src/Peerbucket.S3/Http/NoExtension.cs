using Peerbucket.S3.Errors;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Http;

/// <summary>The front end on its own: no facts, no torrents.</summary>
public sealed class NoExtension : IS3Extension
{
    public IContentFacts? CreateFacts(long length) => null;

    public IReadOnlyList<byte[]> TagsFor(string key, byte[]? facts) => [];

    public void DecorateObjectResponse(S3Request request, ObjectRecord obj)
    {
    }

    public Task WriteSubresourceAsync(S3Request request, ObjectRecord obj) => throw new S3Exception(S3ErrorCode.NotImplemented);

    public void ObjectServed(ObjectRecord obj, long bytes, bool ranged)
    {
    }

    public void ObjectChanged(string bucket, string? key)
    {
    }
}
