using Xunit.Sdk;

namespace Peerbucket.Testing;

/// <summary>What one external program did: exit code (-1 when killed at its timeout), output, and the time it took.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, bool TimedOut, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Fails the test, with the command line and the tail of its output, unless it exited with <paramref name="expected"/>.</summary>
    public ToolResult AssertExitCode(int expected)
    {
        if (TimedOut || ExitCode != expected)
        {
            throw new XunitException(
                $"`{CommandLine}` {(TimedOut ? $"timed out after {Elapsed.TotalSeconds:F0} s and was killed" : $"exited {ExitCode}")}"
                + $" (expected {expected})\n--- stdout ---\n{Tail(Stdout)}\n--- stderr ---\n{Tail(Stderr)}");
        }

        return this;
    }

    public static string Tail(string text, int length = 8000) => text.Length <= length ? text : "..." + text[^length..];
}
