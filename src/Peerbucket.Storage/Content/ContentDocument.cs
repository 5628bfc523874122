namespace Peerbucket.Storage.Content;

/// <summary>A derived document, or the reason there is none.</summary>
public sealed record ContentDocument(ContentDocumentStatus Status, byte[] Body, string ContentType, string? FileName = null)
{
    public static ContentDocument Failed(ContentDocumentStatus status) => new(status, [], "");
}
