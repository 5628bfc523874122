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

    [Fact]
    public void APieceAConnectedPeerReportsIsNotServedAgainBeforeTheValve()
    {
        var swarm = Swarm();
        object holder = new();
        swarm.Join(holder, superSeeded: true);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 0, 0, trackerLeechers: 3));
        swarm.PeerHas(holder, 0);

        time.Advance(SwarmOrigin.Regive + TimeSpan.FromSeconds(1));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 0, 0, trackerLeechers: 3));
        Assert.False(swarm.MayServe(new object(), "10.0.0.3", 0, trackerLeechers: 3));

        time.Advance(SwarmOrigin.RegiveAnyway);
        Assert.True(swarm.TryTakeRange("10.0.0.2", 0, 0, trackerLeechers: 3));
    }

    [Fact]
    public void APieceNoConnectedPeerReportsIsServedAgainAfterRegive()
    {
        var swarm = Swarm();
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 1, 1, trackerLeechers: 3));
        Assert.False(swarm.TryTakeRange("10.0.0.2", 1, 1, trackerLeechers: 3));
        time.Advance(SwarmOrigin.Regive);
        Assert.True(swarm.TryTakeRange("10.0.0.2", 1, 1, trackerLeechers: 3));
    }

    [Fact]
    public void APieceWhoseOnlyHolderLeftIsServedAgainAfterRegive()
    {
        var swarm = Swarm();
        object holder = new();
        swarm.Join(holder, superSeeded: true);
        time.Advance(SwarmOrigin.StartupGrace);
        Assert.True(swarm.TryTakeRange("10.0.0.1", 2, 2, trackerLeechers: 3));
        swarm.PeerHas(holder, 2);
        time.Advance(SwarmOrigin.Regive);
        Assert.False(swarm.TryTakeRange("10.0.0.2", 2, 2, trackerLeechers: 3));
        swarm.Leave(holder);
        Assert.True(swarm.TryTakeRange("10.0.0.2", 2, 2, trackerLeechers: 3));
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
    public void PastTheValveAHeldPieceIsOfferedAgain()
    {
        var swarm = Swarm(pieces: 1);
        object a = new(), late = new();
        swarm.Join(a, superSeeded: true);
        var only = Assert.Single(swarm.NextOffers(a, lone: false));
        swarm.PeerHas(a, only);
        swarm.Join(late, superSeeded: true);
        time.Advance(SwarmOrigin.Regive);
        Assert.Empty(swarm.NextOffers(late, lone: false));
        time.Advance(SwarmOrigin.RegiveAnyway);
        Assert.Equal([only], swarm.NextOffers(late, lone: false));
    }
}
