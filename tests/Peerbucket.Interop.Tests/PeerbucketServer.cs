using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Xunit.Sdk;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// One running `dotnet Peerbucket.dll serve` (on loopback unless launched on another address). Every listener it runs
/// binds port 0, so the OS picks free ports and nothing is probed beforehand; the ports are read back from the
/// server's start-up line (<c>Listening: http=URL tracker=N|off peer=N|off</c>), which it prints once all listeners
/// are up. By default the seeder runs and the tracker is off. Its output is kept for diagnostics.
/// </summary>
public sealed class PeerbucketServer : IAsyncDisposable
{
    public const string TestAccessKey = "PBINTEROPTESTKEY0001";
    public const string TestSecretKey = "interop/Test+Secret0123456789abcdefghijklm";
    private const int Attempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly Regex StartupLine = new(@"^Listening: http=(?<http>\S+) tracker=(?<tracker>\d+|off) peer=(?<peer>\d+|off)$",
        RegexOptions.CultureInvariant);

    private readonly ToolProcess process;
    private readonly TempDirectory? ownedData;
    private readonly int? trackerPort;
    private readonly int? peerPort;
    private bool killed;

    private PeerbucketServer(ToolProcess process, string dataDirectory, TempDirectory? ownedData, IPAddress address, Match listening)
    {
        this.process = process;
        this.ownedData = ownedData;
        DataDirectory = dataDirectory;
        Address = address;
        StartupLineText = listening.Value;
        Endpoint = listening.Groups["http"].Value;
        Port = new Uri(Endpoint).Port;
        trackerPort = PortOrOff(listening.Groups["tracker"].Value);
        peerPort = PortOrOff(listening.Groups["peer"].Value);
    }

    public string DataDirectory { get; }

    /// <summary>The address the S3 API, tracker and seeder listen on.</summary>
    public IPAddress Address { get; }

    /// <summary>The S3 API's URL, as the start-up line gives it.</summary>
    public string Endpoint { get; }

    /// <summary>The S3 API's port.</summary>
    public int Port { get; }

    /// <summary>The tracker's port (HTTP and UDP); throws when the server runs without a tracker.</summary>
    public int TrackerPort => trackerPort ?? throw new InvalidOperationException("This server runs without a tracker (--tracker-port off).");

    /// <summary>The seeder's port; throws when the server runs without a seeder.</summary>
    public int PeerPort => peerPort ?? throw new InvalidOperationException("This server runs without a seeder (--peer-port off).");

    public bool HasTracker => trackerPort is not null;

    public bool HasSeeder => peerPort is not null;

    /// <summary>The start-up line the ports were read from.</summary>
    public string StartupLineText { get; }

    public string AccessKey => TestAccessKey;

    public string SecretKey => TestSecretKey;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything the server wrote to stdout and stderr so far, line by line.</summary>
    public string Output => process.Output;

    /// <summary>Starts a server; with <paramref name="dataDirectory"/> null it uses (and later deletes) a temp dir.</summary>
    public static Task<PeerbucketServer> StartAsync(string? dataDirectory = null, params string[] extraArguments) =>
        LaunchAsync(new ServerLaunch { DataDirectory = dataDirectory, Arguments = extraArguments });

