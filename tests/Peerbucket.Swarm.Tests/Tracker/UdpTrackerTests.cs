using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.Tracker;
using Peerbucket.Storage;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Torrents;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Tests.Tracker;

/// <summary>The UDP tracker answering BEP 15 packets built from the spec's layout, against a real store.</summary>
public sealed class UdpTrackerTests : IDisposable
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("127.0.0.9"), 51413);
    private static readonly IPEndPoint Seeder = new(IPAddress.Loopback, 6881);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pb-udp-" + Guid.NewGuid().ToString("N"));
    private readonly ObjectStore _store;
    private readonly UdpTrackerListener _listener;
    private readonly byte[] _infoHash;

    public UdpTrackerTests()
    {
        _store = new ObjectStore(_directory);
        var settings = new TorrentSettings { PublicUrl = new Uri("http://127.0.0.1:9000") };
        var catalog = new TorrentCatalog(_store, settings);
        var served = new ServedTorrents(_store, catalog);
        _store.Buckets.CreateAsync("pub", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        _infoHash = Publish("pub", "file.bin", new byte[100_000]);
        var tracker = new TrackerService(served, new InMemorySwarmRegistry(), new TrackerOptions { Seeder = Seeder }, TimeProvider.System);
        _listener = new UdpTrackerListener(tracker, new UdpConnectionIds(TimeProvider.System), new IPEndPoint(IPAddress.Loopback, 0),
            NullLogger<UdpTrackerListener>.Instance);
    }

    private byte[] Publish(string bucket, string key, byte[] data)
    {
        using var hasher = new TorrentFactsBuilder(key, PieceLengthRule.Choose(data.Length));
        hasher.Append(data);
        var facts = hasher.Finish();
        var writer = _store.Blobs.CreateWriter();
        writer.WriteAsync(data).AsTask().GetAwaiter().GetResult();
        _store.Blobs.PublishAsync(writer).GetAwaiter().GetResult();
        var attributes = new ObjectAttributes { Acl = CannedAcl.PublicRead };
        _store.Objects.CommitAsync(new ObjectWrite(bucket, key, "etag", attributes, new Dictionary<string, string>(), facts),
            writer.BlobId, data.Length, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        return facts.IndexKeys[0];
    }

    private byte[] Send(byte[] packet)
    {
        var output = new ArrayBufferWriter<byte>();
        _listener.Handle(packet, Client, output);
        return output.WrittenSpan.ToArray();
    }

    private static string ErrorText(byte[] reply) => System.Text.Encoding.UTF8.GetString(reply, 8, reply.Length - 8);

    private ulong Connect()
    {
        var reply = Send([0, 0, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0, 0xCA, 0xFE, 0xBA, 0xBE]);
        Assert.Equal(16, reply.Length);
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(reply));
        Assert.Equal(unchecked((int)0xCAFEBABE), BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(4)));
        return BinaryPrimitives.ReadUInt64BigEndian(reply.AsSpan(8));
    }

    private static byte[] Announce(ulong connectionId, byte[] infoHash, int port = 6889)
    {
        var packet = new byte[98];
        BinaryPrimitives.WriteUInt64BigEndian(packet, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), 77);
        infoHash.CopyTo(packet, 16);
        "-UT0001-000000000001"u8.CopyTo(packet.AsSpan(36));
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(64), 1000);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(80), 2);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(92), -1);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(96), (ushort)port);
        return packet;
    }

    [Fact]
    public void AnnounceAfterConnectListsTheSeeder()
    {
        var reply = Send(Announce(Connect(), _infoHash));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(reply));
        Assert.Equal(77, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(4)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(12)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(16)));
        Assert.Equal(new byte[] { 127, 0, 0, 1, 0x1A, 0xE1 }, reply[20..]);
    }

    /// <summary>Error replies of 16-byte datagrams (a spoofed source gets back no more than it sent): announce and
    /// scrape actions too short, a connect with a wrong protocol id, an unknown action, a padded scrape.</summary>
    [Theory]
    [InlineData("0000041727101980" + "00000001" + "00000009", "00000003" + "00000009" + "7061636b65742073")]
    [InlineData("0000041727101980" + "00000002" + "00000009", "00000003" + "00000009" + "7061636b65742073")]
    [InlineData("0000000000000001" + "00000000" + "00000009", "00000003" + "00000009" + "6261642070726f74")]
    [InlineData("0000041727101980" + "00000007" + "00000009", "00000003" + "00000009" + "756e6b6e6f776e20")]
    [InlineData("0000041727101980" + "00000002" + "00000009" + "00", "00000003" + "00000009" + "7061636b6574207369")]
    public void ErrorRepliesAreNoLargerThanTheirRequest(string request, string reply)
    {
        var packet = Convert.FromHexString(request);
        var answer = Send(packet);
        Assert.Equal(reply, Convert.ToHexStringLower(answer));
        Assert.True(answer.Length <= packet.Length);
    }

    [Fact]
    public void AScrapeWithAGuessedConnectionIdGetsAnErrorNoLargerThanItself()
    {
        var packet = Convert.FromHexString("0000000000001234" + "00000002" + "0000004d" + new string('0', 40));
        var answer = Send(packet);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(answer));
        Assert.Equal(packet.Length, answer.Length);
        Assert.Equal("connection id expired or inv", ErrorText(answer));
    }

    [Fact]
    public void AGuessedConnectionIdIsAnError()
    {
        var reply = Send(Announce(0x1234, _infoHash));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(reply));
        Assert.Equal(77, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(4)));
        Assert.Equal("connection id expired or invalid: connect again", ErrorText(reply));
    }

    [Fact]
    public void AnAnnounceWithPortZeroIsAnError()
    {
        var reply = Send(Announce(Connect(), _infoHash, port: 0));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(reply));
        Assert.Equal(TrackerFailure.InvalidPort.Message(), ErrorText(reply));
    }

    [Fact]
    public void AnUnservedInfoHashIsAnError()
    {
        var reply = Send(Announce(Connect(), new byte[20]));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(reply));
        Assert.Equal("unregistered torrent: this tracker only tracks public objects of this Peerbucket store", ErrorText(reply));
    }

    [Fact]
    public void ScrapeCountsTheSeederAndAnnouncedPeers()
    {
        var id = Connect();
        Send(Announce(id, _infoHash));
        var packet = new byte[36];
        BinaryPrimitives.WriteUInt64BigEndian(packet, id);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), 5);
        _infoHash.CopyTo(packet, 16);
        var reply = Send(packet);
        Assert.Equal(20, reply.Length);
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(reply));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(8)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(12)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(16)));
    }

    [Fact]
    public void EveryShortOrGarbledPacketIsAnsweredWithoutThrowing()
    {
        var random = new Random(7);
        for (var size = 0; size <= 120; size++)
        {
            var packet = new byte[size];
            random.NextBytes(packet);
            var reply = Send(packet);
            Assert.True(reply.Length == 0 || BinaryPrimitives.ReadInt32BigEndian(reply) == 3);
        }
    }

    [Fact]
    public async Task MakingTheObjectPrivateStopsTracking()
    {
        var id = Connect();
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(Send(Announce(id, _infoHash))));
        await _store.Objects.SetAclAsync("pub", "file.bin", CannedAcl.Private);
        var catalog = new TorrentCatalog(_store, new TorrentSettings { PublicUrl = new Uri("http://127.0.0.1:9000") });
        var fresh = new ServedTorrents(_store, catalog);
        Assert.Null(fresh.Find(_infoHash));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
