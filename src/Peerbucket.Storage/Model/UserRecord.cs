namespace Peerbucket.Storage.Model;

/// <summary>A user of the store: a canonical id (what ACLs, policies and listings name), a name to manage it by, and
/// the display name S3 documents show. The administrator (the server's own key pair) is not one of these rows.</summary>
public sealed record UserRecord(string CanonicalId, string Name, string DisplayName, DateTimeOffset Created);
