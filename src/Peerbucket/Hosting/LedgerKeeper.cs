using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;

namespace Peerbucket.Hosting;

/// <summary>
/// Keeps the publisher's ledger across restarts: the counters start from the metadata store's figures, and what was
/// added is written back every <see cref="Interval"/> and once more at shutdown. A crash loses at most one interval.
/// </summary>
internal sealed class LedgerKeeper(EgressMeter meter, ObjectStore store, TimeProvider clock, ILogger<LedgerKeeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Loads the stored figures into the counters; call before any traffic.</summary>
    public void Restore() => meter.Restore(store.Ledger.LoadTotals(), store.Ledger.LoadObjects(meter.MaxObjects));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown: StopAsync writes the rest.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var (totals, objects) = meter.TakeChanges();
        if (objects.Count == 0 && totals is { TotalEgress: 0, PeerDownloaded: 0, CompletedDownloads: 0 })
        {
            return;
        }

        try
        {
            await store.Ledger.AddAsync(totals, objects, clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The figures are already taken: they are lost for the stored ledger, not for this process's counters.
            logger.LogError(error, "Could not write the ledger ({Objects} objects)", objects.Count);
        }
    }
}
