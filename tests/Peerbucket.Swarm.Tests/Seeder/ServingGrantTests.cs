using Peerbucket.Protocols.Metainfo;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>
/// The ordering that closes the handshake race: a grant is taken (lookup) before the session registers, and confirmed
/// after. A change committed and announced in between — when the listener's re-check walk cannot see the session yet —
/// must still make the confirmation fail.
/// </summary>
public sealed class ServingGrantTests : IAsyncLifetime
{
    private SeederHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SeederHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task AChangeAnnouncedBetweenTheLookupAndTheConfirmationRevokesTheGrant()
    {
        var hash = await PublicHashAsync("a.bin");
        var grant = ServingGrant.TryCreate(_harness.Served, hash);
        Assert.NotNull(grant);

        await _harness.Store.Objects.SetAclAsync("b", "a.bin", CannedAcl.Private);

        Assert.False(grant.IsCurrent());
    }

    [Fact]
    public async Task AGrantStaysRevokedWhenTheObjectIsMadePublicAgain()
    {
        var hash = await PublicHashAsync("b.bin");
        var grant = ServingGrant.TryCreate(_harness.Served, hash)!;
        await _harness.Store.Objects.SetAclAsync("b", "b.bin", CannedAcl.Private);
        Assert.False(grant.IsCurrent());

        await _harness.Store.Objects.SetAclAsync("b", "b.bin", CannedAcl.PublicRead);
        Assert.False(grant.IsCurrent());
        Assert.NotNull(ServingGrant.TryCreate(_harness.Served, hash));
    }

    [Fact]
    public async Task AChangeThatLeavesTheObjectServedKeepsTheGrant()
    {
        var hash = await PublicHashAsync("c.bin");
        var grant = ServingGrant.TryCreate(_harness.Served, hash)!;
        await _harness.PutAsync("unrelated.bin", new byte[1000]);
        Assert.True(grant.IsCurrent());
    }

    [Fact]
    public async Task AnOverwriteRevokesTheOldBytesGrantEvenUnderTheSameKey()
    {
        var hash = await PublicHashAsync("d.bin");
        var grant = ServingGrant.TryCreate(_harness.Served, hash)!;
        await _harness.PutAsync("d.bin", Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray());
        Assert.False(grant.IsCurrent());
    }

    [Fact]
    public async Task NoGrantForAPrivateObject()
    {
        var obj = await _harness.PutAsync("e.bin", new byte[5000], CannedAcl.Private);
        Assert.Null(ServingGrant.TryCreate(_harness.Served, _harness.Torrent(obj, TorrentFormat.V1).Hashes.V1.ToArray()));
    }

    private async Task<byte[]> PublicHashAsync(string key)
    {
        var obj = await _harness.PutAsync(key, Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray());
        return _harness.Torrent(obj, TorrentFormat.V1).Hashes.V1.ToArray();
    }
}
