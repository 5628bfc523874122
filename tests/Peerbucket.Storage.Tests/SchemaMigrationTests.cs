using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Changes;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Metadata;
using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests;

/// <summary>A data directory written before schema versions were kept (info-hash index named <c>object_tags</c>)
/// opens with its objects and index intact, and every write path announces its change.</summary>
public sealed class SchemaMigrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pb-migrate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void AVersionZeroDatabaseKeepsItsObjectsAndInfoHashIndex()
    {
        Directory.CreateDirectory(_directory);
        var indexKey = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        using (var old = new SqliteConnection($"Data Source={Path.Combine(_directory, "metadata.db")};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE buckets(name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, region TEXT NOT NULL, acl INTEGER NOT NULL, policy TEXT);
                CREATE TABLE objects(bucket TEXT NOT NULL, key BLOB NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL,
                    etag TEXT NOT NULL, modified_ms INTEGER NOT NULL, headers TEXT NOT NULL, user_meta TEXT NOT NULL,
                    checksums TEXT NOT NULL, acl INTEGER NOT NULL, facts BLOB, PRIMARY KEY(bucket, key)) WITHOUT ROWID;
                CREATE TABLE object_tags(tag BLOB NOT NULL, bucket TEXT NOT NULL, key BLOB NOT NULL,
                    PRIMARY KEY(tag, bucket, key)) WITHOUT ROWID;
                CREATE INDEX object_tags_by_key ON object_tags(bucket, key);
                INSERT INTO buckets VALUES ('b', 0, 'us-east-1', 0, NULL);
                INSERT INTO objects VALUES ('b', CAST('k' AS BLOB), 'blob1', 1, 'e', 0, '{}', '{}', '{}', 1, X'00');
                INSERT INTO object_tags VALUES ($tag, 'b', CAST('k' AS BLOB));
                """;
            command.Parameters.AddWithValue("$tag", indexKey);
            command.ExecuteNonQuery();
        }

        var store = new ObjectStore(_directory);

        var found = Assert.Single(store.Objects.FindByIndexKey(indexKey));
        Assert.Equal(("b", "k", "blob1", true), (found.Object.Bucket, found.Object.Key, found.Object.BlobId, found.IsCurrent));
        using var connection = new SqliteDatabase(_directory).Open();
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal((long)Schema.Version, version.ExecuteScalar());
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE name LIKE 'object_tags%'";
        Assert.Equal(0L, tables.ExecuteScalar());
    }

    [Fact]
    public async Task EveryCommitThatCanChangeWhoReadsAnObjectIsAnnouncedWithItsKey()
    {
        var store = new ObjectStore(_directory);
        var heard = new List<ObjectChange>();
        store.Changes.Changed += heard.Add;
        await store.Buckets.CreateAsync("b", "us-east-1", CannedAcl.Private, DateTimeOffset.UnixEpoch);
        var facts = new ContentFacts([1], [Enumerable.Repeat((byte)7, 20).ToArray()]);
        var write = new ObjectWrite("b", "k", "e", new ObjectAttributes(), new Dictionary<string, string>(), facts);
        await store.Objects.CommitAsync(write, "blob1", 1, DateTimeOffset.UnixEpoch);
        await store.Objects.SetAclAsync("b", "k", CannedAcl.PublicRead);
        await store.Buckets.SetPolicyAsync("b", null);
        await store.Buckets.SetAclAsync("b", CannedAcl.Private);
        await store.Objects.DeleteAsync("b", "k");
        await store.Objects.DeleteAsync("b", "never-there");
        await store.Buckets.DeleteAsync("b");

        Assert.Equal(
            [new("b", "k"), new("b", "k"), new("b", null), new("b", null), new("b", "k"), new ObjectChange("b", null)],
            heard);
    }
}
