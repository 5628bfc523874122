using Microsoft.Extensions.Time.Testing;
using Peerbucket.Swarm.Origin;

namespace Peerbucket.Swarm.Tests.Origin;

/// <summary>The thrifty decisions of one swarm: what the web seed may serve, and what a super-seeded peer is offered.</summary>
public sealed class SwarmOriginTests
{
    /// <summary>Stands still unless a test advances it: every swarm here is in its first seconds until then.</summary>
    private readonly FakeTimeProvider time = new();

    private SwarmOrigin Swarm(int pieces = 8) => new(pieces, 16384, pieces * 16384L, time);

    [Fact]
    public void ALoneDownloaderGetsEveryRangeAsOftenAsItAsks()
    {
        var swarm = Swarm();
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 7, tracker: new(1, 0)));
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 7, tracker: new(1, 0)));
    }

    [Fact]
    public void InACrowdEachPieceLeavesTheWebSeedOnce()
    {
        var swarm = Swarm();
        var crowd = new TrackerCounts(2, 0); // two downloaders: each may take half of the first copies
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 3, crowd));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 2, 5, crowd));
        Assert.True(swarm.TryTakeRange("10.0.0.2", 4, 7, crowd));
        Assert.False(swarm.TryTakeRange("10.0.0.3", 0, 0, crowd));
        Assert.Equal(8, swarm.PiecesGiven);
    }

    [Fact]
    public void WebSeedRequestersAtTwoAddressesMakeACrowdWhenTheTrackerCountsThem()
    {
        var swarm = Swarm();
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 0, tracker: new(2, 0)));
        Assert.True(swarm.TryTakeRange("10.0.0.2", 1, 1, tracker: new(2, 0)));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 0, 0, tracker: new(2, 0)));
        Assert.True(swarm.TryTakeRange("10.0.0.2", 0, 0, tracker: new(1, 0))); // without the tracker they cannot meet
    }

    [Fact]
    public void ASuperSeededPeerHoldsOneOfferUntilItHasIt()
    {
        var swarm = Swarm();
        object a = new(), b = new();
        swarm.Join(a, superSeeded: true);
        swarm.Join(b, superSeeded: true);
        var first = Assert.Single(swarm.NextOffers(a, lone: false));
        var second = Assert.Single(swarm.NextOffers(b, lone: false));
        Assert.NotEqual(first, second);
        Assert.Empty(swarm.NextOffers(a, lone: false));
        Assert.True(swarm.WasOffered(a, first));
        Assert.False(swarm.WasOffered(a, second));
    }

    [Fact]
    public void OffersPreferPiecesTheOriginNeverGave()
    {
        var swarm = Swarm(4);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 1, tracker: new(3, 0)));
        Assert.True(swarm.TryTakeRange("10.0.0.2", 2, 2, tracker: new(3, 0)));
        object peer = new();
        swarm.Join(peer, superSeeded: true);
        Assert.Equal([3], swarm.NextOffers(peer, lone: false));
    }

    [Fact]
    public void APeerDownloadingAloneIsOfferedEverythingItLacks()
    {
        var swarm = Swarm(4);
        object peer = new();
        swarm.Join(peer, superSeeded: true);
        swarm.PeerHas(peer, 1);
        Assert.Equal([0, 2, 3], swarm.NextOffers(peer, lone: true));
        Assert.True(swarm.WasOffered(peer, 3));
    }

    [Fact]
    public void APeerThatIsNotSuperSeededMayRequestAnything()
    {
        var swarm = Swarm();
        object peer = new();
        swarm.Join(peer, superSeeded: false);
        Assert.True(swarm.WasOffered(peer, 5));
        Assert.Empty(swarm.NextOffers(peer, lone: false));
    }

    [Fact]
    public void ALeavingPeerNoLongerMakesACrowd()
    {
        var swarm = Swarm(2);
        object holder = new(), other = new();
        swarm.Join(holder, superSeeded: false);
        swarm.Join(other, superSeeded: true);
        time.Advance(SwarmOrigin.StartupGrace);
        swarm.Requested(holder);
        Assert.False(swarm.IsAlone(other, tracker: new(2, 0)));
        swarm.Leave(holder);
        Assert.True(swarm.IsAlone(other, tracker: new(2, 0)));
    }

    [Fact]
    public void AnInterestedPeerThatNeverRequestsMakesNoCrowd()
    {
        var swarm = Swarm();
        object hog = new(), real = new();
        swarm.Join(hog, superSeeded: false);
        swarm.Join(real, superSeeded: false);
        time.Advance(SwarmOrigin.StartupGrace);
        swarm.Requested(real);
        Assert.True(swarm.IsAlone(real, tracker: new(2, 0)));
        Assert.False(swarm.IsAlone(hog, tracker: new(2, 0)));
    }

    /// <summary>The tracker still lists a leecher that never connected, or left without saying so (a client that quit,
    /// an announce-only session): with no other downloader here, a lone client gets everything from the origin at once
    /// — super-seeded, HaveAll, and through the web seed — instead of waiting on nobody.</summary>
    [Fact]
    public void ALeecherOnlyTheTrackerListsMakesNoCrowd()
    {
        var swarm = Swarm(4);
        var phantom = new TrackerCounts(2, 0);
        object early = new(), lone = new();
        swarm.Join(early, superSeeded: false, "127.0.0.1");
        Assert.True(swarm.MayServe(early, "127.0.0.1", 0, phantom));
        swarm.PeerHas(early, 0);
        swarm.Leave(early);
        time.Advance(SwarmOrigin.StartupGrace);

        Assert.False(swarm.CrowdAtJoin(phantom, "127.0.0.1"));
        swarm.Join(lone, superSeeded: true, "127.0.0.1");
        Assert.True(swarm.IsAlone(lone, phantom));
        Assert.Equal([0, 1, 2, 3], swarm.NextOffers(lone, phantom));
        Assert.True(swarm.MayServe(new object(), "127.0.0.2", 0, phantom));
        Assert.True(swarm.TryTakeRange("127.0.0.1", 0, 3, phantom));
        Assert.True(swarm.TryTakeRange("127.0.0.1", 0, 3, phantom));
    }

    /// <summary>Clients that only dialled the seeder (not announced: the tracker does not list them) beside a crowd that
    /// did: the crowd cannot find them, so they are served as if alone while the crowd is held back.</summary>
    [Fact]
    public void ASessionTheTrackerDoesNotListIsNeverHeldBack()
    {
        var swarm = Swarm(4);
        var crowd = new TrackerCounts(10, 0);
        object unlisted = new(), listed = new();
        swarm.Join(unlisted, superSeeded: false, "127.0.1.10", listed: false);
        swarm.Join(listed, superSeeded: false, "127.0.2.10");
        time.Advance(SwarmOrigin.StartupGrace);
        swarm.Requested(unlisted);
        swarm.Requested(listed);
        Assert.True(swarm.MayServe(unlisted, "127.0.1.10", 0, crowd));
        Assert.True(swarm.MayServe(unlisted, "127.0.1.10", 0, crowd)); // again: nobody else can give it to this one
        Assert.True(swarm.IsAlone(unlisted, crowd));
        Assert.False(swarm.IsAlone(listed, crowd));
        Assert.True(swarm.MayServe(listed, "127.0.2.10", 0, crowd)); // the unlisted peer's copy is beyond the crowd's reach
        Assert.False(swarm.MayServe(new object(), "127.0.2.11", 0, crowd)); // the listed one's is not
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void OnlyATrackerCrowdIsSuperSeeded(int leechers, bool crowd) => Assert.Equal(crowd, Swarm().CrowdAtJoin(new(leechers, 0)));

    [Fact]
    public void APeerJoiningASwarmWithAConnectedSeedIsSuperSeededAndNotAlone()
    {
        var swarm = Swarm(2);
        object seed = new(), joiner = new();
        swarm.Join(seed, superSeeded: true);
        swarm.PeerHas(seed, 0);
        swarm.PeerHas(seed, 1);
        Assert.True(swarm.CrowdAtJoin(new(1, 0)));
        swarm.Join(joiner, superSeeded: true);
        Assert.False(swarm.IsAlone(joiner, new(1, 0)));
        Assert.Empty(swarm.NextOffers(joiner, new TrackerCounts(1, 0))); // the seed serves it
    }

    [Fact]
    public void AFinishedOfferIsFollowedAtOnceByAPieceTheOriginNeverGaveButNotByOneItGave()
    {
        var swarm = Swarm(3);
        object a = new(), b = new();
        swarm.Join(a, superSeeded: true);
        swarm.Join(b, superSeeded: true);
        var first = Assert.Single(swarm.NextOffers(a, lone: false));
        swarm.PeerHas(a, first);
        var second = Assert.Single(swarm.NextOffers(a, lone: false)); // never given: it must leave once anyway
        var third = Assert.Single(swarm.NextOffers(b, lone: false));
        Assert.Equal(3, new HashSet<int> { first, second, third }.Count);
        swarm.PeerHas(a, second);
        Assert.Empty(swarm.NextOffers(a, lone: false)); // the one piece left is b's offer: never two at once
    }

    [Fact]
    public void AHaveAllSessionInACrowdIsToldWhichPieceTheOriginWouldServeIt()
    {
        var swarm = Swarm(3);
        object peer = new(), other = new();
        swarm.Join(peer, superSeeded: false);
        swarm.Join(other, superSeeded: true);
        var crowd = new TrackerCounts(2, 0);
        Assert.True(swarm.TryTakeRange("10.0.0.9", 0, 0, crowd));
        swarm.PeerHas(other, 0);
        swarm.PeerHas(peer, 2);
        Assert.Equal(1, swarm.PieceFor(peer, "10.0.0.1", crowd)); // 0 is at a peer, 2 it has
        Assert.True(swarm.MayServe(peer, "10.0.0.1", 1, crowd));
        Assert.Equal(1, swarm.PieceFor(peer, "10.0.0.1", crowd)); // the rest of a piece it began
        swarm.PeerHas(peer, 1);
        Assert.Equal(-1, swarm.PieceFor(peer, "10.0.0.1", crowd));
        Assert.False(swarm.MayServe(peer, "10.0.0.1", 0, crowd));
    }

    [Fact]
    public void APeerThatNeverFetchesItsOfferGetsNoMoreAndDoesNotBlockTheOthers()
    {
        var swarm = Swarm(2);
        object hog = new(), real = new();
        swarm.Join(hog, superSeeded: true);
        swarm.Join(real, superSeeded: true);
        var held = Assert.Single(swarm.NextOffers(hog, lone: false));
        var other = Assert.Single(swarm.NextOffers(real, lone: false));
        Assert.NotEqual(held, other);
        swarm.PeerHas(real, other);
        Assert.Empty(swarm.NextOffers(hog, lone: false));
    }
}
