using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Http;

/// <summary>
/// How the torrent layer plugs into the S3 front end without the front end knowing about torrents: facts computed
/// on the write pass, extra response headers, the ?torrent / ?magnet subresources, egress counting, and news of
/// objects that changed (so their info-hashes retire).
/// </summary>
public interface IS3Extension
{
    /// <summary>A hasher for an object of <paramref name="length"/> bytes, fed in the write pass; null for none.</summary>
    IContentFacts? CreateFacts(long length);

    /// <summary>Lookup keys to commit with an object of this key and facts (its info-hashes), so other paths find it.</summary>
    IReadOnlyList<byte[]> TagsFor(string key, byte[]? facts);

    /// <summary>Adds headers to GET/HEAD object responses (e.g. x-peerbucket-btih).</summary>
    void DecorateObjectResponse(S3Request request, ObjectRecord obj);

    /// <summary>Answers GetObjectTorrent / GetObjectMagnet for an object the caller may read.</summary>
    Task WriteSubresourceAsync(S3Request request, ObjectRecord obj);

    /// <summary>Counts bytes of an object sent by a plain or ranged GET (web seeds send ranges); called per chunk.</summary>
    void ObjectServed(ObjectRecord obj, long bytes, bool ranged);

    /// <summary>An object was overwritten, deleted or had its access changed (or its whole bucket did, key null).</summary>
    void ObjectChanged(string bucket, string? key);
}
