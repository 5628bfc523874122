namespace Peerbucket.Storage.Model;

/// <summary>What an ACL grant permits (S3's permission names).</summary>
public enum Permission
{
    Read,
    Write,
    ReadAcp,
    WriteAcp,
    FullControl,
}

/// <summary>Who an ACL grant is to: one user (by canonical id), everyone, or every signed-in user.</summary>
public enum GranteeKind
{
    User,
    AllUsers,
    AuthenticatedUsers,
}

/// <summary>
/// One ACL grant beyond the owner's own full control. The AllUsers READ grant is not kept here: it is
/// <see cref="CannedAcl.PublicRead"/> (what decides whether BitTorrent serves an object), so each grant has one form.
/// </summary>
public sealed record Grant(GranteeKind Kind, string? UserId, Permission Permission)
{
    /// <summary>True when the grant gives <paramref name="needed"/> (FULL_CONTROL gives every permission).</summary>
    public bool Gives(Permission needed) => Permission == needed || Permission == Permission.FullControl;

    public bool IsPublic => Kind is GranteeKind.AllUsers or GranteeKind.AuthenticatedUsers;
}
