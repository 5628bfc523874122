using Microsoft.Extensions.Hosting;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Tracker;

/// <summary>Expires silent peers, and retires swarms whose object stopped being served (deleted, overwritten, made private).</summary>
public sealed class TrackerMaintenance(ISwarmRegistry registry, ServedTorrents served, TrackerOptions options, TimeProvider clock) : BackgroundService
{
    private int _changed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        served.Changed += _ => Interlocked.Exchange(ref _changed, 1);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (Interlocked.Exchange(ref _changed, 0) == 1)
                {
                    registry.RetireWhere(hash => served.Find(hash) is null);
                }

                if (++ticks % 30 == 0)
                {
                    registry.Expire(clock.GetUtcNow() - options.PeerTimeout);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
    }
}
