using System.Collections.Concurrent;

namespace Peerbucket.Testing;

/// <summary>
/// Whether the third-party programs a test needs are here. A requirement is an executable on PATH (<c>aws</c>), an
/// executable by path (<c>/usr/bin/python3</c>), a Python module under an interpreter (<c>/usr/bin/python3:libtorrent</c>,
/// <c>python3:boto3</c>) or an npm package in the test project's js folder (<c>npm:@aws-sdk/client-s3</c>).
/// A missing requirement skips the test locally; when the environment has <c>CI=true</c> nothing is skipped, so the
/// test runs and fails loudly.
/// </summary>
public static class ToolRequirements
{
    private static readonly ConcurrentDictionary<string, bool> Found = new();

    /// <summary>CI=true: tests with missing tools run (and fail) instead of being skipped.</summary>
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal);

    /// <summary>The skip reason for a test with these requirements: null when all are present, or on CI.</summary>
    public static string? SkipReason(IEnumerable<string> requirements)
    {
        if (OnCi)
        {
            return null;
        }

        var missing = requirements.Where(r => !IsAvailable(r)).ToArray();
        return missing.Length == 0 ? null : "missing: " + string.Join(", ", missing) + " (test.sh installs it; CI=true runs the test anyway)";
    }

    public static bool IsAvailable(string requirement) => Found.GetOrAdd(requirement, Check);

    private static bool Check(string requirement)
    {
        if (requirement.StartsWith("npm:", StringComparison.Ordinal))
        {
            return Directory.Exists(Path.Combine(ToolPaths.JsDirectory, "node_modules", requirement[4..]));
        }

        var colon = requirement.IndexOf(':');
        if (colon < 0)
        {
            return ToolPaths.FindExecutable(requirement) is not null;
        }

        var interpreter = ToolPaths.FindExecutable(requirement[..colon]);
        if (interpreter is null)
        {
            return false;
        }

        try
        {
            var result = Tool.Run(interpreter, ["-c", "import " + requirement[(colon + 1)..]], timeout: TimeSpan.FromSeconds(30));
            return !result.TimedOut && result.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not executable
        }
    }
}
