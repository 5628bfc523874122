using System.Net;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.Tracker;
using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Torrents;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Tests.Tracker;

/// <summary>What peers report to the tracker lands in the publisher's ledger under the object their torrent names.</summary>
public sealed class TrackerLedgerTests : IDisposable
{
    private const int Size = 100_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pb-ledger-" + Guid.NewGuid().ToString("N"));
    private readonly ObjectStore _store;
    private readonly EgressMeter _ledger = new();
    private readonly TrackerService _tracker;
    private readonly byte[] _infoHash;

    public TrackerLedgerTests()
    {
        _store = new ObjectStore(_directory);
        var served = new ServedTorrents(_store, new TorrentCatalog(_store, new TorrentSettings { PublicUrl = new Uri("http://127.0.0.1:9000") }));
        _store.Buckets.CreateAsync("pub", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        using var hasher = new TorrentFactsBuilder("file.bin", PieceLengthRule.Choose(Size));
        hasher.Append(new byte[Size]);
        var facts = hasher.Finish();
        var writer = _store.Blobs.CreateWriter();
        writer.WriteAsync(new byte[Size]).AsTask().GetAwaiter().GetResult();
        _store.Blobs.PublishAsync(writer).GetAwaiter().GetResult();
        _store.Objects.CommitAsync(new ObjectWrite("pub", "file.bin", "etag", new ObjectAttributes { Acl = CannedAcl.PublicRead },
            new Dictionary<string, string>(), facts), writer.BlobId, Size, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        _infoHash = facts.IndexKeys[0];
        _tracker = new TrackerService(served, new InMemorySwarmRegistry(), new TrackerOptions(), TimeProvider.System, _ledger);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private TrackerOutcome Announce(int peer, long downloaded, AnnounceEvent evt, long left = 1) => _tracker.Announce(new AnnounceRequest
    {
        InfoHash = _infoHash,
        PeerId = System.Text.Encoding.ASCII.GetBytes($"-TT0001-{peer:D12}"),
        Port = 6000 + peer,
        Downloaded = downloaded,
        Left = left,
        Event = evt,
    }, IPAddress.Parse("127.0.0.5"), null);

    [Fact]
    public void DownloadedDeltasAndCompletedEventsCountPerObject()
    {
        Announce(1, 0, AnnounceEvent.Started);
        Announce(1, 40_000, AnnounceEvent.None);
        Announce(1, Size, AnnounceEvent.Completed, left: 0);
        Announce(1, Size, AnnounceEvent.Completed, left: 0);
        Announce(2, 60_000, AnnounceEvent.Started);
        Announce(2, Size, AnnounceEvent.Stopped);

        Assert.Equal(2 * Size, _ledger.For("pub", "file.bin", LedgerEntry.PeerDownloaded));
        Assert.Equal(1, _ledger.For("pub", "file.bin", LedgerEntry.CompletedDownloads));
        Assert.Equal(1, _ledger.Total(LedgerEntry.CompletedDownloads));
    }

    [Fact]
    public void OneAnnounceCountsAtMostOneCopyOfTheObject()
    {
        Announce(3, long.MaxValue / 2, AnnounceEvent.Started);
        Assert.Equal(Size, _ledger.For("pub", "file.bin", LedgerEntry.PeerDownloaded));
    }

    [Fact]
    public void AnnouncesForTorrentsNotServedCountNothing()
    {
        var outcome = _tracker.Announce(new AnnounceRequest
        {
            InfoHash = new byte[20],
            PeerId = new byte[20],
            Port = 6000,
            Downloaded = 5,
            Event = AnnounceEvent.Completed,
        }, IPAddress.Loopback, null);
        Assert.Equal(TrackerFailure.UnknownTorrent, outcome.Failure);
        Assert.Equal(0, _ledger.Total(LedgerEntry.PeerDownloaded));
        Assert.Equal(0, _ledger.Total(LedgerEntry.CompletedDownloads));
    }
}
