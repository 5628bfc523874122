using System.Collections.Concurrent;
using System.Diagnostics;

namespace Peerbucket.Protocols.Tests.Interop;

/// <summary>Runs third-party programs with a hard timeout; a program that overruns is killed with its children.</summary>
internal static class ExternalTool
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Pseudo tool name for <c>/usr/bin/python3</c> with the libtorrent module.</summary>
    public const string PythonLibtorrent = "python3-libtorrent";

    private static readonly ConcurrentDictionary<string, bool> Availability = new();

    public static bool IsAvailable(string tool) => Availability.GetOrAdd(tool, static name => name == PythonLibtorrent
        ? File.Exists(Python) && TryRun(Python, ["-c", "import libtorrent"], TimeSpan.FromSeconds(30))
        : FindOnPath(name) is not null);

    public static ProcessResult Run(string program, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"{program} did not finish within {timeout} and was killed.");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static bool TryRun(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        try
        {
            return Run(program, arguments, timeout).ExitCode == 0;
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
