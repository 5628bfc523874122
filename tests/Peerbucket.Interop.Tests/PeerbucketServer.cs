using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Xunit.Sdk;

namespace Peerbucket.Interop.Tests;

/// <summary>One running `dotnet Peerbucket.dll serve` on a free port (loopback unless launched on another address), with its
/// output kept for diagnostics.</summary>
public sealed class PeerbucketServer : IAsyncDisposable
{
    public const string TestAccessKey = "PBINTEROPTESTKEY0001";
    public const string TestSecretKey = "interop/Test+Secret0123456789abcdefghijklm";
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly bool ownsDataDirectory;
    private bool killed;

    private PeerbucketServer(Process process, string dataDirectory, IPAddress address, int port, bool ownsDataDirectory)
    {
        this.process = process;
        DataDirectory = dataDirectory;
        Address = address;
        Port = port;
        this.ownsDataDirectory = ownsDataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>The address the S3 API, tracker and seeder listen on.</summary>
    public IPAddress Address { get; }

    public int Port { get; }

    public string Endpoint => $"http://{Address}:{Port}";

    public string AccessKey => TestAccessKey;

    public string SecretKey => TestSecretKey;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts a server on a new port; with <paramref name="dataDirectory"/> null it uses (and later deletes) a temp dir.</summary>
    public static Task<PeerbucketServer> StartAsync(string? dataDirectory = null, params string[] extraArguments) =>
        LaunchAsync(new ServerLaunch { DataDirectory = dataDirectory, Arguments = extraArguments });

    /// <summary>Starts a server as <paramref name="launch"/> says: its address, extra environment and arguments.</summary>
    public static async Task<PeerbucketServer> LaunchAsync(ServerLaunch launch)
    {
        var owns = launch.DataDirectory is null;
        var dataDirectory = launch.DataDirectory ?? Files.CreateTempDirectory("pb-data");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(launch, dataDirectory, owns);
            }
            catch (ServerExitedException) when (attempt < 3)
            {
                // most likely the free port was taken between probing and binding: try another one
            }
        }
    }

    private static async Task<PeerbucketServer> StartOnceAsync(ServerLaunch launch, string dataDirectory, bool owns)
    {
        var extraArguments = launch.Arguments;
        var port = FreeTcpPort();
        var start = new ProcessStartInfo(Paths.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        // Tracker and seeder ports default to off / a free port so servers never collide; callers may set them.
        string[] defaults =
        [
            .. extraArguments.Contains("--tracker-port") ? [] : (string[])["--tracker-port", "0"],
            .. extraArguments.Contains("--peer-port") ? [] : (string[])["--peer-port", FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
        ];
        foreach (var argument in (string[])[Paths.ServerAssembly, "serve", "--data", dataDirectory, "--http", $"http://{launch.Address}:{port}",
                     .. defaults, .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PEERBUCKET_ACCESS_KEY"] = TestAccessKey;
        start.Environment["PEERBUCKET_SECRET_KEY"] = TestSecretKey;
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in launch.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new PeerbucketServer(process, dataDirectory, launch.Address, port, owns);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        await server.WaitForHealthAsync();
        return server;
    }

    public AmazonS3Client CreateClient(string? secretKey = null, bool forcePathStyle = true) =>
        new(new BasicAWSCredentials(AccessKey, secretKey ?? SecretKey), new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = forcePathStyle,
            AuthenticationRegion = "us-east-1",
            UseHttp = true,
            Timeout = TimeSpan.FromSeconds(60),
            MaxErrorRetry = 0,
        });

    /// <summary>SIGKILL: the crash case. The data directory is kept for a restart.</summary>
    public async Task KillAsync()
    {
        killed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM without waiting for the exit.</summary>
    public async Task SendTerminateAsync()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, then waits for the drain; kills the process if it does not exit in time (returns -1 then).</summary>
    public async Task<int> StopAsync()
    {
        await SendTerminateAsync();
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return -1;
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        var exitedEarly = process.HasExited;
        var exitCode = await StopAsync();
        if (!killed && (exitedEarly || exitCode != 0))
        {
            var logs = Path.Combine(AppContext.BaseDirectory, "server-logs");
            Directory.CreateDirectory(logs);
            await File.WriteAllTextAsync(Path.Combine(logs, $"server-{Port}.log"),
                $"exit code {exitCode}{(exitedEarly ? " (exited before it was stopped)" : "")}\n{Output}");
        }

        process.Dispose();
        if (ownsDataDirectory)
        {
            Files.DeleteDirectory(DataDirectory);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 1_000_000)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task WaitForHealthAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < HealthTimeout)
        {
            if (process.HasExited)
            {
                throw new ServerExitedException($"server exited with {process.ExitCode} before /_health answered:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync($"{Endpoint}/_health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new XunitException($"server did not answer /_health within {HealthTimeout.TotalSeconds} s:\n{Output}");
    }

    private sealed class ServerExitedException(string message) : XunitException(message);

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
