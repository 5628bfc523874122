namespace Peerbucket.Storage.Content;

/// <summary>The documents derived from an object (S3's <c>?torrent</c>, and Peerbucket's <c>?magnet</c>).</summary>
public enum ContentDocumentKind
{
    Torrent,
    Magnet,
}
