using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>The seed choking policy on fake peers and a hand-driven clock.</summary>
public sealed class ChokerTests
{
    private static readonly SeederOptions Options = new() { MaxUnchoked = 2, ChokeInterval = TimeSpan.FromSeconds(10) };
    private readonly ManualClock _clock = new();

    private Choker NewChoker() => new(Options, _clock);

    private sealed class FakePeer(string name) : IChokeablePeer
    {
        public bool Choked { get; private set; } = true;

        public long Pending { get; set; }

        public void SetChoked(bool choked) => Choked = choked;

        public long TakeRoundBytes()
        {
            var bytes = Pending;
            Pending = 0;
            return bytes;
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

    private static List<FakePeer> Peers(int count) => Enumerable.Range(0, count).Select(i => new FakePeer("p" + i)).ToList();

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
    public void PeersThatSitOnASlotWithoutDownloadingLoseItToWaitingPeers()
    {
        var choker = NewChoker();
        var hogs = Peers(2);
        hogs.ForEach(choker.Interested);
        var downloaders = Peers(3);
        downloaders.ForEach(choker.Interested);

        _clock.Advance(TimeSpan.FromSeconds(10));
        choker.Rechoke(rotateOptimistic: false);

        Assert.True(hogs.All(h => h.Choked));
        Assert.Equal(2, downloaders.Count(d => choker.Unchoked.Contains(d)));
    }

    [Fact]
    public void APeerUnchokedJustNowIsNotJudgedIdle()
    {
        var choker = NewChoker();
        var first = Peers(2);
        first.ForEach(choker.Interested);
        _clock.Advance(TimeSpan.FromSeconds(9));
        first[0].Pending = 1;
        choker.Remove(first[1]);
        var late = new FakePeer("late");
        choker.Interested(late);
        Assert.False(late.Choked);
        var waiting = new FakePeer("waiting");
        choker.Interested(waiting); // optimistic
        var another = new FakePeer("another");
        choker.Interested(another);

        _clock.Advance(TimeSpan.FromSeconds(1));
        first[0].Pending = 100;
        choker.Rechoke(rotateOptimistic: false);

        Assert.Contains(late, choker.Unchoked);
        Assert.Contains(first[0], choker.Unchoked);
    }

    [Fact]
    public void DownloadersKeepTheirSlotsByRateButYieldToWaitingPeersAfterTheirTurn()
    {
        var choker = NewChoker();
        var fast = Peers(2);
        fast.ForEach(choker.Interested);
        var waiting = Peers(3);
        waiting.ForEach(choker.Interested);

        for (var round = 1; round < Choker.TurnRounds; round++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            fast.ForEach(f => f.Pending = 1_000_000);
            choker.Rechoke(rotateOptimistic: false);
            Assert.True(fast.All(f => choker.Unchoked.Contains(f)), $"round {round}");
        }

        _clock.Advance(TimeSpan.FromSeconds(10));
        fast.ForEach(f => f.Pending = 1_000_000);
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
            peers.ForEach(p => p.Pending = 5);
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
        var optimistic = choker.Optimistic;
        Assert.NotNull(optimistic);

        choker.Remove(peers[0]);
        Assert.Equal(2, choker.Unchoked.Count);
        Assert.True(peers[0].Choked);

        _clock.Advance(TimeSpan.FromSeconds(10));
        peers.ForEach(p => p.Pending = 10);
        choker.Rechoke(rotateOptimistic: true);
        Assert.Equal(2, choker.Unchoked.Count);
        Assert.NotNull(choker.Optimistic);
        Assert.Equal(3, peers.Count(p => !p.Choked));
    }
}
