using System.Diagnostics;

namespace Peerbucket.Protocols.Tests.Interop;

/// <summary>The shared process runner (tests/Peerbucket.Testing): output always drained, hard timeouts, tree kills.</summary>
public sealed class ToolProcessTests
{
    [Fact]
    public async Task ProgramFillingBothPipesIsNeverBlocked()
    {
        // 1 MB on each stream is far more than a pipe holds (64 KiB): a runner that reads one stream only after the
        // other, or only after the exit, would hang here until the timeout.
        var result = await Tool.RunAsync("sh", ["-c", "head -c 1000000 /dev/zero | tr '\\0' o; head -c 1000000 /dev/zero | tr '\\0' e >&2; echo; echo done"],
            timeout: TimeSpan.FromSeconds(60));
        result.AssertExitCode(0);
        Assert.Equal(new string('o', 1_000_000) + "\ndone\n", result.Stdout);
        Assert.Equal(new string('e', 1_000_000), result.Stderr);
    }

    [Fact]
    public async Task ProgramThatOverrunsItsTimeoutIsKilledWithItsChildren()
    {
        var result = await Tool.RunAsync("sh", ["-c", "sleep 300 & echo $!; wait"], timeout: TimeSpan.FromMilliseconds(500));
        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"took {result.Elapsed}");
        var child = int.Parse(result.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ExitedAsync(child), $"the child sleep ({child}) survived the kill");
        Assert.Throws<Xunit.Sdk.XunitException>(() => result.AssertExitCode(0));
    }

    [Fact]
    public async Task DescendantHoldingThePipesOpenDoesNotHangTheRunner()
    {
        // sh exits at once; the sleep it started in the background keeps stdout open (for a few seconds).
        var result = await Tool.RunAsync("sh", ["-c", "sleep 8 & echo started"], timeout: TimeSpan.FromSeconds(60));
        result.AssertExitCode(0);
        Assert.StartsWith("started\n", result.Stdout, StringComparison.Ordinal);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(7.5), $"took {result.Elapsed}");
    }

    [Fact]
    public async Task StdinIsFedAndEnvironmentIsSetOrRemoved()
    {
        var environment = new Dictionary<string, string?> { ["PB_SET"] = "yes", ["HOME"] = null };
        var result = await Tool.RunCheckedAsync("sh", ["-c", "cat; echo \"[$PB_SET][${HOME-unset}]\""], environment, stdin: "hello\n");
        Assert.Equal("hello\n[yes][unset]\n", result.Stdout);
    }

    [Fact]
    public async Task LongRunningProgramIsWatchedLineByLineAndKilledOnDispose()
    {
        int pid;
        await using (var process = ToolProcess.Start("sh", ["-c", "echo one; echo two >&2; sleep 1; echo 'ready: 42'; sleep 300"]))
        {
            pid = process.Id;
            var ready = await process.WaitForLineAsync(line => line.StartsWith("ready:", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Equal("ready: 42", ready);
            var lines = process.Output.Split('\n');
            Assert.Equal(["one", "two"], lines[..2].Order());  // written at once to two pipes: either comes first
            Assert.Equal(["ready: 42", ""], lines[2..]);
            Assert.Null(await process.WaitForLineAsync(line => line == "never", TimeSpan.FromMilliseconds(200)));
            Assert.False(process.HasExited);
        }

        Assert.True(await ExitedAsync(pid));
    }

    [Fact]
    public async Task SigtermIsSentOnce()
    {
        await using var process = ToolProcess.Start("sh", ["-c", "trap 'echo term' TERM; echo ready; while :; do sleep 0.1; done"]);
        Assert.NotNull(await process.WaitForLineAsync(line => line == "ready", TimeSpan.FromSeconds(30)));
        await process.TerminateAsync();
        Assert.NotNull(await process.WaitForLineAsync(line => line == "term", TimeSpan.FromSeconds(30)));
        await process.TerminateAsync();
        Assert.Equal(-1, await process.StopAsync(TimeSpan.FromSeconds(1)));  // it ignores SIGTERM: killed after the grace
        Assert.True(process.Terminated);
        Assert.Equal("ready\nterm\n", process.Output);
    }

    [Fact]
    public async Task WaitingForALineEndsWhenTheOutputEnds()
    {
        await using var process = ToolProcess.Start("sh", ["-c", "echo only"]);
        var started = Stopwatch.StartNew();
        Assert.Null(await process.WaitForLineAsync(line => line == "never", TimeSpan.FromSeconds(30)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Equal("only\n", process.Output);
    }

    private static async Task<bool> ExitedAsync(int pid)
    {
        // killed processes are reaped by their parent (or init) a moment later
        for (var i = 0; i < 100; i++)
        {
            if (!File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z")
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
