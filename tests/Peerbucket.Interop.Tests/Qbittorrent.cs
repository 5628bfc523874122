using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// qbittorrent-nox as the tests run it: its own profile (DHT, LSD, PeX and UPnP off, loopback only, several
/// connections per address allowed), driven through its Web API with curl. Disposing kills its process tree.
/// </summary>
public sealed class Qbittorrent : IAsyncDisposable
{
    private readonly ToolProcess daemon;
    private readonly string api;

    private Qbittorrent(ToolProcess daemon, string api, string saveDirectory)
    {
        this.daemon = daemon;
        this.api = api;
        SaveDirectory = saveDirectory;
    }

    public string SaveDirectory { get; }

    public string Output => daemon.Output;

    /// <summary>Starts the daemon with a fresh profile under <paramref name="workDirectory"/> and waits for its Web API.</summary>
    public static async Task<Qbittorrent> StartAsync(string workDirectory)
    {
        var profile = Path.Combine(workDirectory, "profile");
        var save = Path.Combine(workDirectory, "save");
        Directory.CreateDirectory(save);
        // The Web UI port is probed: qBittorrent cannot be told to pick one and report it. Its peer port (Session\Port)
        // is 0, which libtorrent binds to a free port.
        var webPort = FreeLoopbackTcpPort();
        Files.Write(Path.Combine(profile, "qBittorrent", "config", "qBittorrent.conf"), System.Text.Encoding.UTF8.GetBytes($"""
            [LegalNotice]
            Accepted=true

            [BitTorrent]
            Session\DHTEnabled=false
            Session\LSDEnabled=false
            Session\PeXEnabled=false
            Session\Port=0
            Session\InterfaceAddress=127.0.0.1
            Session\MultiConnectionsPerIp=true
            Session\DefaultSavePath={save}

            [Preferences]
            Connection\UPnP=false
            WebUI\Address=127.0.0.1
            WebUI\Port={webPort}
            WebUI\LocalHostAuth=false
            WebUI\CSRFProtection=false
            WebUI\HostHeaderValidation=false
            """));
        // Its output is read all along (a full pipe would stall it).
        var daemon = ToolProcess.Start("qbittorrent-nox", [$"--profile={profile}"], new Dictionary<string, string?> { ["HOME"] = profile });
        var client = new Qbittorrent(daemon, $"http://127.0.0.1:{webPort}/api/v2", save);
        var up = false;
        for (var i = 0; i < 60 && !up && !daemon.HasExited; i++)
        {
            up = (await Tool.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", $"{client.api}/app/version"])).Stdout.Trim() == "200";
            if (!up)
            {
                await Task.Delay(500);
            }
        }

        if (!up)
        {
            var output = daemon.Output;
            await daemon.DisposeAsync();
            throw new Xunit.Sdk.XunitException($"qbittorrent-nox Web API never came up:\n{ToolResult.Tail(output)}");
        }

        return client;
    }

    public Task AddAsync(string torrent) =>
        Tool.RunCheckedAsync("curl", ["-sS", "-f", "-F", $"torrents=@{torrent}", "-F", $"savepath={SaveDirectory}", $"{api}/torrents/add"]);

    /// <summary>Polls until the (one) torrent is complete or <paramref name="timeout"/> passes; returns the last
    /// progress (1.0 when done) and the time it took.</summary>
    public async Task<(double Progress, TimeSpan Elapsed)> WaitForCompletionAsync(TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        double progress = 0;
        while (started.Elapsed < timeout && progress < 1)
        {
            await Task.Delay(250);
            var info = await Tool.RunCheckedAsync("curl", ["-sS", $"{api}/torrents/info"]);
            var list = JsonDocument.Parse(info.Stdout).RootElement;
            progress = list.GetArrayLength() == 1 ? list[0].GetProperty("progress").GetDouble() : 0;
        }

        return (progress, started.Elapsed);
    }

    public ValueTask DisposeAsync() => daemon.DisposeAsync();

    private static int FreeLoopbackTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
