using System.Collections.Concurrent;

namespace Peerbucket.Swarm.Origin;

/// <summary>A total and a per-object upload rate limit in bytes per second (0 = unlimited). The seeder has one of its
/// own (<c>--max-upload-rate</c>, <c>--max-upload-rate-per-object</c>); the origin budget is another, taken by the
/// seeder and the web seed together (<c>--origin-budget</c>, <c>--origin-budget-per-object</c>). Objects are keyed
/// <c>bucket/key</c>.</summary>
internal sealed class UploadThrottle(long totalBytesPerSecond, long perObjectBytesPerSecond)
{
    /// <summary>Per-object buckets kept at most; past it they start again full (at most one second of burst more).</summary>
    private const int MaxObjects = 10_000;

    private readonly TokenBucket _total = new(totalBytesPerSecond);
    private readonly ConcurrentDictionary<string, TokenBucket> _perObject = new(StringComparer.Ordinal);

    /// <summary>The per-object key of an object: bucket names have no '/', so it is unique.</summary>
    public static string KeyOf(string bucket, string key) => bucket + "/" + key;

    public bool IsUnlimited => totalBytesPerSecond <= 0 && perObjectBytesPerSecond <= 0;

    public async Task TakeAsync(string objectKey, int bytes, CancellationToken cancellationToken)
    {
        if (IsUnlimited)
        {
            return;
        }

        await _total.TakeAsync(bytes, cancellationToken);
        if (perObjectBytesPerSecond > 0)
        {
            if (_perObject.Count >= MaxObjects && !_perObject.ContainsKey(objectKey))
            {
                _perObject.Clear();
            }

            await _perObject.GetOrAdd(objectKey, _ => new TokenBucket(perObjectBytesPerSecond)).TakeAsync(bytes, cancellationToken);
        }
    }

    /// <summary>Forgets the per-object bucket of an object nobody downloads any more.</summary>
    public void Forget(string objectKey) => _perObject.TryRemove(objectKey, out _);
}
