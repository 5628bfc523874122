using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests.Access;

/// <summary>Owners, other users, Block Public Access and ownership controls in the one authorization function (what the
/// seeder, tracker and web seed ask too).</summary>
public sealed class AuthorizerTests
{
    private const string PublicPolicy = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""";

    private static ObjectRecord Object(CannedAcl acl) => new()
    {
        Bucket = "b",
        Key = "k",
        BlobId = "x",
        Size = 1,
        ETag = "e",
        LastModified = DateTimeOffset.UnixEpoch,
        Attributes = new ObjectAttributes { Acl = acl },
    };

    private static BucketRecord Bucket(CannedAcl acl = CannedAcl.Private, string? policy = null, PublicAccessBlock? block = null) =>
        new("b", DateTimeOffset.UnixEpoch, "us-east-1", acl, policy) { PublicAccessBlock = block ?? PublicAccessBlock.None };

    [Fact]
    public void AUserWhoDoesNotOwnTheBucketGetsWhatEveryoneGetsAndTheOwnerEverything()
    {
        var adminsBucket = Bucket();
        var usersBucket = Bucket() with { Owner = "user-1" };
        var administrator = new Principal("ADMINKEY");
        var user = new Principal("USERKEY", "user-1");
        var other = new Principal("OTHERKEY", "user-2");

        Assert.True(Authorizer.IsAllowed(administrator, S3Action.Administer, adminsBucket, null));
        Assert.False(Authorizer.IsAllowed(administrator, S3Action.GetObject, usersBucket, Object(CannedAcl.Private)));
        Assert.True(Authorizer.IsAllowed(user, S3Action.Administer, usersBucket, null));
        Assert.False(Authorizer.IsAllowed(user, S3Action.Administer, adminsBucket, null));
        Assert.False(Authorizer.IsAllowed(other, S3Action.GetObject, usersBucket, Object(CannedAcl.Private)));
        Assert.True(Authorizer.IsAllowed(other, S3Action.GetObject, usersBucket, Object(CannedAcl.PublicRead)));
        Assert.True(Authorizer.IsAllowed(other, S3Action.GetObject, usersBucket with { Policy = PublicPolicy }, Object(CannedAcl.Private)));
        Assert.False(Authorizer.IsAllowed(other, S3Action.ListBucket, usersBucket, null));
    }

    [Fact]
    public void BucketOwnerEnforcedTurnsAclsOffButNotPolicies()
    {
        var enforced = Bucket(CannedAcl.PublicRead) with { Ownership = ObjectOwnership.BucketOwnerEnforced };
        Assert.False(Authorizer.IsPublic(enforced, Object(CannedAcl.PublicRead)));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.ListBucket, enforced, null));
        Assert.True(Authorizer.IsPublic(enforced with { Policy = PublicPolicy }, Object(CannedAcl.Private)));
        Assert.True(Authorizer.IsPublic(Bucket() with { Ownership = ObjectOwnership.ObjectWriter }, Object(CannedAcl.PublicRead)));
    }

    [Fact]
    public void IgnorePublicAclsMakesPublicAclsPrivate()
    {
        var ignore = new PublicAccessBlock(false, true, false, false);
        Assert.True(Authorizer.IsPublic(Bucket(), Object(CannedAcl.PublicRead)));
        Assert.False(Authorizer.IsPublic(Bucket(block: ignore), Object(CannedAcl.PublicRead)));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.ListBucket, Bucket(CannedAcl.PublicRead, block: ignore), null));
        Assert.True(Authorizer.IsPublic(Bucket(policy: PublicPolicy, block: ignore), Object(CannedAcl.Private))); // policies still count
    }

    [Fact]
    public void RestrictPublicBucketsTakesAPublicPolicysGrantAway()
    {
        var restrict = new PublicAccessBlock(false, false, false, true);
        Assert.True(Authorizer.IsPublic(Bucket(policy: PublicPolicy), Object(CannedAcl.Private)));
        Assert.False(Authorizer.IsPublic(Bucket(policy: PublicPolicy, block: restrict), Object(CannedAcl.Private)));
        Assert.True(Authorizer.IsPublic(Bucket(block: restrict), Object(CannedAcl.PublicRead))); // ACLs still count
    }

    [Fact]
    public void TheSettingsSurviveTheirStoredForm()
    {
        var block = new PublicAccessBlock(true, false, true, false);
        Assert.Equal(block, PublicAccessBlock.Decode(block.Encode()));
        Assert.Equal(PublicAccessBlock.None, PublicAccessBlock.Decode(null));
    }
}
