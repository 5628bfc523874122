using System.Text.Json;

namespace Peerbucket.Interop.Tests;

/// <summary>py/raw_peer.py: a plain-socket BitTorrent peer that probes handshakes and misbehaves on purpose.</summary>
public static class RawPeer
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One handshake probe: whether a handshake for the same info-hash came back, and whether the server
    /// closed the socket (within 5 s).</summary>
    public sealed record Probe(string InfoHash, string Local, bool Reply, bool Closed, int Bytes, double? Seconds);

    /// <summary>What one misbehaving connection saw. <see cref="Received"/> holds message ids after the bad act
    /// (null for a keep-alive); <see cref="ServedAfter"/> is null unless the behaviour is one to be tolerated.</summary>
    public sealed record Misbehaviour(string Behaviour, string? Local, bool Greeted, bool Closed, double? Seconds,
        int?[] Received, bool? ServedAfter, string? Error);

    /// <summary>Handshakes with each info-hash (one connection each, one after another).</summary>
    public static async Task<IReadOnlyDictionary<string, Probe>> HandshakeAsync(string peer, params string[] infoHashes)
    {
        var result = await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("raw_peer.py"), "handshake", peer, .. infoHashes],
            timeout: TimeSpan.FromSeconds(30 + (10 * infoHashes.Length)));
        return Lines<Probe>(result.Stdout).ToDictionary(p => p.InfoHash, StringComparer.Ordinal);
    }

    /// <summary>Runs every misbehaviour at once, each on its own connection; returns them by name.</summary>
    public static async Task<(ToolResult Run, IReadOnlyDictionary<string, Misbehaviour> Results)> MisbehaveAsync(
        string peer, string infoHash, string dataFile, long pieceLength)
    {
        var result = await Tool.RunAsync(Torrents.Python,
            [Torrents.ScriptPath("raw_peer.py"), "misbehave", peer, "--info-hash", infoHash, "--data", dataFile,
                "--piece-length", pieceLength.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(110));
        return (result, Lines<Misbehaviour>(result.Stdout).ToDictionary(m => m.Behaviour, StringComparer.Ordinal));
    }

    /// <summary>What the idle connections of <see cref="StartHogAsync"/> saw.</summary>
    public sealed record Hog(int Connections, int Unchoked, int Closed);

    /// <summary>Opens <paramref name="connections"/> connections that say interested and never request, held for
    /// <paramref name="seconds"/>; returns once all are open, with the task that ends when they are closed.</summary>
    public static async Task<Task<(ToolResult Run, Hog? Result)>> StartHogAsync(string peer, string infoHash, int connections, int seconds, string readyFile)
    {
        var run = Tool.RunAsync(Torrents.Python,
            [Torrents.ScriptPath("raw_peer.py"), "hog", peer, "--info-hash", infoHash,
                "--connections", connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ready-file", readyFile],
            timeout: TimeSpan.FromSeconds(seconds + 30));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(readyFile) && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Finish(run);

        static async Task<(ToolResult, Hog?)> Finish(Task<ToolResult> run)
        {
            var result = await run;
            return (result, Lines<Hog>(result.Stdout).LastOrDefault());
        }
    }

    private static IEnumerable<T> Lines<T>(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<T>(line, Json)!);
}
