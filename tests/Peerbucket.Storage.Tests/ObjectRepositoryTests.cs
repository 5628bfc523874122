using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests;

public class ObjectRepositoryTests
{
    private static readonly string[] Keys =
    [
        "a", "a/b", "a/b/c", "a/c", "a+b", "a b", "b", "photos/2006/January/sample.jpg", "photos/2006/February/sample2.jpg",
        "photos/2006/February/sample3.jpg", "photos/2006/February/sample4.jpg", "zeta", "é", "日本", "~tilde", "dir//double",
    ];

    /// <summary>S3's listing, computed the obvious way: sort keys as UTF-8 bytes, roll up at the delimiter.</summary>
    private static List<string> Reference(string prefix, string? delimiter)
    {
        var entries = new List<string>();
        foreach (var key in Keys.OrderBy(k => k, Comparer<string>.Create(CompareUtf8)))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var cut = delimiter is null ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            var entry = cut < 0 ? key : "P:" + key[..(cut + delimiter!.Length)];
            if (entries.Count == 0 || entries[^1] != entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static int CompareUtf8(string a, string b) =>
        System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b));

    [Theory]
    [InlineData("", null, 1000)]
    [InlineData("", "/", 1000)]
    [InlineData("", "/", 1)]
    [InlineData("", "/", 2)]
    [InlineData("photos/", "/", 1)]
    [InlineData("photos/2006/", "/", 1)]
    [InlineData("a", "/", 1)]
    [InlineData("a", null, 3)]
    [InlineData("nothing", "/", 5)]
    public async Task PagingThroughAListingGivesS3sOrderWithCommonPrefixes(string prefix, string? delimiter, int pageSize)
    {
        using var temp = new TempStore();
        await temp.Store.Buckets.CreateAsync("b-one", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow);
        foreach (var key in Keys)
        {
            await temp.PutAsync("b-one", key, [1]);
        }

        var seen = new List<string>();
        string? marker = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = temp.Store.Objects.List("b-one", prefix, delimiter, marker, pageSize);
            var entries = page.Objects.Select(o => o.Key).Concat(page.CommonPrefixes.Select(p => "P:" + p))
                .OrderBy(e => e.StartsWith("P:", StringComparison.Ordinal) ? e[2..] : e, Comparer<string>.Create(CompareUtf8));
            seen.AddRange(entries);
            Assert.True(page.Objects.Count + page.CommonPrefixes.Count <= pageSize);
            if (!page.IsTruncated)
            {
                break;
            }

            marker = page.NextMarker;
        }

        Assert.Equal(Reference(prefix, delimiter), seen);
    }

    [Fact]
    public async Task OverwritingAKeyReleasesTheOldBlobAndKeepsTheNewOne()
    {
        using var temp = new TempStore();
        await temp.Store.Buckets.CreateAsync("b-one", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow);
        var first = await temp.PutAsync("b-one", "k", [1, 2, 3]);
        var second = await temp.PutAsync("b-one", "k", [4, 5]);
        Assert.Null(temp.Store.Blobs.TryOpenRead(first));
        using var handle = temp.Store.Blobs.TryOpenRead(second);
        Assert.NotNull(handle);
        var obj = temp.Store.Objects.Get("b-one", "k")!;
        Assert.Equal(second, obj.BlobId);
        Assert.Equal(2, obj.Size);
    }

    [Fact]
    public async Task ABucketWithObjectsCannotBeDeleted()
    {
        using var temp = new TempStore();
        await temp.Store.Buckets.CreateAsync("b-one", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow);
        await temp.PutAsync("b-one", "k", [1]);
        var error = await Assert.ThrowsAsync<StorageException>(() => temp.Store.Buckets.DeleteAsync("b-one"));
        Assert.Equal(StorageError.BucketNotEmpty, error.Error);
        temp.Store.Release((await temp.Store.Objects.DeleteAsync("b-one", "k")).Released);
        await temp.Store.Buckets.DeleteAsync("b-one");
        Assert.Null(temp.Store.Buckets.Get("b-one"));
    }

    [Fact]
    public async Task CommittingIntoAMissingBucketFailsAndLeavesNoMetadata()
    {
        using var temp = new TempStore();
        var error = await Assert.ThrowsAsync<StorageException>(() => temp.PutAsync("nobucket", "k", [1]));
        Assert.Equal(StorageError.NoSuchBucket, error.Error);
        Assert.Null(temp.Store.Objects.Get("nobucket", "k"));
    }

    [Fact]
    public async Task RecoveryRemovesUnfinishedAndUncommittedBlobsOnly()
    {
        using var temp = new TempStore();
        await temp.Store.Buckets.CreateAsync("b-one", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow);
        var kept = await temp.PutAsync("b-one", "k", [1]);

        var unfinished = temp.Store.Blobs.CreateWriter();
        await unfinished.WriteAsync(new byte[] { 9 });
        var orphan = temp.Store.Blobs.CreateWriter();
        await orphan.WriteAsync(new byte[] { 8 });
        await temp.Store.Blobs.PublishAsync(orphan);

        // Simulate a crash: the unfinished writer is never disposed and the orphan never committed.
        var (temporary, orphaned) = temp.Store.Recover();
        Assert.Equal(1, temporary);
        Assert.Equal(1, orphaned);
        using var handle = temp.Store.Blobs.TryOpenRead(kept);
        Assert.NotNull(handle);
        Assert.Null(temp.Store.Blobs.TryOpenRead(orphan.BlobId));
    }
}
