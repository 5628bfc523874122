namespace Peerbucket.Storage.Model;

/// <summary>One part of an object completed from a multipart upload, in order: its size and flexible checksums
/// (GetObjectAttributes' ObjectParts, GetObject's partNumber).</summary>
public sealed record ObjectPart(long Size, IReadOnlyDictionary<string, string> Checksums);
