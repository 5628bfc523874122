namespace Peerbucket.Fuzz;

/// <summary>Every fuzz target by name.</summary>
internal static class Targets
{
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } =
        ProtocolTargets.All().Concat(S3Targets.All()).ToDictionary(t => t.Name, StringComparer.Ordinal);
}
