namespace Peerbucket.Storage.Model;

public sealed record BucketRecord(string Name, DateTimeOffset Created, string Region, CannedAcl Acl, string? Policy);
