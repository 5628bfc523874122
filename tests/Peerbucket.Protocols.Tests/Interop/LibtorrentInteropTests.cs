using System.Text;
using System.Text.Json;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.Tests.Metainfo;

namespace Peerbucket.Protocols.Tests.Interop;

public sealed class LibtorrentInteropTests
{
    private const string Python = "/usr/bin/python3";
    private const string PythonLibtorrent = "/usr/bin/python3:libtorrent";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private const string CreateScript = """
        import sys, os, libtorrent as lt
        path, piece_size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        fs = lt.file_storage()
        lt.add_files(fs, path)
        t = lt.create_torrent(fs, piece_size)
        lt.set_piece_hashes(t, os.path.dirname(path))
        data = lt.bencode(t.generate())
        open(out, 'wb').write(data)
        ih = lt.torrent_info(data).info_hashes()
        print(str(ih.v1), str(ih.v2))
        """;

    private const string LoadScript = """
        import sys, json, libtorrent as lt
        ti = lt.torrent_info(sys.argv[1])
        ih = ti.info_hashes()
        fs = ti.files()
        v1 = ih.has_v1()
        print(json.dumps({
            "v1": str(ih.v1) if v1 else "",
            "v2": str(ih.v2) if ih.has_v2() else "",
            "name": ti.name(),
            "size": fs.file_size(0),
            "pieceLength": ti.piece_length(),
            "pieces": ti.num_pieces(),
            "files": sum(1 for i in range(fs.num_files()) if not fs.file_flags(i) & lt.file_storage.flag_pad_file),
            "root": str(fs.root(0)) if ih.has_v2() else "",
            "sha1": [bytes(ti.hash_for_piece(i)).hex() for i in range(ti.num_pieces())] if v1 else [],
        }))
        """;

    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 16 * 1024 },
        { 16 * 1024, 16 * 1024 },
        { (16 * 1024) + 1, 16 * 1024 },
        { 32 * 1024, 32 * 1024 },
        { 100_000, 32 * 1024 },
        { 1_000_003, 64 * 1024 },
        { (5 * 64 * 1024) + (16 * 1024), 64 * 1024 },
    };

    [RequiresToolTheory(PythonLibtorrent)]
    [MemberData(nameof(Sizes))]
    public async Task HybridTorrentHasTheSameInfoHashesAsLibtorrent(int size, int pieceLength)
    {
        using var dir = new TempDirectory("pb-proto");
        const string name = "object.bin";
        var data = TorrentHasherTests.Data(size, seed: size + 1);
        File.WriteAllBytes(dir.Combine(name), data);
        var output = (await Tool.RunCheckedAsync(
            Python,
            ["-c", CreateScript, dir.Combine(name), pieceLength.ToString(System.Globalization.CultureInfo.InvariantCulture), dir.Combine("lt.torrent")],
            timeout: Timeout)).Stdout.Split(' ', StringSplitOptions.TrimEntries);

        var facts = TorrentHasherTests.Hash(data, pieceLength, 7919);
        var ours = InfoHashes.Compute(TorrentBuilder.BuildInfo("object.bin"u8, facts, TorrentFormat.Hybrid), TorrentFormat.Hybrid);
        Assert.Equal(output[0], ours.V1Hex);
        Assert.Equal(output[1], ours.V2Hex);

        var theirs = TorrentFile.Parse(File.ReadAllBytes(dir.Combine("lt.torrent")));
        Assert.Equal(TorrentFormat.Hybrid, theirs.Format);
        Assert.Equal(ours.V1Hex, theirs.InfoHashes.V1Hex);
        Assert.Equal(ours.V2Hex, theirs.InfoHashes.V2Hex);
        Assert.Equal(facts.PieceLayer.ToArray(), theirs.PieceLayer.ToArray());
    }

    [RequiresToolTheory(PythonLibtorrent)]
    [InlineData(TorrentFormat.V1, 100_000, 32 * 1024)]
    [InlineData(TorrentFormat.V2, 100_000, 32 * 1024)]
    [InlineData(TorrentFormat.Hybrid, 100_000, 32 * 1024)]
    [InlineData(TorrentFormat.V2, 1, 16 * 1024)]
    [InlineData(TorrentFormat.Hybrid, 32 * 1024, 32 * 1024)]
    [InlineData(TorrentFormat.Hybrid, 2_500_001, 256 * 1024)]
    public async Task LibtorrentLoadsOurTorrentWithMatchingHashes(TorrentFormat format, int size, int pieceLength)
    {
        using var dir = new TempDirectory("pb-proto");
        var data = TorrentHasherTests.Data(size, seed: size + 2);
        var facts = TorrentHasherTests.Hash(data, pieceLength, 1 << 20);
        var name = "ours é.bin";
        var torrent = TorrentBuilder.BuildTorrent(facts, format, Encoding.UTF8.GetBytes(name), new TorrentOptions
        {
            AnnounceList = [["http://127.0.0.1:1/announce"]],
            UrlList = ["http://127.0.0.1:1/bucket/ours"],
        });
        File.WriteAllBytes(dir.Combine("ours.torrent"), torrent);
        var json = (await Tool.RunCheckedAsync(Python, ["-c", LoadScript, dir.Combine("ours.torrent")], timeout: Timeout)).Stdout;

        using var doc = JsonDocument.Parse(json);
        var lt = doc.RootElement;
        var hashes = InfoHashes.Compute(TorrentBuilder.BuildInfo(Encoding.UTF8.GetBytes(name), facts, format), format);
        Assert.Equal(hashes.V1Hex ?? string.Empty, lt.GetProperty("v1").GetString());
        Assert.Equal(hashes.V2Hex ?? string.Empty, lt.GetProperty("v2").GetString());
        Assert.Equal(name, lt.GetProperty("name").GetString());
        Assert.Equal(size, lt.GetProperty("size").GetInt64());
        Assert.Equal(pieceLength, lt.GetProperty("pieceLength").GetInt64());
        Assert.Equal(facts.PieceCount, lt.GetProperty("pieces").GetInt32());
        Assert.Equal(1, lt.GetProperty("files").GetInt32());
        if (format != TorrentFormat.V1)
        {
            Assert.Equal(Convert.ToHexStringLower(facts.PiecesRoot.Span), lt.GetProperty("root").GetString());
        }

        if (format != TorrentFormat.V2)
        {
            var sha1 = lt.GetProperty("sha1").EnumerateArray().Select(e => e.GetString()).ToArray();
            var expected = facts.Sha1Pieces.ToArray().Chunk(20).Select(Convert.ToHexStringLower).ToArray();
            Assert.Equal(expected, sha1);
        }
    }
}
