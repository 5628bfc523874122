using System.Collections.Concurrent;

namespace Peerbucket.Swarm.Seeder;

/// <summary>The seeder-wide and per-object upload rate limits (<see cref="SeederOptions.MaxUploadRate"/>,
/// <see cref="SeederOptions.MaxUploadRatePerObject"/>).</summary>
internal sealed class UploadThrottle(SeederOptions options)
{
    private readonly TokenBucket _total = new(options.MaxUploadRate);
    private readonly ConcurrentDictionary<string, TokenBucket> _perObject = new(StringComparer.Ordinal);

    public bool IsUnlimited => options.MaxUploadRate <= 0 && options.MaxUploadRatePerObject <= 0;

    public async Task TakeAsync(string objectKey, int bytes, CancellationToken cancellationToken)
    {
        if (IsUnlimited)
        {
            return;
        }

        await _total.TakeAsync(bytes, cancellationToken);
        if (options.MaxUploadRatePerObject > 0)
        {
            await _perObject.GetOrAdd(objectKey, _ => new TokenBucket(options.MaxUploadRatePerObject)).TakeAsync(bytes, cancellationToken);
        }
    }

    /// <summary>Forgets the per-object bucket of an object no peer is connected for any more.</summary>
    public void Forget(string objectKey) => _perObject.TryRemove(objectKey, out _);
}
