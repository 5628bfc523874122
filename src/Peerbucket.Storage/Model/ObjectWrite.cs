using Peerbucket.Storage.Content;

namespace Peerbucket.Storage.Model;

/// <summary>Everything needed to commit a finished blob as the current version of a key.</summary>
/// <param name="Content">
/// What the layer above derived from the bytes (opaque facts, and index keys committed with the object and dropped
/// with it, so the object can be found by them; several objects may share an index key); null for none.
/// </param>
public sealed record ObjectWrite(
    string Bucket,
    string Key,
    string ETag,
    ObjectAttributes Attributes,
    IReadOnlyDictionary<string, string> Checksums,
    ContentFacts? Content)
{
    /// <summary>The parts of a completed multipart upload, in order; empty for an object written in one piece.</summary>
    public IReadOnlyList<ObjectPart> Parts { get; init; } = [];

    /// <summary>A condition on the key's current object, or null for an unconditional write.</summary>
    public WritePrecondition? Precondition { get; init; }
}
