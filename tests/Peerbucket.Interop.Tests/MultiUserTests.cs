using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// More than one user: `peerbucket user create` (run beside the running server, on its data directory) makes a user
/// whose key pair works at once; a user owns the buckets it creates, lists only those, cannot touch another's private
/// bucket or object, reads what is public; a deleted key stops working at once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MultiUserTests(ServerFixture fixture)
{
    private async Task<(string AccessKey, string SecretKey, string CanonicalId)> CreateUserAsync(string name)
    {
        var result = await Tool.RunCheckedAsync("dotnet", [Paths.ServerAssembly, "user", "create", name, "--data", fixture.Server.DataDirectory]);
        string Field(string label) => result.Stdout.Split('\n').Single(l => l.StartsWith(label + ": ", StringComparison.Ordinal))[(label.Length + 2)..].Trim();
        return (Field("Access key"), Field("Secret key"), Field("Canonical id"));
    }

    [Fact]
    public async Task AUserOwnsWhatItCreatesAndReadsOnlyWhatOthersMadePublic()
    {
        var admin = fixture.CreateClient();
        var adminBucket = fixture.NewBucketName("mu-admin");
        await admin.PutBucketAsync(adminBucket);
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = adminBucket, Key = "private.txt", ContentBody = "admin only" });
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = adminBucket, Key = "public.txt", ContentBody = "everyone", CannedACL = S3CannedACL.PublicRead });

        var name = "user-" + Guid.NewGuid().ToString("N")[..8];
        var (key, secret, id) = await CreateUserAsync(name);
        var user = fixture.Server.CreateClient(secret, accessKey: key);
        var own = fixture.NewBucketName("mu-user");
        await user.PutBucketAsync(own);
        await user.PutObjectAsync(new PutObjectRequest { BucketName = own, Key = "mine.txt", ContentBody = "the user's" });

        var listed = (await user.ListBucketsAsync()).Buckets?.Select(b => b.BucketName).ToList() ?? [];
        Assert.Equal([own], listed);
        var second = fixture.NewBucketName("mu-user2");
        await user.PutBucketAsync(second);
        var first = await user.ListBucketsAsync(new ListBucketsRequest { MaxBuckets = 1 });
        var next = await user.ListBucketsAsync(new ListBucketsRequest { MaxBuckets = 1, ContinuationToken = first.ContinuationToken });
        Assert.Equal(new[] { own, second }.Order(StringComparer.Ordinal), first.Buckets!.Concat(next.Buckets!).Select(b => b.BucketName));
        Assert.Null(next.ContinuationToken);
        await user.DeleteBucketAsync(second);
        Assert.DoesNotContain(own, (await admin.ListBucketsAsync()).Buckets!.Select(b => b.BucketName));
        var acl = await user.GetBucketAclAsync(new GetBucketAclRequest { BucketName = own });
        Assert.Equal(id, acl.Owner.Id);

        async Task<HttpStatusCode> StatusAsync(Func<Task> call)
        {
            try
            {
                await call();
                return HttpStatusCode.OK;
            }
            catch (AmazonS3Exception error)
            {
                return error.StatusCode;
            }
        }

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(() => user.GetObjectAsync(adminBucket, "private.txt")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(() => user.PutObjectAsync(new PutObjectRequest { BucketName = adminBucket, Key = "x", ContentBody = "x" })));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(() => user.ListObjectsV2Async(new ListObjectsV2Request { BucketName = adminBucket })));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(() => user.DeleteBucketAsync(adminBucket)));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(() => user.PutBucketAsync(adminBucket)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(() => user.GetObjectAsync(adminBucket, "public.txt")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(() => admin.GetObjectAsync(own, "mine.txt"))); // the administrator is a user too

        // Deleted while the server runs: the next request with the key is refused.
        await Tool.RunCheckedAsync("dotnet", [Paths.ServerAssembly, "user", "key", "delete", key, "--data", fixture.Server.DataDirectory]);
        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => user.ListBucketsAsync());
        Assert.Equal("InvalidAccessKeyId", refused.ErrorCode);
    }

    [Fact]
    public async Task AclGrantsLetAnotherUserReadOrWriteExactlyWhatTheyNameAndPublicReadWriteLetsAnyoneWrite()
    {
        var admin = fixture.CreateClient();
        var bucket = fixture.NewBucketName("mu-grant");
        await admin.PutBucketAsync(bucket);
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "shared.txt", ContentBody = "for one user" });
        var (key, secret, id) = await CreateUserAsync("grantee-" + Guid.NewGuid().ToString("N")[..8]);
        var user = fixture.Server.CreateClient(secret, accessKey: key);

        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => user.GetObjectAsync(bucket, "shared.txt"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        foreach (var probed in new[] { "shared.txt", "never-there.txt" }) // a missing key's ACL tells a stranger nothing either
        {
            var acl403 = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => user.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = probed }));
            Assert.Equal(HttpStatusCode.Forbidden, acl403.StatusCode);
        }

        await admin.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "shared.txt", GrantRead = $"id=\"{id}\"" });
        using (var read = await user.GetObjectAsync(bucket, "shared.txt"))
        using (var reader = new StreamReader(read.ResponseStream))
        {
            Assert.Equal("for one user", await reader.ReadToEndAsync());
        }

        var acl = await admin.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "shared.txt" });
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == id && g.Permission == S3Permission.READ);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            user.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new.txt", ContentBody = "x" }))).StatusCode);
        using (var http = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"{fixture.Endpoint}/{bucket}/shared.txt")).StatusCode); // a user's grant is not anyone's
        }

        // WRITE on the bucket lets the user put objects into it; revoking the object's grant ends its reads.
        await admin.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, GrantWrite = $"id=\"{id}\"" });
        await user.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new.txt", ContentBody = "written by the grantee" });
        await admin.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "shared.txt", ACL = S3CannedACL.Private });
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => user.GetObjectAsync(bucket, "shared.txt"))).StatusCode);

        // A grant must name a user the store has.
        var unknown = new PutObjectAclRequest { BucketName = bucket, Key = "shared.txt", GrantRead = $"id=\"{new string('0', 64)}\"" };
        Assert.Equal("InvalidArgument", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => admin.PutObjectAclAsync(unknown))).ErrorCode);

        // public-read-write: anyone may write (the owner's explicit choice), and Block Public Access refuses it.
        var open = fixture.NewBucketName("mu-prw");
        await admin.PutBucketAsync(new PutBucketRequest { BucketName = open, CannedACL = S3CannedACL.PublicReadWrite });
        using (var http = new HttpClient())
        {
            var put = await http.PutAsync($"{fixture.Endpoint}/{open}/anonymous.txt", new StringContent("from anyone"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsync($"{fixture.Endpoint}/{bucket}/anonymous.txt", new StringContent("x"))).StatusCode);
        }

        await admin.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = open,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true },
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            admin.PutBucketAclAsync(new PutBucketAclRequest { BucketName = open, ACL = S3CannedACL.PublicReadWrite }))).StatusCode);
    }

    /// <summary>Only the bucket's owner may lock or bypass: no ACL grants s3:PutObjectRetention or
    /// s3:BypassGovernanceRetention, so a grantee allowed to write gets the bucket's default retention and keeps it.</summary>
    [Fact]
    public async Task AGranteeWhoMayWriteCannotLockNorBypassAGovernanceRetention()
    {
        var admin = fixture.CreateClient();
        var bucket = fixture.NewBucketName("mu-lock");
        await admin.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true });
        await admin.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 1 } },
            },
        });
        var (key, secret, id) = await CreateUserAsync("locker-" + Guid.NewGuid().ToString("N")[..8]);
        await admin.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, GrantWrite = $"id=\"{id}\"" });
        var user = fixture.Server.CreateClient(secret, accessKey: key);

        var locking = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => user.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "locked.txt",
            ContentBody = "for a century",
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddYears(100),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, locking.StatusCode);

        var put = await user.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kept.txt", ContentBody = "kept" });
        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => user.DeleteObjectAsync(new DeleteObjectRequest
        {
            BucketName = bucket,
            Key = "kept.txt",
            VersionId = put.VersionId,
            BypassGovernanceRetention = true,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await admin.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "kept.txt", VersionId = put.VersionId, BypassGovernanceRetention = true });
    }
}
