using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests;

/// <summary>S3 versioning in the store: what a write or delete does to a key's versions in each bucket state, which
/// blobs it lets go, and how versions list and page.</summary>
public sealed class VersioningTests : IDisposable
{
    private readonly TempStore _temp = new();

    private ObjectStore Store => _temp.Store;

    private async Task BucketAsync(VersioningState state)
    {
        await Store.Buckets.CreateAsync("b", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow);
        if (state != VersioningState.Unversioned)
        {
            await Store.Buckets.SetVersioningAsync("b", state);
        }
    }

    private async Task<(string Blob, WriteOutcome Outcome)> PutAsync(string key, string text, byte[]? indexKey = null)
    {
        var data = System.Text.Encoding.UTF8.GetBytes(text);
        await using var writer = Store.Blobs.CreateWriter();
        await writer.WriteAsync(data);
        await Store.Blobs.PublishAsync(writer);
        var content = indexKey is null ? null : new Content.ContentFacts([1, 2, 3], [indexKey]);
        var write = new ObjectWrite("b", key, text, new ObjectAttributes(), new Dictionary<string, string>(), content);
        var outcome = await Store.Objects.CommitAsync(write, writer.BlobId, data.Length, DateTimeOffset.UtcNow);
        Store.Release(outcome.Released);
        return (writer.BlobId, outcome);
    }

    private List<(string Key, string Version, bool Latest, bool Marker, string? ETag)> AllVersions(string prefix = "") =>
        [.. Store.Versions.List("b", prefix, null, null, null, 1000).Versions
            .Select(v => (v.Key, v.VersionId ?? "null", v.IsLatest, v.IsDeleteMarker, v.Object?.ETag))];

    [Fact]
    public async Task AnEnabledBucketKeepsEveryWriteAsAVersionAndReleasesNoBlob()
    {
        await BucketAsync(VersioningState.Enabled);
        var (blob1, first) = await PutAsync("k", "one");
        var (blob2, second) = await PutAsync("k", "two");

        Assert.Empty(first.Released);
        Assert.Empty(second.Released);
        Assert.Equal(32, first.VersionId!.Length);
        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.Equal("two", Store.Objects.Get("b", "k")!.ETag);
        Assert.Equal("one", Store.Versions.Get("b", "k", first.VersionId)!.Object!.ETag);
        Assert.Equal(
            [("k", second.VersionId!, true, false, "two"), ("k", first.VersionId, false, false, "one")],
            AllVersions());
        Assert.True(File.Exists(Store.Blobs.PathOf(blob1)));
        Assert.True(File.Exists(Store.Blobs.PathOf(blob2)));
        Assert.Contains(blob1, Store.Objects.AllBlobIds());
    }

    [Fact]
    public async Task ADeleteLeavesAMarkerOnTopAndDeletingTheMarkerBringsTheObjectBack()
    {
        await BucketAsync(VersioningState.Enabled);
        var (_, put) = await PutAsync("k", "one");

        var delete = await Store.Objects.DeleteAsync("b", "k");
        Assert.True(delete.DeleteMarker);
        Assert.Empty(delete.Released);
        Assert.Null(Store.Objects.Get("b", "k"));
        Assert.True(Store.Versions.Latest("b", "k")!.IsDeleteMarker);
        Assert.Equal([("k", delete.VersionId!, true, true, null), ("k", put.VersionId!, false, false, "one")], AllVersions());

        var undelete = await Store.Objects.DeleteAsync("b", "k", delete.VersionId);
        Assert.True(undelete.DeleteMarker);
        Assert.Equal("one", Store.Objects.Get("b", "k")!.ETag);
        Assert.Equal(put.VersionId, Store.Objects.Get("b", "k")!.VersionId);
        Assert.Equal([("k", put.VersionId!, true, false, "one")], AllVersions());
    }

    [Fact]
    public async Task DeletingTheCurrentVersionByIdMakesTheNextOneCurrentAndReleasesOnlyItsBlob()
    {
        await BucketAsync(VersioningState.Enabled);
        var (blob1, first) = await PutAsync("k", "one");
        var (blob2, second) = await PutAsync("k", "two");

        var outcome = await Store.Objects.DeleteAsync("b", "k", second.VersionId);
        Assert.Equal([blob2], outcome.Released);
        Assert.False(outcome.DeleteMarker);
        Assert.Equal(second.VersionId, outcome.VersionId);
        Assert.Equal(first.VersionId, Store.Objects.Get("b", "k")!.VersionId);

        var last = await Store.Objects.DeleteAsync("b", "k", first.VersionId);
        Assert.Equal([blob1], last.Released);
        Assert.Null(Store.Objects.Get("b", "k"));
        Assert.Empty(AllVersions());
        Assert.Empty((await Store.Objects.DeleteAsync("b", "k", first.VersionId)).Released);
    }

