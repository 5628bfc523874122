using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>The seed choking policy on fake peers and a hand-driven clock.</summary>
public sealed class ChokerTests
{
    private static readonly SeederOptions Options = new()
    {
        UnchokeSlots = 2,
        ChokeInterval = TimeSpan.FromSeconds(10),
        UnchokeGrace = TimeSpan.FromSeconds(3),
    };

    private readonly ManualClock _clock = new();

    private Choker NewChoker() => new(Options, _clock);

    private sealed class FakePeer(string name) : IChokeablePeer
    {
        public bool Choked { get; private set; } = true;

        public long BytesDrained { get; private set; }

        public long Untaken { get; set; }

        public long RequestsAccepted { get; private set; }

        public bool Listed { get; init; } = true;

        public void SetChoked(bool choked) => Choked = choked;

        /// <summary>What a downloading peer does while unchoked: asks and gets.</summary>
        public void Download(long bytes)
        {
            RequestsAccepted++;
            BytesDrained += bytes;
        }

        public override string ToString() => name;
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private static List<FakePeer> Peers(int count, string prefix = "p", bool listed = true) =>
        Enumerable.Range(0, count).Select(i => new FakePeer(prefix + i) { Listed = listed }).ToList();

    [Fact]
    public void FirstComersFillTheSlotsThenTheOptimisticOne()
    {
        var choker = NewChoker();
        var peers = Peers(4);
        peers.ForEach(choker.Interested);
        Assert.False(peers[0].Choked);
        Assert.False(peers[1].Choked);
        Assert.False(peers[2].Choked);
        Assert.Same(peers[2], choker.Optimistic);
        Assert.True(peers[3].Choked);
    }

    [Fact]
    public void PeersThatAskForNothingLoseTheirSlotsWithinTheGraceAndGoBehindEveryoneElse()
    {
        var choker = NewChoker();
        var hogs = Peers(20, "hog");
        hogs.ForEach(choker.Interested);
        var downloaders = Peers(2, "dl");
        downloaders.ForEach(choker.Interested);

        // Sweep every second as the listener does; downloaders ask for blocks whenever they hold a slot.
        for (var second = 0; second < 30 && !downloaders.All(d => !d.Choked); second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            downloaders.Where(d => !d.Choked).ToList().ForEach(d => d.Download(16384));
            choker.Sweep();
        }

        Assert.True(downloaders.All(d => !d.Choked), "downloaders never got a slot");

        // From then on, with sweeps every second and rounds every ten, the downloaders are served nearly all the time
        // (they yield their regular slots to untried peers after a turn, and win them back within the grace).
        var served = 0;
        for (var second = 1; second <= 120; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            downloaders.Where(d => !d.Choked).ToList().ForEach(d => d.Download(16384));
            choker.Sweep();
            if (second % 10 == 0)
            {
                choker.Rechoke(rotateOptimistic: second % 30 == 0);
            }

            served += downloaders.Count(d => !d.Choked);
        }

        Assert.True(served >= 0.9 * 240, $"downloaders unchoked {served} of 240 peer-seconds");
    }

    [Fact]
    public void APeerThatAsksWithinTheGraceKeepsItsSlot()
    {
        var choker = NewChoker();
        var peers = Peers(4);
        peers.ForEach(choker.Interested);
        _clock.Advance(TimeSpan.FromSeconds(2));
        peers[0].Download(16384);
        _clock.Advance(TimeSpan.FromSeconds(2));
        choker.Sweep();
        Assert.Contains(peers[0], choker.Unchoked);
        Assert.True(peers[1].Choked, "idle past the grace: choked");
        Assert.True(peers[2].Choked, "the idle optimistic peer too");
        Assert.Contains(peers[3], choker.Unchoked);
    }

    /// <summary>A peer that asks but does not read: its requests are accepted and the blocks handed to the socket, and
    /// nothing is taken. It loses the slot within the stall grace; a peer with as many bytes waiting but which keeps
    /// taking them (a slow reader at its own pace) keeps it.</summary>
    [Fact]
    public void APeerThatTakesNoneOfTheBytesHandedToItLosesItsSlot()
    {
        var choker = NewChoker();
        var peers = Peers(4);
        peers.ForEach(choker.Interested);
        var (stuck, reading, optimistic, waiting) = (peers[0], peers[1], peers[2], peers[3]);
        Assert.True(waiting.Choked);
        stuck.Download(65536);
        reading.Download(65536);
        for (var second = 1; second <= 3; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            stuck.Untaken = reading.Untaken = 1 << 20;
            reading.Download(4096);
            optimistic.Download(4096);
            choker.Sweep();
        }

        Assert.True(stuck.Choked, "a peer that took none of a megabyte in 3 s keeps its slot");
        Assert.DoesNotContain(stuck, choker.Unchoked);
        Assert.Contains(reading, choker.Unchoked);
        Assert.False(waiting.Choked, "the freed slot goes to a waiting peer");

        // Its bytes still wait: behind every other peer at the next round, even though it asked.
        _clock.Advance(TimeSpan.FromSeconds(10));
        reading.Download(4096);
        waiting.Download(4096);
        choker.Rechoke(rotateOptimistic: false);
        Assert.True(stuck.Choked);
    }

