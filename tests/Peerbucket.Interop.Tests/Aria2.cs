namespace Peerbucket.Interop.Tests;

/// <summary>aria2c as the tests run it: a one-shot download with DHT, LPD and PEX off, no IPv6, no seeding.</summary>
public static class Aria2
{
    public static string[] DownloadArguments(string directory, string torrent, int stopTimeoutSeconds = 60) =>
    [
        "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
        "--seed-time=0", "--file-allocation=none", "--summary-interval=0", "--disable-ipv6=true",
        $"--bt-stop-timeout={stopTimeoutSeconds}", "--dir=" + directory, torrent,
    ];
}
