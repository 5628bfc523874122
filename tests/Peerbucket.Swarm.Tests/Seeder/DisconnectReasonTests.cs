using System.Security.Cryptography;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>Bytes a parser rejects close the connection with the <see cref="DisconnectReason"/> and the parser's own
/// <see cref="PeerWireError"/>, both counted in <see cref="SeederStats"/>.</summary>
public sealed class DisconnectReasonTests : IAsyncLifetime
{
    private SeederHarness _harness = null!;
    private ReadOnlyMemory<byte> _hash;

    public async Task InitializeAsync()
    {
        _harness = await SeederHarness.StartAsync(new SeederOptions { MaxPeersPerAddress = 64 });
        var obj = await _harness.PutAsync("obj.bin", RandomNumberGenerator.GetBytes((3 * 32 * 1024) + 4000));
        _hash = _harness.Torrent(obj, TorrentFormat.V1).Hashes.V1;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("800000001400", DisconnectReason.MessageTooLong, PeerWireError.MessageTooLong)] // 2 GiB extended message
    [InlineData("000000020000", DisconnectReason.MalformedMessage, PeerWireError.WrongLength)] // choke with a payload
    [InlineData("0000000305FFFF", DisconnectReason.MalformedMessage, PeerWireError.BitfieldWrongLength)] // 4 pieces: 1 byte
    [InlineData("0000000205FF", DisconnectReason.MalformedMessage, PeerWireError.BitfieldSpareBits)]
    [InlineData("00000008140064313A6D2121", DisconnectReason.MalformedMessage, PeerWireError.InvalidBencode)] // "d1:m!!"
    [InlineData("0000000D06000000000000000000008000", DisconnectReason.RequestTooLong, PeerWireError.RequestTooLong)]
    [InlineData("0000000D06800000000000000000004000", DisconnectReason.MalformedMessage, PeerWireError.InvalidField)]
    public async Task RejectedBytesCloseWithTheParsersTypedReason(string hex, DisconnectReason reason, PeerWireError error)
    {
        await using var peer = await RawPeer.ConnectAsync(_harness.EndPoint);
        await peer.SendHandshakeAsync(_hash);
        await peer.ReadHandshakeAsync();
        await peer.SendAsync(Convert.FromHexString(hex));
        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
        await AssertCountedAsync(reason, error);
    }

    [Fact]
    public async Task AHandshakeThatIsNotBitTorrentsIsCountedAsInvalidProtocol()
    {
        await using var peer = await RawPeer.ConnectAsync(_harness.EndPoint);
        await peer.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
        await AssertCountedAsync(DisconnectReason.InvalidHandshake, PeerWireError.InvalidProtocol);
    }

    [Fact]
    public async Task AReasonWithoutAParserErrorCountsNoWireError()
    {
        await using (var peer = await RawPeer.ConnectAsync(_harness.EndPoint))
        {
            await peer.SendHandshakeAsync(new byte[20]);
            Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
        }

        await AssertCountedAsync(DisconnectReason.UnknownInfoHash, PeerWireError.None);
    }

    private async Task AssertCountedAsync(DisconnectReason reason, PeerWireError error)
    {
        // The session counts its close just after the socket closed.
        for (var i = 0; i < 100 && _harness.Stats.ClosedFor(reason) == 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, _harness.Stats.ClosedFor(reason));
        foreach (var other in Enum.GetValues<PeerWireError>().Where(e => e != PeerWireError.None))
        {
            Assert.Equal(other == error ? 1 : 0, _harness.Stats.ClosedFor(other));
        }
    }
}
