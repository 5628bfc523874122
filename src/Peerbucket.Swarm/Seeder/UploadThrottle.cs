using System.Collections.Concurrent;

namespace Peerbucket.Swarm.Seeder;

/// <summary>The seeder-wide and per-torrent upload rate limits (<see cref="SeederOptions.MaxUploadRate"/>,
/// <see cref="SeederOptions.MaxUploadRatePerTorrent"/>).</summary>
public sealed class UploadThrottle(SeederOptions options)
{
    private readonly TokenBucket _total = new(options.MaxUploadRate);
    private readonly ConcurrentDictionary<string, TokenBucket> _perTorrent = new(StringComparer.Ordinal);

    public bool IsUnlimited => options.MaxUploadRate <= 0 && options.MaxUploadRatePerTorrent <= 0;

    public async Task TakeAsync(string objectKey, int bytes, CancellationToken cancellationToken)
    {
        if (IsUnlimited)
        {
            return;
        }

        await _total.TakeAsync(bytes, cancellationToken);
        if (options.MaxUploadRatePerTorrent > 0)
        {
            await _perTorrent.GetOrAdd(objectKey, _ => new TokenBucket(options.MaxUploadRatePerTorrent)).TakeAsync(bytes, cancellationToken);
        }
    }

    /// <summary>Forgets the per-torrent bucket of an object no peer is connected for any more.</summary>
    public void Forget(string objectKey) => _perTorrent.TryRemove(objectKey, out _);
}
