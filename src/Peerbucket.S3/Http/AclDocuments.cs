using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Handlers;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Http;

/// <summary>An ACL as S3 carries it — a canned ACL (<c>x-amz-acl</c>), <c>x-amz-grant-*</c> headers, an
/// AccessControlPolicy document — to and from its stored form: the canned part (AllUsers READ or not) and the other
/// grants. Grants name users by canonical id (an unknown id is InvalidArgument) or the AllUsers and AuthenticatedUsers
/// groups; grants by e-mail address are refused (UnresolvableGrantByEmailAddress).</summary>
internal static class AclDocuments
{
    public const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    public const string AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    private static readonly (string Header, Permission Permission)[] GrantHeaders =
    [
        ("x-amz-grant-read", Permission.Read), ("x-amz-grant-write", Permission.Write), ("x-amz-grant-read-acp", Permission.ReadAcp),
        ("x-amz-grant-write-acp", Permission.WriteAcp), ("x-amz-grant-full-control", Permission.FullControl),
    ];

    public sealed record Acl(CannedAcl Canned, IReadOnlyList<Grant> Grants)
    {
        public static readonly Acl Private = new(CannedAcl.Private, []);
    }

    /// <summary>The ACL a request's headers set; null when they set none.</summary>
    public static Acl? FromHeaders(IHeaderDictionary headers, Func<string, bool> userExists)
    {
        var canned = headers["x-amz-acl"].ToString();
        var granted = GrantHeaders.Where(g => headers.ContainsKey(g.Header)).ToList();
        if (canned.Length > 0 && granted.Count > 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed");
        }

        if (canned.Length > 0)
        {
            return Canned(canned);
        }

        if (granted.Count == 0)
        {
            return null;
        }

        var grants = new List<Grant>();
        foreach (var (header, permission) in granted)
        {
            foreach (var grantee in headers[header].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = grantee.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new S3Exception(S3ErrorCode.InvalidArgument, $"{header}: a grantee is id=\"...\", uri=\"...\" or emailAddress=\"...\".");
                }

                var value = grantee[(equals + 1)..].Trim().Trim('"');
                grants.Add(grantee[..equals].Trim().ToLowerInvariant() switch
                {
                    "id" => User(value, permission, userExists),
                    "uri" => Group(value, permission),
                    "emailaddress" => throw NoEmail(),
                    _ => throw new S3Exception(S3ErrorCode.InvalidArgument, $"{header}: unknown grantee type."),
                });
            }
        }

