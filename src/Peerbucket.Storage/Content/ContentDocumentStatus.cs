namespace Peerbucket.Storage.Content;

/// <summary>Whether a document could be made, and if not, why (the caller maps it to its protocol's error).</summary>
public enum ContentDocumentStatus
{
    Ok,

    /// <summary>The object has nothing to derive a document from (zero bytes: BitTorrent has no empty torrents).</summary>
    NoContent,

    /// <summary>The format asked for is not one the documents come in.</summary>
    UnknownFormat,
}
