namespace Peerbucket.Testing;

/// <summary>A fact that needs third-party programs (see <see cref="ToolRequirements"/> for what a requirement names):
/// skipped when one is missing, except with CI=true, where the test runs and fails.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(params string[] requirements)
    {
        Requirements = requirements;
        Skip = ToolRequirements.SkipReason(requirements);
    }

    public IReadOnlyList<string> Requirements { get; }
}