    [Fact]
    public async Task ASuspendedBucketWritesTheNullVersionOverAndKeepsTheIdentifiedOnes()
    {
        await BucketAsync(VersioningState.Enabled);
        var (_, kept) = await PutAsync("k", "enabled");
        await Store.Buckets.SetVersioningAsync("b", VersioningState.Suspended);

        var (nullBlob, firstNull) = await PutAsync("k", "null-1");
        Assert.Null(firstNull.VersionId);
        Assert.Empty(firstNull.Released);
        var (_, secondNull) = await PutAsync("k", "null-2");
        Assert.Equal([nullBlob], secondNull.Released);
        Assert.Equal([("k", "null", true, false, "null-2"), ("k", kept.VersionId!, false, false, "enabled")], AllVersions());

        var delete = await Store.Objects.DeleteAsync("b", "k");
        Assert.True(delete.DeleteMarker);
        Assert.Equal("null", delete.VersionId);
        Assert.Single(delete.Released); // the null object gave way to the null delete marker
        Assert.Equal([("k", "null", true, true, null), ("k", kept.VersionId!, false, false, "enabled")], AllVersions());
    }

    [Fact]
    public async Task AnObjectWrittenBeforeVersioningBecomesTheNullVersion()
    {
        await BucketAsync(VersioningState.Unversioned);
        await PutAsync("k", "plain");
        Assert.Null(Store.Objects.Get("b", "k")!.VersionId);
        await Store.Buckets.SetVersioningAsync("b", VersioningState.Enabled);
        var (_, versioned) = await PutAsync("k", "versioned");

        Assert.Equal([("k", versioned.VersionId!, true, false, "versioned"), ("k", "null", false, false, "plain")], AllVersions());
        Assert.Equal("plain", Store.Versions.Get("b", "k", "null")!.Object!.ETag);
    }

    [Fact]
    public async Task AnUnversionedBucketReplacesAndDeletesAsBefore()
    {
        await BucketAsync(VersioningState.Unversioned);
        var (blob1, first) = await PutAsync("k", "one");
        var (_, second) = await PutAsync("k", "two");
        Assert.Null(first.VersionId);
        Assert.Equal([blob1], second.Released);
        var delete = await Store.Objects.DeleteAsync("b", "k");
        Assert.False(delete.DeleteMarker);
        Assert.Null(delete.VersionId);
        Assert.Empty(AllVersions());
    }

    [Fact]
    public async Task ListingPagesThroughVersionsWithKeyAndVersionMarkers()
    {
        await BucketAsync(VersioningState.Enabled);
        foreach (var key in new[] { "a", "b", "c" })
        {
            for (var i = 0; i < 3; i++)
            {
                await PutAsync(key, key + i);
            }
        }

        await Store.Objects.DeleteAsync("b", "b");
        var everything = AllVersions();
        Assert.Equal(10, everything.Count);

        var paged = new List<(string, string, bool, bool, string?)>();
        string? keyMarker = null, versionMarker = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = Store.Versions.List("b", "", null, keyMarker, versionMarker, 3);
            paged.AddRange(page.Versions.Select(v => (v.Key, v.VersionId ?? "null", v.IsLatest, v.IsDeleteMarker, v.Object?.ETag)));
            if (!page.IsTruncated)
            {
                break;
            }

            (keyMarker, versionMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }

        Assert.Equal(everything, paged);
        Assert.Equal(["a2", "a1", "a0"], everything.Take(3).Select(v => v.ETag));
        Assert.True(everything[3].Marker && everything[3].Latest && everything[3].Key == "b");

        // A key marker alone resumes after every version of that key.
        Assert.Equal(["c"], Store.Versions.List("b", "", null, "b", null, 1000).Versions.Select(v => v.Key).Distinct());
    }

    [Fact]
    public async Task VersionsUnderADelimiterRollUpIntoCommonPrefixes()
    {
        await BucketAsync(VersioningState.Enabled);
        await PutAsync("dir/x", "1");
        await PutAsync("dir/x", "2");
        await PutAsync("top", "3");

        var page = Store.Versions.List("b", "", "/", null, null, 1000);
        Assert.Equal(["dir/"], page.CommonPrefixes);
        Assert.Equal(["top"], page.Versions.Select(v => v.Key));
    }

