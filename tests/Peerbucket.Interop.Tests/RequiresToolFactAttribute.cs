using System.Collections.Concurrent;
using System.Diagnostics;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// A fact that needs external tools. Each requirement is an executable on PATH ("aws"), an absolute executable
/// ("/usr/bin/python3"), a Python module under an interpreter ("/usr/bin/python3:boto3", "python3:boto3"), or an npm
/// package in the interop js folder ("npm:@aws-sdk/client-s3"). A missing requirement skips the test locally; when
/// CI=true it never skips, so the test runs and fails loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresToolFactAttribute : FactAttribute
{
    private static readonly ConcurrentDictionary<string, bool> Found = new();

    public RequiresToolFactAttribute(params string[] requirements)
    {
        Requirements = requirements;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
        {
            return;
        }

        var missing = requirements.Where(r => !Found.GetOrAdd(r, IsAvailable)).ToArray();
        if (missing.Length > 0)
        {
            Skip = "missing: " + string.Join(", ", missing) + " (test.sh installs it; CI=true runs the test anyway)";
        }
    }

    public IReadOnlyList<string> Requirements { get; }

    private static bool IsAvailable(string requirement)
    {
        if (requirement.StartsWith("npm:", StringComparison.Ordinal))
        {
            return Directory.Exists(Path.Combine(Paths.JsDirectory, "node_modules", requirement[4..]));
        }

        var colon = requirement.IndexOf(':');
        if (colon < 0)
        {
            return Paths.FindExecutable(requirement) is not null;
        }

        var interpreter = Paths.FindExecutable(requirement[..colon]);
        if (interpreter is null)
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(interpreter, ["-c", "import " + requirement[(colon + 1)..]])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
