namespace Peerbucket.Testing;

/// <summary>The theory form of <see cref="RequiresToolFactAttribute"/>: skipped when a requirement is missing, except
/// with CI=true.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(params string[] requirements)
    {
        Requirements = requirements;
        Skip = ToolRequirements.SkipReason(requirements);
    }

    public IReadOnlyList<string> Requirements { get; }
}
