namespace Peerbucket.Swarm.Origin;

/// <summary>The origin policy of the server, and per-bucket exceptions.</summary>
public sealed record OriginOptions
{
    public OriginPolicy Policy { get; init; } = OriginPolicy.Thrifty;

    /// <summary>Buckets whose objects follow another policy than <see cref="Policy"/>.</summary>
    public IReadOnlyDictionary<string, OriginPolicy> Buckets { get; init; } = new Dictionary<string, OriginPolicy>(StringComparer.Ordinal);

    /// <summary>What the seeder and the web seed may send together, in bytes per second, all objects
    /// (<c>--origin-budget</c>); 0 = unlimited. S3 GETs never count against it.</summary>
    public long BudgetBytesPerSecond { get; init; }

    /// <summary>The same per object (<c>--origin-budget-per-object</c>); 0 = unlimited.</summary>
    public long BudgetBytesPerSecondPerObject { get; init; }

    public OriginPolicy For(string bucket) => Buckets.TryGetValue(bucket, out var policy) ? policy : Policy;
}
