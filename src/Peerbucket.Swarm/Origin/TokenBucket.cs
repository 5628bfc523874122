using System.Diagnostics;

namespace Peerbucket.Swarm.Origin;

/// <summary>A rate limit in bytes per second (one second of burst). Takers may go into debt and wait it off.</summary>
internal sealed class TokenBucket(long bytesPerSecond)
{
    private readonly Lock _lock = new();
    private double _tokens = bytesPerSecond;
    private long _last = Stopwatch.GetTimestamp();

    public long BytesPerSecond => bytesPerSecond;

    /// <summary>Takes <paramref name="bytes"/>, waiting until the bucket is out of debt. Unlimited (0) never waits.</summary>
    public Task TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        if (bytesPerSecond <= 0)
        {
            return Task.CompletedTask;
        }

        double debt;
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(bytesPerSecond, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * bytesPerSecond));
            _last = now;
            _tokens -= bytes;
            debt = -_tokens;
        }

        return debt <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(debt / bytesPerSecond), cancellationToken);
    }
}
