namespace Peerbucket.Storage.Model;

public sealed record BucketRecord(string Name, DateTimeOffset Created, string Region, CannedAcl Acl, string? Policy)
{
    /// <summary>Block Public Access; <see cref="PublicAccessBlock.None"/> when not configured.</summary>
    public PublicAccessBlock PublicAccessBlock { get; init; } = PublicAccessBlock.None;

    public VersioningState Versioning { get; init; }

    /// <summary>The bucket ACL's grants beyond <see cref="Acl"/> (READ or WRITE to users, groups, ...).</summary>
    public IReadOnlyList<Grant> Grants { get; init; } = [];

    /// <summary>The owning user's canonical id; null: the administrator's (every bucket made before users existed).</summary>
    public string? Owner { get; init; }

    /// <summary>Bucket ownership controls; with <see cref="ObjectOwnership.BucketOwnerEnforced"/> ACLs are off.</summary>
    public ObjectOwnership Ownership { get; init; }

    public bool AclsDisabled => Ownership == ObjectOwnership.BucketOwnerEnforced;
}
