using System.Diagnostics;
using Peerbucket.Swarm.Origin;

namespace Peerbucket.Swarm.Tests.Origin;

/// <summary>The rate limits behind the seeder's throttle and the origin budget. Only lower bounds on time are asserted
/// (a limit that lets bytes through too fast fails; a slow machine cannot make these fail).</summary>
public sealed class UploadThrottleTests
{
    [Fact]
    public void UnlimitedNeverWaits()
    {
        var throttle = new UploadThrottle(0, 0);
        Assert.True(throttle.IsUnlimited);
        Assert.True(throttle.TakeAsync("b/k", int.MaxValue, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task ATotalLimitHoldsBytesToItsRateAfterOneSecondOfBurst()
    {
        var throttle = new UploadThrottle(1_000_000, 0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 25; i++)
        {
            await throttle.TakeAsync(i % 2 == 0 ? "b/one" : "b/two", 100_000, CancellationToken.None); // 2.5 MB in all
        }

        // 1 MB of burst, then 1.5 MB at 1 MB/s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"2.5 MB passed a 1 MB/s limit in {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task APerObjectLimitHoldsEachObjectApart()
    {
        var throttle = new UploadThrottle(0, 1_000_000);
        Assert.False(throttle.IsUnlimited);
        var clock = Stopwatch.StartNew();
        await throttle.TakeAsync("b/one", 1_000_000, CancellationToken.None); // its burst
        await throttle.TakeAsync("b/two", 1_000_000, CancellationToken.None); // another object's burst: no wait
        var afterBursts = clock.Elapsed;
        await throttle.TakeAsync("b/one", 1_000_000, CancellationToken.None); // in debt: waits about a second
        Assert.True(clock.Elapsed - afterBursts >= TimeSpan.FromSeconds(0.9), $"the second MB of one object waited only {(clock.Elapsed - afterBursts).TotalSeconds:F2} s");
    }

    [Fact]
    public async Task AWaitIsCancelled()
    {
        var throttle = new UploadThrottle(1_000, 0);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await throttle.TakeAsync("b/k", 1_000, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => throttle.TakeAsync("b/k", 10_000, cancel.Token));
    }
}
