using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Content;

/// <summary>
/// The read side of the seam: the documents derived from an object that S3 hands out as subresources (its
/// <c>.torrent</c> and magnet link) and the headers that name them on GET/HEAD. The caller has authorized the read.
/// </summary>
public interface IContentDocuments
{
    /// <summary>Response headers for a GET/HEAD of the object (e.g. its info-hashes).</summary>
    IReadOnlyList<KeyValuePair<string, string>> HeadersFor(ObjectRecord obj);

    /// <summary>The document of <paramref name="kind"/> in <paramref name="format"/> (null: the default).</summary>
    Task<ContentDocument> GetAsync(ObjectRecord obj, ContentDocumentKind kind, string? format, CancellationToken cancellationToken);
}