    /// <summary>Starts a server as <paramref name="launch"/> says: its address, extra environment and arguments (which
    /// may set <c>--http</c>, <c>--tracker-port</c> or <c>--peer-port</c> themselves).</summary>
    public static async Task<PeerbucketServer> LaunchAsync(ServerLaunch launch)
    {
        var owned = launch.DataDirectory is null ? new TempDirectory("pb-data") : null;
        var dataDirectory = launch.DataDirectory ?? owned!.Path;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await StartOnceAsync(launch, dataDirectory, owned);
                }
                catch (ServerExitedException error) when (attempt < Attempts && error.AddressInUse)
                {
                    // The UDP tracker's or the seeder's reserved port is free for a moment while the server hands it
                    // to its listener; another program took it then. Very rare: start again on other free ports.
                }
            }
        }
        catch (Exception)
        {
            owned?.Dispose();
            throw;
        }
    }

    private static async Task<PeerbucketServer> StartOnceAsync(ServerLaunch launch, string dataDirectory, TempDirectory? owned)
    {
        var extra = launch.Arguments;
        var host = launch.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{launch.Address}]" : launch.Address.ToString();
        string[] defaults =
        [
            .. extra.Contains("--http") ? [] : (string[])["--http", $"http://{host}:0"],
            .. extra.Contains("--tracker-port") ? [] : (string[])["--tracker-port", "off"],
            .. extra.Contains("--peer-port") ? [] : (string[])["--peer-port", "0"],
        ];
        var environment = new Dictionary<string, string?>
        {
            ["PEERBUCKET_ACCESS_KEY"] = TestAccessKey,
            ["PEERBUCKET_SECRET_KEY"] = TestSecretKey,
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (name, value) in launch.Environment)
        {
            environment[name] = value;
        }

        var process = ToolProcess.Start(Paths.DotnetHost, [Paths.ServerAssembly, "serve", "--data", dataDirectory, .. defaults, .. extra],
            environment, workingDirectory: dataDirectory, maxOutputChars: 4_000_000);
        var line = await process.WaitForLineAsync(l => l.StartsWith("Listening: ", StringComparison.Ordinal), StartTimeout);
        var listening = line is null ? null : StartupLine.Match(line);
        if (listening is { Success: true })
        {
            return new PeerbucketServer(process, dataDirectory, owned, launch.Address, listening);
        }

        var exited = await process.WaitForExitAsync(TimeSpan.FromSeconds(2));
        await process.DisposeAsync();
        var what = line is not null ? $"printed an unexpected start-up line: {line}"
            : exited ? $"exited with {process.ExitCode} before its start-up line"
            : $"printed no start-up line within {StartTimeout.TotalSeconds} s and was killed";
        var message = $"`{process.CommandLine}` {what}\n{process.Output}";
        throw exited && line is null ? new ServerExitedException(message) : new XunitException(message);
    }

    public AmazonS3Client CreateClient(string? secretKey = null, bool forcePathStyle = true, string? accessKey = null) =>
        new(new BasicAWSCredentials(accessKey ?? AccessKey, secretKey ?? SecretKey), new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = forcePathStyle,
            AuthenticationRegion = "us-east-1",
            UseHttp = true,
            Timeout = TimeSpan.FromSeconds(60),
            MaxErrorRetry = 0,
        });

    /// <summary>SIGKILL to the server alone: the crash case. The data directory is kept for a restart.</summary>
    public async Task KillAsync()
    {
        killed = true;
        await process.KillAsync(entireProcessTree: false);
    }

    /// <summary>Sends SIGTERM without waiting for the exit.</summary>
    public Task SendTerminateAsync() => process.TerminateAsync();

    /// <summary>SIGTERM, then waits for the drain; kills the process if it does not exit in time (returns -1 then).</summary>
    public Task<int> StopAsync() => process.StopAsync(StopTimeout);

    /// <summary>The console line the server logs an InternalError under (S3Endpoint.InternalErrorEvent).</summary>
    private const string InternalErrorLine = "fail: Peerbucket.S3.Http.S3Endpoint[500]";

    /// <summary>Stops the server; throws (failing the test or fixture that owns it) when it answered any request with
    /// InternalError: an unexpected exception is a bug whatever the test checked.</summary>
    public async ValueTask DisposeAsync()
    {
        var exitedEarly = process.HasExited && !process.Terminated;
        var exitCode = await StopAsync();
        var internalErrors = Output.Contains(InternalErrorLine, StringComparison.Ordinal);
        if ((!killed && (exitedEarly || exitCode != 0)) || internalErrors)
        {
            var logs = Path.Combine(AppContext.BaseDirectory, "server-logs");
            Directory.CreateDirectory(logs);
            await File.WriteAllTextAsync(Path.Combine(logs, $"server-{Port}.log"),
                $"exit code {exitCode}{(exitedEarly ? " (exited before it was stopped)" : "")}\n{Output}");
        }

        await process.DisposeAsync();
        ownedData?.Dispose();
        if (internalErrors)
        {
            var at = Output.IndexOf(InternalErrorLine, StringComparison.Ordinal);
            throw new XunitException($"The server on port {Port} answered a request with InternalError (log in server-logs/server-{Port}.log):\n"
                + Output[at..Math.Min(Output.Length, at + 4000)]);
        }
    }

    private static int? PortOrOff(string text) => text == "off" ? null : int.Parse(text, CultureInfo.InvariantCulture);

    private sealed class ServerExitedException(string message) : XunitException(message)
    {
        public bool AddressInUse => Message.Contains("Address already in use", StringComparison.Ordinal);
    }
}
