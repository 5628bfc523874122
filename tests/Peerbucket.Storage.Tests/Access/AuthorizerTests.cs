using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests.Access;

/// <summary>Block Public Access in the one authorization function (what the seeder, tracker and web seed ask too).</summary>
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