        return Normalize(grants);
    }

    /// <summary>The ACL of an AccessControlPolicy document (the owner's own grant is implied and dropped).</summary>
    public static Acl FromPolicy(XElement body, string ownerId, Func<string, bool> userExists)
    {
        if (body.Name.LocalName != "AccessControlPolicy")
        {
            throw new S3Exception(S3ErrorCode.MalformedACLError);
        }

        var grants = new List<Grant>();
        foreach (var grant in body.Descendants().Where(e => e.Name.LocalName == "Grant"))
        {
            var permission = ParsePermission(grant.ChildValue("Permission"));
            var grantee = grant.Children("Grantee").FirstOrDefault() ?? throw new S3Exception(S3ErrorCode.MalformedACLError);
            if (grantee.ChildValue("URI") is { } uri)
            {
                grants.Add(Group(uri, permission));
            }
            else if (grantee.ChildValue("ID") is { } id)
            {
                if (id != ownerId || permission != Permission.FullControl)
                {
                    grants.Add(User(id, permission, userExists));
                }
            }
            else if (grantee.ChildValue("EmailAddress") is not null)
            {
                throw NoEmail();
            }
            else
            {
                throw new S3Exception(S3ErrorCode.MalformedACLError);
            }
        }

        return Normalize(grants);
    }

    /// <summary>A canned ACL by name (the object's owner is its bucket's, so bucket-owner-* add nothing).</summary>
    public static Acl Canned(string name) => name switch
    {
        "private" or "bucket-owner-read" or "bucket-owner-full-control" or "aws-exec-read" or "log-delivery-write" => Acl.Private,
        "public-read" => new Acl(CannedAcl.PublicRead, []),
        "public-read-write" => new Acl(CannedAcl.PublicRead, [new Grant(GranteeKind.AllUsers, null, Permission.Write)]),
        "authenticated-read" => new Acl(CannedAcl.Private, [new Grant(GranteeKind.AuthenticatedUsers, null, Permission.Read)]),
        _ => throw new S3Exception(S3ErrorCode.InvalidArgument) { Details = [new("ArgumentName", "x-amz-acl"), new("ArgumentValue", name)] },
    };

    /// <summary>Writes an AccessControlPolicy: the group grants, the owner's FULL_CONTROL, then the users'.</summary>
    public static void Write(XmlWriter w, Owner owner, CannedAcl canned, IReadOnlyList<Grant> grants, Func<string, Owner> ownerOf)
    {
        owner.Write(w);
        w.WriteStartElement("AccessControlList", S3Xml.Namespace);
        if (canned == CannedAcl.PublicRead)
        {
            WriteGroup(w, AllUsers, Permission.Read);
        }

        foreach (var grant in grants.Where(g => g.IsPublic))
        {
            WriteGroup(w, grant.Kind == GranteeKind.AllUsers ? AllUsers : AuthenticatedUsers, grant.Permission);
        }

        WriteUser(w, owner, Permission.FullControl);
        foreach (var grant in grants.Where(g => !g.IsPublic))
        {
            WriteUser(w, ownerOf(grant.UserId!), grant.Permission);
        }

        w.WriteEndElement();
    }

    private static void WriteGroup(XmlWriter w, string uri, Permission permission)
    {
        w.WriteStartElement("Grant", S3Xml.Namespace);
        w.WriteStartElement("Grantee", S3Xml.Namespace);
        w.WriteAttributeString("xmlns", "xsi", null, S3Xml.XsiNamespace);
        w.WriteAttributeString("xsi", "type", S3Xml.XsiNamespace, "Group");
        w.Element("URI", uri);
        w.WriteEndElement();
        w.Element("Permission", PermissionName(permission));
        w.WriteEndElement();
    }

    private static void WriteUser(XmlWriter w, Owner user, Permission permission)
    {
        w.WriteStartElement("Grant", S3Xml.Namespace);
        w.WriteStartElement("Grantee", S3Xml.Namespace);
        w.WriteAttributeString("xmlns", "xsi", null, S3Xml.XsiNamespace);
        w.WriteAttributeString("xsi", "type", S3Xml.XsiNamespace, "CanonicalUser");
        w.Element("ID", user.Id);
        w.Element("DisplayName", user.DisplayName);
        w.WriteEndElement();
        w.Element("Permission", PermissionName(permission));
        w.WriteEndElement();
    }

    private static string PermissionName(Permission permission) => permission switch
    {
        Permission.Read => "READ",
        Permission.Write => "WRITE",
        Permission.ReadAcp => "READ_ACP",
        Permission.WriteAcp => "WRITE_ACP",
        _ => "FULL_CONTROL",
    };

    private static Permission ParsePermission(string? name) => name switch
    {
        "READ" => Permission.Read,
        "WRITE" => Permission.Write,
        "READ_ACP" => Permission.ReadAcp,
        "WRITE_ACP" => Permission.WriteAcp,
        "FULL_CONTROL" => Permission.FullControl,
        _ => throw new S3Exception(S3ErrorCode.MalformedACLError),
    };

    private static Grant User(string id, Permission permission, Func<string, bool> userExists) =>
        userExists(id) ? new Grant(GranteeKind.User, id, permission) : throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid id")
        {
            Details = [new("ArgumentName", "CanonicalUser/ID"), new("ArgumentValue", id)],
        };

    private static Grant Group(string uri, Permission permission) => uri switch
    {
        AllUsers => new Grant(GranteeKind.AllUsers, null, permission),
        AuthenticatedUsers => new Grant(GranteeKind.AuthenticatedUsers, null, permission),
        _ => throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid group uri") { Details = [new("ArgumentName", "Group/URI"), new("ArgumentValue", uri)] },
    };

    /// <summary>AllUsers READ becomes the canned part; duplicates go.</summary>
    private static Acl Normalize(List<Grant> grants)
    {
        var publicRead = grants.RemoveAll(g => g is { Kind: GranteeKind.AllUsers, Permission: Permission.Read }) > 0;
        return new Acl(publicRead ? CannedAcl.PublicRead : CannedAcl.Private, [.. grants.Distinct()]);
    }

    private static S3Exception NoEmail() =>
        new(S3ErrorCode.UnresolvableGrantByEmailAddress, "The e-mail address you provided does not match any account on record.");
}
