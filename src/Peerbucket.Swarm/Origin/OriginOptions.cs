namespace Peerbucket.Swarm.Origin;

/// <summary>The origin policy of the server, and per-bucket exceptions.</summary>
public sealed record OriginOptions
{
    public OriginPolicy Policy { get; init; } = OriginPolicy.Thrifty;

    /// <summary>Buckets whose objects follow another policy than <see cref="Policy"/>.</summary>
    public IReadOnlyDictionary<string, OriginPolicy> Buckets { get; init; } = new Dictionary<string, OriginPolicy>(StringComparer.Ordinal);

    public OriginPolicy For(string bucket) => Buckets.TryGetValue(bucket, out var policy) ? policy : Policy;
}