    /// <summary>Many peers that ask and never read, and a few readers arriving after them: each non-reader is tried once,
    /// then waits behind everyone who reads, so the readers get slots within seconds however many non-readers wait.</summary>
    [Fact]
    public void NonReadersAreTriedOnceThenWaitBehindReaders()
    {
        var choker = NewChoker();
        var stuck = Peers(40, "stuck");
        stuck.ForEach(choker.Interested);
        void Second()
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            foreach (var peer in stuck.Where(p => !p.Choked && p.Untaken == 0))
            {
                peer.Download(0);
                peer.Untaken = 1 << 20; // handed a megabyte, takes none of it
            }

            choker.Sweep();
        }

        for (var second = 0; second < 60; second++)
        {
            Second();
        }

        Assert.All(stuck, p => Assert.Equal(1 << 20, p.Untaken)); // every one was tried
        var readers = Peers(2, "reader");
        readers.ForEach(choker.Interested);
        for (var second = 0; second < 5 && readers.Any(r => r.Choked); second++)
        {
            Second();
        }

        Assert.All(readers, r => Assert.False(r.Choked));
    }

    [Fact]
    public void APeerWithNothingWaitingIsNotStalledHoweverLittleItTakes()
    {
        var choker = NewChoker();
        var peers = Peers(2);
        peers.ForEach(choker.Interested);
        peers[0].Download(16384);
        for (var second = 1; second <= 5; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            choker.Sweep();
        }

        Assert.Contains(peers[0], choker.Unchoked);
    }

    [Fact]
    public void DownloadersKeepTheirSlotsByRateButYieldToWaitingPeersAfterTheirTurn()
    {
        var choker = NewChoker();
        var fast = Peers(2, "fast");
        fast.ForEach(choker.Interested);
        var waiting = Peers(3, "wait");
        waiting.ForEach(choker.Interested);

        for (var round = 1; round < Choker.TurnRounds; round++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            fast.ForEach(f => f.Download(1_000_000));
            choker.Rechoke(rotateOptimistic: false);
            Assert.True(fast.All(f => choker.Unchoked.Contains(f)), $"round {round}");
        }

        _clock.Advance(TimeSpan.FromSeconds(10));
        fast.ForEach(f => f.Download(1_000_000));
        choker.Rechoke(rotateOptimistic: false);
        Assert.True(fast.All(f => !choker.Unchoked.Contains(f)));
        Assert.Equal(2, waiting.Count(w => choker.Unchoked.Contains(w)));
    }

    [Fact]
    public void WithNobodyWaitingDownloadersKeepTheirSlots()
    {
        var choker = NewChoker();
        var peers = Peers(2);
        peers.ForEach(choker.Interested);
        for (var round = 0; round < 10; round++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            peers.ForEach(p => p.Download(5));
            choker.Sweep();
            choker.Rechoke(rotateOptimistic: round % 3 == 2);
        }

        Assert.True(peers.All(p => !p.Choked));
    }

    [Fact]
    public void AFreedSlotIsRefilledAtOnceAndTheOptimisticSlotMoves()
    {
        var choker = NewChoker();
        var peers = Peers(5);
        peers.ForEach(choker.Interested);
        Assert.NotNull(choker.Optimistic);

        choker.Remove(peers[0]);
        Assert.Equal(2, choker.Unchoked.Count);
        Assert.True(peers[0].Choked);

        _clock.Advance(TimeSpan.FromSeconds(10));
        peers.Where(p => !p.Choked).ToList().ForEach(p => p.Download(10));
        choker.Rechoke(rotateOptimistic: true);
        Assert.Equal(2, choker.Unchoked.Count);
        Assert.NotNull(choker.Optimistic);
        Assert.Equal(3, peers.Count(p => !p.Choked));
    }

    [Fact]
    public void FreedSlotsGoToPeersTheTrackerListsBeforePeersThatOnlyDialledTheSeeder()
    {
        var choker = NewChoker();
        var holders = Peers(3, "h");
        holders.ForEach(choker.Interested);
        var dialled = Peers(20, "d", listed: false);
        var listed = Peers(2, "l");
        dialled.ForEach(choker.Interested);
        listed.ForEach(choker.Interested);

        // Twenty unlisted peers waited longer; the two listed ones still get the two regular slots the holders free.
        choker.Remove(holders[0]);
        choker.Remove(holders[1]);
        Assert.True(choker.Unchoked.ToHashSet().SetEquals(listed), $"unchoked: {string.Join(", ", choker.Unchoked)}");
        Assert.All(dialled, p => Assert.True(p.Choked));
    }

    [Fact]
    public void ListedPeersPastTheirTurnStillGoBeforeUnlistedOnesButTheOptimisticSlotReachesThemAll()
    {
        var choker = NewChoker();
        var listed = Peers(2, "l");
        listed.ForEach(choker.Interested);
        var dialled = Peers(6, "d", listed: false);
        dialled.ForEach(choker.Interested);
        var optimistic = new HashSet<IChokeablePeer>();
        for (var round = 0; round < 12; round++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            dialled.Where(p => !p.Choked).ToList().ForEach(p => p.Download(5000)); // faster than the listed ones, even
            listed.ForEach(p => p.Download(1000));
            choker.Sweep();
            choker.Rechoke(rotateOptimistic: true);
            // Never yielded to an unlisted peer.
            Assert.True(choker.Unchoked.ToHashSet().SetEquals(listed), $"round {round}: {string.Join(", ", choker.Unchoked)}");
            optimistic.Add(choker.Optimistic!);
        }

        Assert.True(optimistic.Count(p => dialled.Contains(p)) >= 3, $"the optimistic slot went to {string.Join(", ", optimistic)}");
    }
}
