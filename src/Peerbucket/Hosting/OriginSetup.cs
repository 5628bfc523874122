using Peerbucket.Swarm.Origin;

namespace Peerbucket.Hosting;

/// <summary>The origin policy from the options (server-wide and per bucket); nonsense is refused by flag name.</summary>
internal static class OriginSetup
{
    public static OriginOptions ToOptions(ServerOptions options) => new()
    {
        Policy = Parse(options.OriginPolicy, "--origin-policy"),
        Buckets = options.BucketOriginPolicy.ToDictionary(pair => pair.Key, pair => Parse(pair.Value, $"--bucket-origin-policy {pair.Key}="),
            StringComparer.Ordinal),
        BudgetBytesPerSecond = SeederLimits.NotNegative(options.OriginBudget, "origin-budget"),
        BudgetBytesPerSecondPerObject = SeederLimits.NotNegative(options.OriginBudgetPerObject, "origin-budget-per-object"),
    };

    private static OriginPolicy Parse(string value, string flag) => value switch
    {
        "thrifty" => OriginPolicy.Thrifty,
        "fast" => OriginPolicy.Fast,
        _ => throw new ArgumentException($"{flag}{(flag.EndsWith('=') ? "" : " ")}{value} is not thrifty or fast."),
    };
}
