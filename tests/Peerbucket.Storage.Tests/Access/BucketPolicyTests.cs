using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests.Access;

public class BucketPolicyTests
{
    private const string PublicReadPrefix = """
        {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
        "Action":["s3:GetObject"],"Resource":["arn:aws:s3:::datasets/public/*"]}]}
        """;

    private static BucketRecord Bucket(string? policy, CannedAcl acl = CannedAcl.Private) =>
        new("datasets", DateTimeOffset.UnixEpoch, "us-east-1", acl, policy);

    private static ObjectRecord Object(string key, CannedAcl acl = CannedAcl.Private) => new()
    {
        Bucket = "datasets",
        Key = key,
        BlobId = new string('a', 32),
        Size = 1,
        ETag = "x",
        LastModified = DateTimeOffset.UnixEpoch,
        Attributes = new ObjectAttributes { Acl = acl },
    };

    [Fact]
    public void ThePublicReadStatementGrantsAnonymousGetUnderItsPrefixOnly()
    {
        var bucket = Bucket(PublicReadPrefix);
        Assert.True(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("public/a.iso")));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("private/a.iso")));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.ListBucket, bucket, null));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.Administer, bucket, Object("public/a.iso")));
    }

    [Fact]
    public void ObjectPublicReadAclGrantsAnonymousGetButNotList()
    {
        var bucket = Bucket(null);
        Assert.True(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("k", CannedAcl.PublicRead)));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("k")));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.ListBucket, bucket, null));
    }

    [Fact]
    public void BucketPublicReadAclGrantsListNotObjects()
    {
        var bucket = Bucket(null, CannedAcl.PublicRead);
        Assert.True(Authorizer.IsAllowed(Principal.Anonymous, S3Action.ListBucket, bucket, null));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("k")));
    }

    [Fact]
    public void AnExplicitDenyBeatsAPublicAcl()
    {
        var policy = """
            {"Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::datasets/secret/*"}]}
            """;
        var bucket = Bucket(policy);
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("secret/x", CannedAcl.PublicRead)));
        Assert.True(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("open/x", CannedAcl.PublicRead)));
    }

    [Fact]
    public void ListBucketStatementOnTheBucketArnGrantsListing()
    {
        var policy = """
            {"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::datasets"}]}
            """;
        Assert.True(Authorizer.IsAllowed(Principal.Anonymous, S3Action.ListBucket, Bucket(policy), null));
    }

    [Fact]
    public void StatementsForOtherPrincipalsGrantNothingAnonymously()
    {
        var policy = """
            {"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::datasets/*"}]}
            """;
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, Bucket(policy), Object("k")));
    }

    /// <summary>A statement naming a user (by IAM user ARN or canonical id) grants that user — and nobody else — the
    /// object actions it names, under its resource; a Deny for the user wins over a public Allow.</summary>
    [Fact]
    public void AStatementForAUserGrantsThatUserTheActionsItNames()
    {
        var policy = """
            {"Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::datasets/uploads/*"},
              {"Effect":"Allow","Principal":{"CanonicalUser":"bob-id"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::datasets"},
              {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::datasets/public/*"},
              {"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::123456789012:user/mallory"]},"Action":"s3:*","Resource":"arn:aws:s3:::datasets/*"}]}
            """;
        var bucket = Bucket(policy) with { Owner = "owner-id" };
        var alice = new Principal("AKALICE", "alice-id") { UserName = "alice" };
        var bob = new Principal("AKBOB", "bob-id") { UserName = "bob" };
        var mallory = new Principal("AKMAL", "mallory-id") { UserName = "mallory" };

        Assert.True(Authorizer.IsAllowed(alice, S3Action.WriteObject, bucket, null, "uploads/a.bin"));
        Assert.False(Authorizer.IsAllowed(alice, S3Action.WriteObject, bucket, null, "elsewhere/a.bin"));
        Assert.False(Authorizer.IsAllowed(bob, S3Action.WriteObject, bucket, null, "uploads/a.bin"));
        Assert.True(Authorizer.IsAllowed(bob, S3Action.ListBucket, bucket, null));
        Assert.False(Authorizer.IsAllowed(alice, S3Action.ListBucket, bucket, null));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.GetObject, bucket, Object("uploads/a.bin")));
        Assert.True(Authorizer.IsAllowed(mallory, S3Action.GetObject, Bucket(PublicReadPrefix) with { Owner = "owner-id" }, Object("public/x")));
        Assert.False(Authorizer.IsAllowed(mallory, S3Action.GetObject, bucket, Object("public/x"))); // the Deny wins
        Assert.True(BucketPolicy.Parse(policy, "datasets").IsPublic); // the "*" statement, not the users'
    }

    /// <summary>Whatever a policy says, a bucket's own configuration stays its owner's.</summary>
    [Fact]
    public void APolicyGrantsNoBucketConfiguration()
    {
        var policy = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::datasets","arn:aws:s3:::datasets/*"]}]}""";
        var bucket = Bucket(policy) with { Owner = "owner-id" };
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.Administer, bucket, null, null, "s3:PutBucketPolicy"));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.Administer, bucket, null, null, "s3:DeleteBucket"));
        Assert.False(Authorizer.IsAllowed(Principal.Anonymous, S3Action.Administer, bucket, null));
        Assert.True(Authorizer.IsAllowed(Principal.Anonymous, S3Action.Administer, bucket, null, "k", "s3:PutObjectTagging"));
        Assert.True(Authorizer.IsAllowed(Principal.Anonymous, S3Action.WriteObject, bucket, null, "k"));
    }

    [Fact]
    public void TheOwnerMayDoAnything() =>
        Assert.True(Authorizer.IsAllowed(new Principal("AK"), S3Action.Administer, Bucket(null), null));

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::datasets/*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::datasets2/*"}]}""")]
    [InlineData("""{"Statement": {"Effect": "\u0000"}}""")]
    [InlineData("""{"Statement": {"Effect": "Allow\u0001"}}""")]
    [InlineData("""{"Statement": {"Effect": 1}}""")]
    [InlineData("""{"Statement": {"Effect": ["Allow"]}}""")]
    [InlineData("""{"Statement": {"Effect": null}}""")]
    [InlineData("""{"Statement": ["Allow"]}""")]
    [InlineData("""{"Statement": [{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::datasets/*"}]}""")]
    [InlineData("""{"Statement": [{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::datasets/*"}],"Statement":[]}""")]
    [InlineData("""{"Statement": [{"Effect":"Allow","Principal":{"AWS":"x","AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::datasets/*"}]}""")]
    public void MalformedPoliciesAreRejected(string policy)
    {
        var error = Assert.Throws<StorageException>(() => BucketPolicy.Parse(policy, "datasets"));
        Assert.Equal(StorageError.MalformedPolicy, error.Error);
    }

    [Fact]
    public void AnEffectHoldingAControlCharacterIsNotEchoed()
    {
        var error = Assert.Throws<StorageException>(() => BucketPolicy.Parse("""{"Statement": {"Effect": "\u0000"}}""", "datasets"));
        Assert.Equal("Invalid effect", error.Message);
    }

    [Theory]
    [InlineData("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", true)]
    [InlineData("arn:aws:s3:::b/p?", "arn:aws:s3:::b/p1", true)]
    [InlineData("arn:aws:s3:::b/p?", "arn:aws:s3:::b/p12", false)]
    [InlineData("arn:aws:s3:::b/a*c", "arn:aws:s3:::b/abbbc", true)]
    [InlineData("arn:aws:s3:::b", "arn:aws:s3:::b/x", false)]
    public void WildcardsMatchAsIamDoes(string pattern, string text, bool matches) =>
        Assert.Equal(matches, Wildcard.Matches(pattern, text, ignoreCase: false));
}
