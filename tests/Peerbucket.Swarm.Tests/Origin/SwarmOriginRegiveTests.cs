using Microsoft.Extensions.Time.Testing;
using Peerbucket.Swarm.Origin;

namespace Peerbucket.Swarm.Tests.Origin;

/// <summary>When a piece that left the origin may leave it again: only when no connected peer reports it (after
/// <see cref="SwarmOrigin.Regive"/>), or after the liveness valve (<see cref="SwarmOrigin.RegiveAnyway"/>). A crowd
/// whose peers hold every piece feeds itself however long it takes (the staggered-arrival case).</summary>
public sealed class SwarmOriginRegiveTests
{
    private readonly FakeTimeProvider time = new();

    private SwarmOrigin Swarm(int pieces = 4) => new(pieces, 16384, pieces * 16384L, time);

    /// <summary>Two pieces (or <paramref name="pieces"/>): a seeder session got them all from the web seed, reported them and left (a finished client drops
    /// its connection to a seed); a super-seeded peer joined after it.</summary>
    private (SwarmOrigin Swarm, object Late) ASeedTookEverythingAndLeft(int pieces = 2)
    {
        var swarm = Swarm(pieces);
        object seed = new(), late = new();
        swarm.Join(seed, superSeeded: false);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, pieces - 1, tracker: new(1, 0)));
        for (var piece = 0; piece < pieces; piece++)
        {
            swarm.PeerHas(seed, piece);
        }

        swarm.Leave(seed);
        swarm.Join(late, superSeeded: true);
        return (swarm, late);
    }

    [Fact]
    public void APieceAConnectedPeerReportsIsNotServedAgainBeforeTheValve()
    {
        var swarm = Swarm();
        object holder = new();
        swarm.Join(holder, superSeeded: true);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 0, tracker: new(3, 0)));
        swarm.PeerHas(holder, 0);

        time.Advance(SwarmOrigin.Regive + TimeSpan.FromSeconds(1));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 0, 0, tracker: new(3, 0)));
        Assert.False(swarm.MayServe(new object(), "10.0.0.3", 0, tracker: new(3, 0)));

        time.Advance(SwarmOrigin.RegiveAnyway);
        Assert.True(swarm.TryTakeRange("10.0.0.2", 0, 0, tracker: new(3, 0)));
    }

    [Fact]
    public void APieceNoConnectedPeerReportsIsServedAgainAfterRegive()
    {
        var swarm = Swarm();
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 1, 1, tracker: new(3, 0)));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 1, 1, tracker: new(3, 0)));
        time.Advance(SwarmOrigin.Regive);
        Assert.True(swarm.TryTakeRange("10.0.0.2", 1, 1, tracker: new(3, 0)));
    }

    [Fact]
    public void APieceWhoseOnlyHolderLeftIsServedAgainAfterRegive()
    {
        var swarm = Swarm();
        object holder = new();
        swarm.Join(holder, superSeeded: true);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 2, 2, tracker: new(3, 0)));
        swarm.PeerHas(holder, 2);
        time.Advance(SwarmOrigin.Regive);
        Assert.False(swarm.TryTakeRange("10.0.0.2", 2, 2, tracker: new(3, 0)));
        swarm.Leave(holder);
        Assert.True(swarm.TryTakeRange("10.0.0.2", 2, 2, tracker: new(3, 0)));
    }

    [Fact]
    public void OnceEveryPieceIsOutAndHeldASuperSeededPeerGetsNoMoreOffers()
    {
        var swarm = Swarm(pieces: 2);
        object a = new(), b = new(), late = new();
        swarm.Join(a, superSeeded: true);
        swarm.Join(b, superSeeded: true);
        var first = Assert.Single(swarm.NextOffers(a, lone: false));
        var second = Assert.Single(swarm.NextOffers(b, lone: false));
        swarm.PeerHas(a, first);
        swarm.PeerHas(b, second);

        time.Advance(SwarmOrigin.Regive + TimeSpan.FromSeconds(1));
        swarm.Join(late, superSeeded: true);
        Assert.Empty(swarm.NextOffers(late, lone: false)); // a and b hold both pieces: late gets them from them

        swarm.Leave(a); // first is now held by nobody connected
        Assert.Equal([first], swarm.NextOffers(late, lone: false));
    }

    [Fact]
    public void PiecesOfASeedThatLeftTheSeederStayWithThePeersWhileTheTrackerCountsASeed()
    {
        var (swarm, _) = ASeedTookEverythingAndLeft();

        time.Advance(SwarmOrigin.Regive + TimeSpan.FromSeconds(1));
        object late = new(); // joins now: it has not starved
        swarm.Join(late, superSeeded: true);
        var seeded = new TrackerCounts(1, 1);
        Assert.False(swarm.IsAlone(late, seeded));
        Assert.Empty(swarm.NextOffers(late, seeded));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 0, 0, seeded));

        // The tracker no longer counts a seed: the pieces are nowhere to be seen, and the late peer downloads alone.
        var gone = new TrackerCounts(1, 0);
        Assert.True(swarm.IsAlone(late, gone));
        Assert.True(swarm.TryTakeRange("10.0.0.2", 0, 0, gone));
    }

    [Fact]
    public void APieceOnlyASeedThatLeftHoldsIsGivenAgainToAWebSeedRequesterThatWantedItForAWhile()
    {
        var (swarm, _) = ASeedTookEverythingAndLeft();
        var seeded = new TrackerCounts(2, 1);
        Assert.False(swarm.TryTakeRange("10.0.0.2", 0, 0, seeded));

        // The tracker still lists the seed (it may have quit without event=stopped): a web-seed requester with no seeder
        // session that keeps wanting a piece nobody connected reports gets it, and only after StuckAfter.
        time.Advance(SwarmOrigin.StuckAfter - TimeSpan.FromSeconds(1));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 0, 0, seeded));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(swarm.TryTakeRange("10.0.0.2", 0, 0, seeded));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 1, 1, seeded)); // wanted only from now
    }

    [Fact]
    public void ASeedThatLeftIsPresumedGoneOnceADownloaderStarved()
    {
        // It quit without event=stopped: the tracker still counts it, yet the late peer gets no piece from anyone.
        var (swarm, late) = ASeedTookEverythingAndLeft();
        var seeded = new TrackerCounts(1, 1);
        Assert.Empty(swarm.NextOffers(late, seeded));
        time.Advance(SwarmOrigin.StarveAfter - TimeSpan.FromSeconds(1));
        Assert.Empty(swarm.NextOffers(late, seeded));
        Assert.False(swarm.IsAlone(late, seeded));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(swarm.IsAlone(late, seeded));
        Assert.Equal([0, 1], swarm.NextOffers(late, seeded));
    }

    [Fact]
    public void ADownloaderThatReportsNewPiecesDoesNotStarve()
    {
        var (swarm, late) = ASeedTookEverythingAndLeft(pieces: 3);
        var seeded = new TrackerCounts(1, 1);
        time.Advance(SwarmOrigin.StarveAfter - TimeSpan.FromSeconds(1));
        swarm.PeerHas(late, 0); // from the seed that left: it is there
        time.Advance(SwarmOrigin.StarveAfter - TimeSpan.FromSeconds(1));
        Assert.False(swarm.IsAlone(late, seeded));
        Assert.Empty(swarm.NextOffers(late, seeded));
    }

    [Fact]
    public void AStarvingSuperSeededPeerGetsOneOfferPerStarveAfterWhoeverHoldsThePiece()
    {
        var swarm = Swarm(3);
        object seed = new(), late = new();
        swarm.Join(seed, superSeeded: false);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 2, tracker: new(1, 0)));
        swarm.PeerHas(seed, 0);
        swarm.PeerHas(seed, 1);
        swarm.PeerHas(seed, 2); // a seed connected to the seeder: every piece stays with the peers
        swarm.Join(late, superSeeded: true);
        var seeded = new TrackerCounts(1, 1);
        Assert.Empty(swarm.NextOffers(late, seeded));

        time.Advance(SwarmOrigin.StarveAfter);
        Assert.Equal([0], swarm.NextOffers(late, seeded)); // aria2 would drop a peer it is not interested in
        Assert.Empty(swarm.NextOffers(late, seeded));
        swarm.PeerHas(late, 0);
        time.Advance(SwarmOrigin.StarveAfter - TimeSpan.FromSeconds(1));
        Assert.Empty(swarm.NextOffers(late, seeded));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([1], swarm.NextOffers(late, seeded));
    }

    [Fact]
    public void AStarvingSuperSeededPeerThatDoesNotFetchItsOfferGetsAnotherOnlyAfterStarveAfter()
    {
        var swarm = Swarm(3);
        object seed = new(), late = new();
        swarm.Join(seed, superSeeded: false);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 2, tracker: new(1, 0)));
        for (var piece = 0; piece < 3; piece++)
        {
            swarm.PeerHas(seed, piece);
        }

        swarm.Join(late, superSeeded: true);
        var seeded = new TrackerCounts(1, 1);
        time.Advance(SwarmOrigin.StarveAfter);
        Assert.Equal([0], swarm.NextOffers(late, seeded));
        object other = new();
        swarm.Join(other, superSeeded: false);
        swarm.PeerHas(other, 0); // seen elsewhere, but late never fetched it
        time.Advance(SwarmOrigin.StarveAfter - TimeSpan.FromSeconds(1));
        Assert.Empty(swarm.NextOffers(late, seeded));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([1], swarm.NextOffers(late, seeded));
    }

    [Fact]
    public void AStarvingHaveAllPeerIsServedAPieceItsPeersHold()
    {
        var swarm = Swarm(2);
        object seed = new(), peer = new();
        swarm.Join(seed, superSeeded: false);
        swarm.Join(peer, superSeeded: false, address: "10.0.0.7");
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 1, tracker: new(2, 0)));
        swarm.PeerHas(seed, 0);
        swarm.PeerHas(seed, 1);
        var seeded = new TrackerCounts(1, 1);
        Assert.False(swarm.MayServe(peer, "10.0.0.7", 1, seeded));
        Assert.Equal(-1, swarm.PieceFor(peer, "10.0.0.7", seeded));
        Assert.False(swarm.TryTakeRange("10.0.0.7", 1, 1, seeded));

        time.Advance(SwarmOrigin.StarveAfter);
        Assert.Equal(0, swarm.PieceFor(peer, "10.0.0.7", seeded));
        Assert.True(swarm.MayServe(peer, "10.0.0.7", 1, seeded));
        Assert.True(swarm.TryTakeRange("10.0.0.7", 0, 0, seeded)); // its web-seed requests too
    }

    [Fact]
    public void AWebSeedRequesterWithASeederSessionIsJudgedByThatSessionsProgress()
    {
        var (swarm, _) = ASeedTookEverythingAndLeft(pieces: 4);
        object peer = new();
        swarm.Join(peer, superSeeded: false, address: "10.0.0.7");
        var seeded = new TrackerCounts(2, 1);
        Assert.False(swarm.TryTakeRange("10.0.0.7", 0, 0, seeded));

        // Its peers serve it (a new piece every 9 s): no StuckAfter for its refused range.
        for (var piece = 1; piece <= 3; piece++)
        {
            time.Advance(SwarmOrigin.StarveAfter - TimeSpan.FromSeconds(1));
            swarm.PeerHas(peer, piece);
            Assert.False(swarm.TryTakeRange("10.0.0.7", 0, 0, seeded));
        }

        Assert.True(time.GetUtcNow() - time.Start > SwarmOrigin.StuckAfter);
        time.Advance(SwarmOrigin.StarveAfter);
        Assert.True(swarm.TryTakeRange("10.0.0.7", 0, 0, seeded)); // it starves
    }

    [Fact]
    public void ASeedersPiecesComeBackAfterTheValveEvenWhileTheTrackerCountsASeed()
    {
        var swarm = Swarm(1);
        object seed = new();
        swarm.Join(seed, superSeeded: false);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 0, tracker: new(2, 0)));
        swarm.PeerHas(seed, 0);
        swarm.Leave(seed);
        time.Advance(SwarmOrigin.RegiveAnyway);
        Assert.True(swarm.TryTakeRange("10.0.0.2", 0, 0, new TrackerCounts(2, 1)));
    }

    [Fact]
    public void AFinishedOfferIsFollowedAtOnceByAPieceNoConnectedPeerHolds()
    {
        var swarm = Swarm(3);
        object a = new(), b = new();
        swarm.Join(a, superSeeded: true);
        swarm.Join(b, superSeeded: true);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.9", 2, 2, tracker: new(3, 0))); // its holder never reports it
        time.Advance(SwarmOrigin.Regive + TimeSpan.FromSeconds(1));
        var first = Assert.Single(swarm.NextOffers(a, lone: false));
        var second = Assert.Single(swarm.NextOffers(b, lone: false));
        Assert.Equal([0, 1], new[] { first, second }.Order());

        // Nobody else reported a's piece yet; piece 2 must leave the origin again anyway (no connected peer holds it).
        swarm.PeerHas(a, first);
        Assert.Equal([2], swarm.NextOffers(a, lone: false));
    }

    [Fact]
    public void ASecondWaveIsOfferedPiecesAsFastAsItFetchesThemWhenTheFirstWaveLeft()
    {
        var swarm = Swarm(pieces: 4);
        object a = new(), b = new();
        swarm.Join(a, superSeeded: true);
        swarm.Join(b, superSeeded: true);
        for (var round = 0; round < 2; round++)
        {
            swarm.PeerHas(a, Assert.Single(swarm.NextOffers(a, lone: false)));
            swarm.PeerHas(b, Assert.Single(swarm.NextOffers(b, lone: false)));
        }

        swarm.Leave(a);
        swarm.Leave(b); // every piece went out once; the wave that got them is gone
        time.Advance(SwarmOrigin.Regive);
        object c = new(), d = new();
        swarm.Join(c, superSeeded: true);
        swarm.Join(d, superSeeded: true);
        var taken = new HashSet<int>();
        for (var i = 0; i < 3; i++)
        {
            var offer = Assert.Single(swarm.NextOffers(c, lone: false));
            Assert.True(taken.Add(offer));
            swarm.PeerHas(c, offer); // d reports none of them
        }
    }

    [Fact]
    public void AFinishedOfferIsFollowedByAPieceAConnectedPeerHoldsOnlyWhenAnotherPeerHasIt()
    {
        var swarm = Swarm(3);
        object a = new(), b = new(), holder = new();
        swarm.Join(holder, superSeeded: true);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.9", 2, 2, tracker: new(3, 0)));
        swarm.PeerHas(holder, 2); // a connected peer holds piece 2: it stays with the peers until the valve
        time.Advance(SwarmOrigin.RegiveAnyway);
        swarm.Join(a, superSeeded: true);
        swarm.Join(b, superSeeded: true);
        var first = Assert.Single(swarm.NextOffers(a, lone: false));
        var second = Assert.Single(swarm.NextOffers(b, lone: false));
        Assert.Equal([0, 1], new[] { first, second }.Order());

        swarm.PeerHas(a, first);
        Assert.Empty(swarm.NextOffers(a, lone: false)); // strict (BEP 16) for a piece a peer holds
        swarm.PeerHas(b, first);
        Assert.Equal([2], swarm.NextOffers(a, lone: false));
    }

    [Fact]
    public void AnotherPeersHaveOfTheOfferedPieceWakesTheSessionHoldingIt()
    {
        var swarm = Swarm(pieces: 4);
        object a = new(), b = new();
        var woken = 0;
        swarm.Join(a, superSeeded: true, wake: () => woken++);
        swarm.Join(b, superSeeded: true);
        var offer = Assert.Single(swarm.NextOffers(a, lone: false));
        var other = Assert.Single(swarm.NextOffers(b, lone: false));

        swarm.PeerHas(a, offer); // its own have: its session reads it itself
        swarm.PeerHas(b, other); // not a's offer
        Assert.Equal(0, woken);

        swarm.PeerHas(b, offer); // seen at another peer: a's next offer is due now, not at its next poll
        Assert.Equal(1, woken);
        swarm.PeerHas(b, offer); // no news
        Assert.Equal(1, woken);
    }

    [Fact]
    public void NoDownloaderIsGivenFirstCopiesOfMuchMoreThanItsShare()
    {
        var swarm = Swarm(pieces: 16);
        time.Advance(SwarmOrigin.StartupGrace);
        var crowd = new TrackerCounts(4, 0); // share: 4 pieces each
        Assert.True(swarm.TryTakeRange("10.0.0.2", 15, 15, crowd)); // another downloader is here
        for (var piece = 0; piece < 4; piece++)
        {
            Assert.True(swarm.TryTakeRange("10.0.0.1", piece, piece, crowd));
        }

        Assert.False(swarm.TryTakeRange("10.0.0.1", 4, 4, crowd)); // the first to ask took its share
        Assert.False(swarm.TryTakeRange("10.0.0.2", 4, 7, crowd)); // a range is all or nothing: more than its share
        Assert.True(swarm.TryTakeRange("10.0.0.2", 4, 6, crowd)); // the others get theirs
        Assert.False(swarm.TryTakeRange("10.0.0.2", 7, 7, crowd));
        Assert.True(swarm.TryTakeRange("10.0.0.1", 3, 3, crowd)); // the rest of what it began is still its own

        object peer = new(); // a super-seeded session from the same address is offered none either
        swarm.Join(peer, superSeeded: true, address: "10.0.0.1");
        Assert.Empty(swarm.NextOffers(peer, lone: false));
        Assert.True(swarm.TryTakeRange("10.0.0.1", 9, 9, new TrackerCounts(1, 0))); // alone: no share to keep to
    }

    [Fact]
    public void OffersCountTowardsTheShare()
    {
        var swarm = Swarm(pieces: 16);
        object fast = new(), slow = new();
        swarm.Join(fast, superSeeded: true, address: "10.0.0.1");
        swarm.Join(slow, superSeeded: true, address: "10.0.0.2");
        swarm.Join(new object(), superSeeded: true, address: "10.0.0.3");
        swarm.Join(new object(), superSeeded: true, address: "10.0.0.4"); // four downloaders: 4 pieces each
        time.Advance(SwarmOrigin.StartupGrace);
        var offered = new List<int>();
        for (var round = 0; round < 8; round++)
        {
            // The fast peer fetches each offer at once and another peer reports it: strict BEP 16 allows the next.
            var offer = swarm.NextOffers(fast, lone: false);
            if (offer.Count == 0)
            {
                break;
            }

            offered.AddRange(offer);
            swarm.PeerHas(fast, offer[0]);
            swarm.PeerHas(slow, offer[0]);
        }

        Assert.Equal(4, offered.Count); // its share, then no more first copies for it
        Assert.Single(swarm.NextOffers(slow, lone: false)); // the others still get theirs
        Assert.False(swarm.TryTakeRange("10.0.0.1", 15, 15, new TrackerCounts(4, 0))); // nor from the web seed
    }
}
