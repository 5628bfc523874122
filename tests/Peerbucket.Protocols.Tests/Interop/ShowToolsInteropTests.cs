using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.Tests.Metainfo;

namespace Peerbucket.Protocols.Tests.Interop;

public sealed class ShowToolsInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static (string Path, string V1Hex) Write(TempDirectory dir, TorrentFormat format)
    {
        var facts = TorrentHasherTests.Hash(TorrentHasherTests.Data(200_000), 32 * 1024, 1 << 20);
        var path = dir.Combine("t.torrent");
        File.WriteAllBytes(path, TorrentBuilder.BuildTorrent(facts, format, "shown.bin"u8, new TorrentOptions { Announce = "http://127.0.0.1:1/announce" }));
        return (path, InfoHashes.Compute(TorrentBuilder.BuildInfo("shown.bin"u8, facts, format), format).V1Hex!);
    }

    /// <remarks>Transmission 3.00 (Debian/Ubuntu) predates BitTorrent v2 and rejects hybrid torrents, libtorrent's too.</remarks>
    [RequiresToolFact("transmission-show")]
    public async Task TransmissionShowReportsOurV1InfoHash()
    {
        using var dir = new TempDirectory("pb-proto");
        var (path, v1) = Write(dir, TorrentFormat.V1);
        var stdout = (await Tool.RunCheckedAsync("transmission-show", [path], timeout: Timeout)).Stdout;
        Assert.Contains($"Hash: {v1}", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("shown.bin", stdout, StringComparison.Ordinal);
    }

    /// <remarks>
    /// aria2 1.36 re-encodes <c>info</c> and reports a different v1 hash for any hybrid torrent (libtorrent's too),
    /// so only v1 is checked here.
    /// </remarks>
    [RequiresToolFact("aria2c")]
    public async Task Aria2ShowReportsOurV1InfoHash()
    {
        using var dir = new TempDirectory("pb-proto");
        var (path, v1) = Write(dir, TorrentFormat.V1);
        var stdout = (await Tool.RunCheckedAsync("aria2c", ["-S", path], timeout: Timeout)).Stdout;
        Assert.True(stdout.Contains($"Info Hash: {v1}", StringComparison.OrdinalIgnoreCase), stdout);
        Assert.Contains("The Number of Pieces: 7", stdout, StringComparison.Ordinal);
    }
}
