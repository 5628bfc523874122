namespace Peerbucket.Protocols.Tests.Interop;

/// <summary>The theory form of <see cref="RequiresToolFactAttribute"/>: skip when missing, fail when CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(string tool)
    {
        if (!ExternalTool.IsAvailable(tool) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"{tool} is not installed (set CI=true to fail instead of skipping).";
        }
    }
}
