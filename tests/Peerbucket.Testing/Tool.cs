namespace Peerbucket.Testing;

/// <summary>Runs one third-party program to its end (see <see cref="ToolProcess"/>): output read as it comes, a hard
/// timeout, the whole process tree killed when it overruns.</summary>
public static class Tool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        await using var process = ToolProcess.Start(fileName, arguments, environment, workingDirectory, stdin);
        return await process.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Runs the program and fails the test, with its output, unless it exits 0 in time.</summary>
    public static async Task<ToolResult> RunCheckedAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        string? stdin = null,
        TimeSpan? timeout = null) =>
        (await RunAsync(fileName, arguments, environment, workingDirectory, stdin, timeout)).AssertExitCode(0);

    /// <summary><see cref="RunAsync"/> for callers that cannot await (test discovery: attributes, member data).</summary>
    public static ToolResult Run(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null) =>
        Task.Run(() => RunAsync(fileName, arguments, environment, workingDirectory, timeout: timeout)).GetAwaiter().GetResult();
}
