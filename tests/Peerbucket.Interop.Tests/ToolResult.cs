using Xunit.Sdk;

namespace Peerbucket.Interop.Tests;

/// <summary>What one external program did: exit code, output, and whether it was killed at its timeout.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, bool TimedOut, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public void AssertExitCode(int expected)
    {
        if (TimedOut || ExitCode != expected)
        {
            throw new XunitException(
                $"`{CommandLine}` {(TimedOut ? $"timed out after {Elapsed.TotalSeconds:F0} s and was killed" : $"exited {ExitCode}")}"
                + $" (expected {expected})\n--- stdout ---\n{Tail(Stdout)}\n--- stderr ---\n{Tail(Stderr)}");
        }
    }

    private static string Tail(string text) => text.Length <= 8000 ? text : "..." + text[^8000..];
}