    [Fact]
    public async Task ABucketWithOnlyADeleteMarkerIsNotEmpty()
    {
        await BucketAsync(VersioningState.Enabled);
        var (_, put) = await PutAsync("k", "one");
        var marker = await Store.Objects.DeleteAsync("b", "k");

        var error = await Assert.ThrowsAsync<StorageException>(() => Store.Buckets.DeleteAsync("b"));
        Assert.Equal(StorageError.BucketNotEmpty, error.Error);

        await Store.Objects.DeleteAsync("b", "k", put.VersionId);
        await Store.Objects.DeleteAsync("b", "k", marker.VersionId);
        await Store.Buckets.DeleteAsync("b");
        Assert.Null(Store.Buckets.Get("b"));
    }

    [Fact]
    public async Task AnAclOrTagsCanBeSetOnANoncurrentVersionAlone()
    {
        await BucketAsync(VersioningState.Enabled);
        var (_, old) = await PutAsync("k", "old");
        await PutAsync("k", "new");

        await Store.Objects.SetAclAsync("b", "k", CannedAcl.PublicRead, old.VersionId);
        Assert.Equal(CannedAcl.PublicRead, Store.Versions.Get("b", "k", old.VersionId!)!.Object!.Attributes.Acl);
        Assert.Equal(CannedAcl.Private, Store.Objects.Get("b", "k")!.Attributes.Acl);

        var missing = await Assert.ThrowsAsync<StorageException>(() => Store.Objects.SetAclAsync("b", "k", CannedAcl.Private, new string('0', 32)));
        Assert.Equal(StorageError.NoSuchVersion, missing.Error);
    }

    [Fact]
    public async Task ANoncurrentVersionIsStillFoundByItsIndexKeysUntilItIsDeleted()
    {
        await BucketAsync(VersioningState.Enabled);
        byte[] oldHash = [1, 1, 1], newHash = [2, 2, 2];
        var (_, old) = await PutAsync("k", "old", oldHash);
        var (_, current) = await PutAsync("k", "new", newHash);

        var found = Assert.Single(Store.Objects.FindByIndexKey(oldHash));
        Assert.Equal((old.VersionId, false), (found.Object.VersionId, found.IsCurrent));
        Assert.Equal((current.VersionId, true), Store.Objects.FindByIndexKey(newHash).Select(f => (f.Object.VersionId, f.IsCurrent)).Single());

        // The current version removed: the old one is current again, under its own index key.
        await Store.Objects.DeleteAsync("b", "k", current.VersionId);
        Assert.Empty(Store.Objects.FindByIndexKey(newHash));
        Assert.Equal((old.VersionId, true), Store.Objects.FindByIndexKey(oldHash).Select(f => (f.Object.VersionId, f.IsCurrent)).Single());

        // Hidden by a delete marker, it is noncurrent; deleted by id, it is found no more.
        await Store.Objects.DeleteAsync("b", "k");
        Assert.False(Assert.Single(Store.Objects.FindByIndexKey(oldHash)).IsCurrent);
        await Store.Objects.DeleteAsync("b", "k", old.VersionId);
        Assert.Empty(Store.Objects.FindByIndexKey(oldHash));
    }

    [Fact]
    public async Task ALockedVersionIsNotDeletedUntilItsHoldIsLiftedAndItsRetentionRunsOutOrIsBypassed()
    {
        await BucketAsync(VersioningState.Enabled);
        var now = DateTimeOffset.UtcNow;
        var (_, governed) = await PutAsync("g", "governed");
        var (_, complied) = await PutAsync("c", "complied");
        await Store.Objects.SetLockAsync("b", "g", null, _ => new ObjectLock(RetentionMode.Governance, now.AddDays(1), LegalHold: true));
        await Store.Objects.SetLockAsync("b", "c", complied.VersionId, _ => new ObjectLock(RetentionMode.Compliance, now.AddDays(1), false));

        async Task<StorageError?> DeleteAsync(string key, string version, DateTimeOffset at, bool bypass)
        {
            try
            {
                await Store.Objects.DeleteAsync("b", key, version, at, bypass);
                return null;
            }
            catch (StorageException error)
            {
                return error.Error;
            }
        }

        Assert.Equal(StorageError.ObjectLocked, await DeleteAsync("g", governed.VersionId!, now, bypass: true)); // the legal hold
        await Store.Objects.SetLockAsync("b", "g", null, l => l with { LegalHold = false });
        Assert.Equal(StorageError.ObjectLocked, await DeleteAsync("g", governed.VersionId!, now, bypass: false));
        Assert.Null(await DeleteAsync("g", governed.VersionId!, now, bypass: true));

        Assert.Equal(StorageError.ObjectLocked, await DeleteAsync("c", complied.VersionId!, now, bypass: true));
        Assert.Equal("complied", Store.Objects.Get("b", "c")!.ETag);
        Assert.Null(await DeleteAsync("c", complied.VersionId!, now.AddDays(2), bypass: false)); // run out
        Assert.Empty(AllVersions());
    }

    public void Dispose() => _temp.Dispose();
}
