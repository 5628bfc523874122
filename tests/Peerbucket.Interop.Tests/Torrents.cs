using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>Helpers for the torrent tests: publish objects, fetch their .torrent, and let libtorrent check them.</summary>
public static class Torrents
{
    public const string Python = "/usr/bin/python3";

    public static string ScriptPath(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Peerbucket.Interop.Tests", "py", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"py/{name} not found above {AppContext.BaseDirectory}");
    }

    public static async Task PutPublicAsync(AmazonS3Client client, string bucket, string key, byte[] data) =>
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = new MemoryStream(data),
            CannedACL = S3CannedACL.PublicRead,
        });

    /// <summary>The content-addressed web seed of a torrent: /_seed/{v1 hex, else truncated v2 hex}/{escaped name}.</summary>
    public static string WebSeedUrl(PeerbucketServer server, TorrentFile torrent) =>
        $"{server.Endpoint}{WebSeedPath(torrent)}";

    public static string WebSeedPath(TorrentFile torrent) => WebSeedPrefix(torrent) + Uri.EscapeDataString(torrent.DisplayName);

    /// <summary>/_seed/{hash}/: what every web-seed request of the torrent starts with.</summary>
    public static string WebSeedPrefix(TorrentFile torrent) =>
        $"/_seed/{torrent.InfoHashes.V1Hex ?? Convert.ToHexStringLower(torrent.InfoHashes.V2Truncated.Span)}/";

    public static string ObjectUrl(PeerbucketServer server, string bucket, string key) =>
        $"{server.Endpoint}/{bucket}/{string.Join('/', key.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>Anonymous GET ?torrent (with a format when given) into a file; asserts 200 and returns the parsed torrent.</summary>
    /// <summary>Starts a libtorrent download of <paramref name="torrent"/> into <paramref name="save"/> (created) with
    /// the torrent's trackers and web seeds, capped at <paramref name="downloadRate"/> bytes/s, bound to
    /// <paramref name="bind"/> (download.py, 120 s of patience); its last stdout line is its JSON status.</summary>
    public static Task<ToolResult> StartLibtorrentPeer(string torrent, string save, long downloadRate, string bind)
    {
        Directory.CreateDirectory(save);
        return Tool.RunAsync(Python,
            [ScriptPath("download.py"), torrent, save, "--keep-trackers", "--web-seeds", "--timeout", "120",
                "--download-rate", downloadRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", bind],
            timeout: TimeSpan.FromSeconds(150));
    }

    public static async Task<(string Path, TorrentFile Torrent)> FetchAsync(PeerbucketServer server, string bucket, string key, string directory, string? format = null)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.torrent");
        var url = ObjectUrl(server, bucket, key) + "?torrent" + (format is null ? "" : "&format=" + format);
        Assert.Equal(200, await Curl.GetAsync(url, path));
        return (path, TorrentFile.Parse(File.ReadAllBytes(path)));
    }

    public sealed record Check(string Torrent, bool Checked, string? V1, string? V2, int Pieces, int Verified, long PieceLength, string Name, double Progress, string[] WebSeeds);

    /// <summary>libtorrent hash-checks each torrent against the file in its directory (no network).</summary>
    public static async Task<IReadOnlyList<Check>> LibtorrentCheckAsync(IEnumerable<(string Torrent, string SaveDirectory)> pairs)
    {
        var arguments = new List<string> { ScriptPath("check_torrents.py") };
        foreach (var (torrent, save) in pairs)
        {
            arguments.Add(torrent);
            arguments.Add(save);
        }

        var result = await Tool.RunCheckedAsync(Python, arguments);
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<Check>(line, options)!).ToList();
    }
}
