using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests;

/// <summary>Users and key pairs in the store: created, found by access key, deleted; secrets sealed at rest.</summary>
public sealed class UserRepositoryTests : IDisposable
{
    private readonly TempStore _temp = new();

    private ObjectStore Store => _temp.Store;

    [Fact]
    public async Task AUsersKeyFindsItsUserAndSecretUntilTheKeyIsDeleted()
    {
        var user = await Store.Users.CreateAsync("alice", "Alice", null, DateTimeOffset.UtcNow);
        Assert.Matches("^[0-9a-f]{64}$", user.CanonicalId);
        var (key, secret) = await Store.Users.CreateKeyAsync("alice", null, null, DateTimeOffset.UtcNow);
        var (second, _) = await Store.Users.CreateKeyAsync("alice", "AKIDALICE2", "secret-two", DateTimeOffset.UtcNow);

        var found = Store.Users.FindKey(key)!.Value;
        Assert.Equal((user.CanonicalId, "alice", "Alice", secret), (found.User.CanonicalId, found.User.Name, found.User.DisplayName, found.Secret));
        Assert.Equal("secret-two", Store.Users.FindKey(second)!.Value.Secret);
        Assert.Equal(new[] { key, second }.Order(StringComparer.Ordinal), Store.Users.KeysOf("alice").Order(StringComparer.Ordinal));

        Assert.True(await Store.Users.DeleteKeyAsync(key));
        Assert.Null(Store.Users.FindKey(key));
        Assert.False(await Store.Users.DeleteKeyAsync(key));
    }

    [Fact]
    public async Task SecretsAreSealedAtRestNotStoredAsText()
    {
        await Store.Users.CreateAsync("bob", null, "bob-id", DateTimeOffset.UtcNow);
        await Store.Users.CreateKeyAsync("bob", "AKIDBOB", "plain-secret-that-must-not-be-on-disk", DateTimeOffset.UtcNow);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_temp.Directory, "metadata.db*"))
        {
            Assert.DoesNotContain("plain-secret-that-must-not-be-on-disk", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(file)), StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(_temp.Directory, Peerbucket.Storage.Access.SecretBox.FileName)));
        Assert.Equal("plain-secret-that-must-not-be-on-disk", new ObjectStore(_temp.Directory).Users.FindKey("AKIDBOB")!.Value.Secret);
    }

    [Fact]
    public async Task NamesAndKeysAreUniqueAndAUserWhoOwnsABucketIsKept()
    {
        var user = await Store.Users.CreateAsync("carol", null, null, DateTimeOffset.UtcNow);
        Assert.Equal(StorageError.UserExists, (await Assert.ThrowsAsync<StorageException>(() => Store.Users.CreateAsync("carol", null, null, DateTimeOffset.UtcNow))).Error);
        await Store.Users.CreateKeyAsync("carol", "AKIDCAROL", "s", DateTimeOffset.UtcNow);
        Assert.Equal(StorageError.AccessKeyExists,
            (await Assert.ThrowsAsync<StorageException>(() => Store.Users.CreateKeyAsync("carol", "AKIDCAROL", "t", DateTimeOffset.UtcNow))).Error);

        await Store.Buckets.CreateAsync("carols", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow, user.CanonicalId);
        Assert.Equal(user.CanonicalId, Store.Buckets.Get("carols")!.Owner);
        Assert.Equal(StorageError.UserOwnsBuckets, (await Assert.ThrowsAsync<StorageException>(() => Store.Users.DeleteAsync("carol"))).Error);
        await Store.Buckets.DeleteAsync("carols");
        await Store.Users.DeleteAsync("carol");
        Assert.Null(Store.Users.Get("carol"));
        Assert.Null(Store.Users.FindKey("AKIDCAROL"));
    }

    public void Dispose() => _temp.Dispose();
}
