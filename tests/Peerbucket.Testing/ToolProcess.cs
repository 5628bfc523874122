using System.Diagnostics;
using System.Text;

namespace Peerbucket.Testing;

/// <summary>
/// One started third-party program. Its stdout and stderr are read from the start, asynchronously and to the end, so
/// a program that writes more than a pipe holds never blocks (and never hangs a test). Waiting has a hard timeout;
/// a program that overruns it, or is still running when this is disposed, is killed with its whole process tree.
/// </summary>
public sealed class ToolProcess : IAsyncDisposable
{
    /// <summary>How long output is still awaited after the program exited or was killed: a descendant that escaped the
    /// kill (a daemon) can hold the pipes open forever, and then what was read by then is the output.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ExitAfterKill = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly OutputPump stdout;
    private readonly OutputPump stderr;
    private readonly Stopwatch clock;
    private readonly List<string> lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string?> Found)> waiters = [];
    private readonly int maxChars;
    private int linesChars;
    private bool abandoned;
    private bool terminated;

    private ToolProcess(Process process, string commandLine, int maxChars)
    {
        this.process = process;
        this.maxChars = maxChars;
        CommandLine = commandLine;
        clock = Stopwatch.StartNew();
        stdout = new OutputPump(process.StandardOutput, OnLine, maxChars);
        stderr = new OutputPump(process.StandardError, OnLine, maxChars);
        _ = Task.WhenAll(stdout.Completion, stderr.Completion).ContinueWith(_ => EndWaiters(), TaskScheduler.Default);
    }

    public string CommandLine { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Whether <see cref="TerminateAsync"/> (or <see cref="StopAsync"/>) sent SIGTERM.</summary>
    public bool Terminated => terminated;

    /// <summary>Everything read from stdout so far.</summary>
    public string Stdout => stdout.Text;

    /// <summary>Everything read from stderr so far.</summary>
    public string Stderr => stderr.Text;

    /// <summary>The lines of both stdout and stderr so far, in the order they were read.</summary>
    public string Output
    {
        get
        {
            lock (lines)
            {
                return lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/>; its stdin gets <paramref name="stdin"/> (if any) and is then closed.</summary>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="maxOutputChars">How much of each stream is kept (the rest is read and dropped).</param>
    public static ToolProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        string? stdin = null,
        int maxOutputChars = 16 * 1024 * 1024)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start };
        process.Start();
        var started = new ToolProcess(process, fileName + " " + string.Join(' ', start.ArgumentList.Select(Quote)), maxOutputChars);
        _ = started.FeedStdinAsync(stdin);
        return started;
    }

    /// <summary>Waits for the program to exit; past <paramref name="timeout"/> kills its process tree. Then waits for
    /// its output (at most <see cref="DrainTimeout"/>) and returns what it did.</summary>
    public async Task<ToolResult> WaitAsync(TimeSpan timeout)
    {
        var timedOut = !await WaitForExitAsync(timeout);
        if (timedOut)
        {
            await KillAsync();
        }

        await DrainAsync();
        return new ToolResult(CommandLine, timedOut ? -1 : process.ExitCode, timedOut, Stdout, Stderr, Elapsed);
    }

    /// <summary>True when the program exited within <paramref name="timeout"/> (it is left running otherwise).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The first line of stdout or stderr (already read or still to come) that matches; null when the
    /// program's output ended, or <paramref name="timeout"/> passed, without one.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (lines)
        {
            var seen = lines.FirstOrDefault(match);
            if (seen is not null)
            {
                return seen;
            }

            if (stdout.Completion.IsCompleted && stderr.Completion.IsCompleted)
            {
                return null;
            }

            waiters.Add((match, found));
        }

        var first = await Task.WhenAny(found.Task, Task.Delay(timeout));
        lock (lines)
        {
            waiters.RemoveAll(w => w.Found == found);
        }

        return first == found.Task ? await found.Task : null;
    }

    /// <summary>Sends SIGTERM (the program decides what to do with it), once: a second SIGTERM can catch a program
    /// that is exiting after the first one with its handler already gone, and kill it (exit 143). Does not wait.</summary>
    public async Task TerminateAsync()
    {
        if (!process.HasExited && !terminated)
        {
            terminated = true;
            await Tool.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                timeout: TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>SIGTERM (unless sent already), then up to <paramref name="grace"/> for the program to exit; kills its
    /// process tree after that. Returns the exit code, or -1 when it had to be killed.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        await TerminateAsync();
        if (await WaitForExitAsync(grace))
        {
            return process.ExitCode;
        }

        await KillAsync();
        return -1;
    }

    /// <summary>SIGKILL to the program, and with <paramref name="entireProcessTree"/> to every descendant; waits for its exit.</summary>
    public async Task KillAsync(bool entireProcessTree = true)
    {
        try
        {
            process.Kill(entireProcessTree);
        }
        catch (InvalidOperationException)
        {
            // it exited just now
        }

        if (!await WaitForExitAsync(ExitAfterKill))
        {
            throw new TimeoutException($"`{CommandLine}` did not exit within {ExitAfterKill.TotalSeconds} s of SIGKILL.");
        }
    }

    /// <summary>Kills the process tree if the program still runs, waits for its output (bounded), releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        await DrainAsync();
        process.Dispose();
    }

    private async Task DrainAsync()
    {
        var both = Task.WhenAll(stdout.Completion, stderr.Completion);
        if (await Task.WhenAny(both, Task.Delay(DrainTimeout)) != both && !abandoned)
        {
            abandoned = true;
            stdout.Abandon();
            stderr.Abandon();
            OnLine($"[{DrainTimeout.TotalSeconds} s after `{CommandLine}` ended its output was still open (a descendant holds it): kept what was read]");
        }
    }

    private async Task FeedStdinAsync(string? text)
    {
        try
        {
            if (text is not null)
            {
                await process.StandardInput.WriteAsync(text);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // the program exited (or closed its stdin) before reading it all
        }
    }

    private void OnLine(string line)
    {
        List<TaskCompletionSource<string?>>? matched = null;
        lock (lines)
        {
            if (linesChars < maxChars)
            {
                lines.Add(line);
                linesChars += line.Length + 1;
            }

            foreach (var waiter in waiters.Where(w => w.Match(line)))
            {
                (matched ??= []).Add(waiter.Found);
            }
        }

        matched?.ForEach(found => found.TrySetResult(line));
    }

    private void EndWaiters()
    {
        lock (lines)
        {
            waiters.ForEach(w => w.Found.TrySetResult(null));
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
