namespace Peerbucket.Protocols.Tests.Interop;

/// <summary>
/// A fact that needs a third-party program. Skipped when the program is missing, except when the environment
/// variable <c>CI</c> is <c>true</c>: then the test runs and fails, so CI never passes by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool)
    {
        if (!ExternalTool.IsAvailable(tool) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"{tool} is not installed (set CI=true to fail instead of skipping).";
        }
    }
}
