using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// transmission-cli 3.00 as a one-shot downloader. It never exits by itself (it seeds after the download), so a
/// finish script (-f) writes DONE with the info-hash and sends SIGINT to its parent, transmission-cli, which then
/// stops cleanly and exits 0. Its own config dir (-g) holds a settings.json with DHT, LPD, PEX, uTP, port mapping,
/// RPC and blocklists off and encryption tolerated (the store's seeder speaks plain BitTorrent; -er would refuse it).
/// </summary>
public static class Transmission
{
    public sealed record Download(ToolResult Result, bool Finished, string? InfoHash, string Directory);

    /// <summary>Downloads <paramref name="torrent"/> into WORK/download, bound to <paramref name="bindAddress"/>, inside
    /// <paramref name="networkNamespace"/> when given (`ip netns exec`); killed at <paramref name="timeout"/>.</summary>
    public static async Task<Download> DownloadAsync(string torrent, string workDirectory, IPAddress bindAddress, TimeSpan timeout,
        string? networkNamespace = null)
    {
        var config = Path.Combine(workDirectory, "config");
        var download = Path.Combine(workDirectory, "download");
        var done = Path.Combine(workDirectory, "DONE");
        Directory.CreateDirectory(config);
        Directory.CreateDirectory(download);
        var settings = new Dictionary<string, object>
        {
            ["dht-enabled"] = false,
            ["lpd-enabled"] = false,
            ["pex-enabled"] = false,
            ["utp-enabled"] = false,
            ["port-forwarding-enabled"] = false,
            ["rpc-enabled"] = false,
            ["blocklist-enabled"] = false,
            ["watch-dir-enabled"] = false,
            ["incomplete-dir-enabled"] = false,
            ["encryption"] = 0,
            ["bind-address-ipv4"] = bindAddress.ToString(),
            ["bind-address-ipv6"] = "::1",
            // It only dials out (to the seeder, or the web seed): any port will do, and transmission picks one.
            ["peer-port-random-on-start"] = true,
            ["download-dir"] = download,
            ["start-added-torrents"] = true,
        };
        await File.WriteAllTextAsync(Path.Combine(config, "settings.json"), JsonSerializer.Serialize(settings));
        var script = Path.Combine(workDirectory, "finished.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho \"$TR_TORRENT_HASH\" > '{done}'\nkill -INT $PPID\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string[] command = ["transmission-cli", "-g", config, "-w", download, "-M", "-et", "-f", script, torrent];
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = workDirectory,
            ["http_proxy"] = null,
            ["https_proxy"] = null,
            ["HTTP_PROXY"] = null,
            ["ALL_PROXY"] = null,
            ["all_proxy"] = null,
        };
        var result = networkNamespace is null
            ? await Tool.RunAsync(command[0], command[1..], environment, workDirectory, timeout: timeout)
            : await Tool.RunAsync("ip", ["netns", "exec", networkNamespace, .. command], environment, workDirectory, timeout: timeout);
        var finished = File.Exists(done);
        var hash = finished ? (await File.ReadAllTextAsync(done)).Trim().ToLower(CultureInfo.InvariantCulture) : null;
        return new Download(result, finished, hash, download);
    }
}
