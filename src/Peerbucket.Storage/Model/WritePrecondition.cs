namespace Peerbucket.Storage.Model;

/// <summary>A conditional write (PUT with <c>If-Match</c> or <c>If-None-Match: *</c>), checked inside the commit's
/// transaction so two writers cannot both pass it.</summary>
/// <param name="IfMatch">The ETag (unquoted) the key's current object must have; it must exist.</param>
/// <param name="IfNoneMatchAny">The key must hold no object.</param>
public sealed record WritePrecondition(string? IfMatch, bool IfNoneMatchAny);
