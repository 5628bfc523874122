using System.CommandLine;
using System.Globalization;
using Peerbucket.Protocols.Magnet;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Cli;

/// <summary>`peerbucket torrent show FILE.torrent`: name, size, pieces, info-hashes, trackers, web seeds, magnet.</summary>
internal static class TorrentShowCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("torrent") { Description = "The .torrent file to inspect." };
        file.AcceptExistingOnly();
        var command = new Command("show", "Show what a single-file .torrent (v1, v2 or hybrid) contains.");
        command.Arguments.Add(file);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            var bytes = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
            try
            {
                Print(TorrentFile.Parse(bytes));
                return 0;
            }
            catch (TorrentFileException e)
            {
                return TorrentCliOutput.Fail($"{path.Name}: {e.Message}");
            }
        });
        return command;
    }

    /// <summary>Prints one line per fact (plain text when redirected, so values can be piped).</summary>
    internal static void Print(TorrentFile torrent)
    {
        var trackers = torrent.AnnounceList.Count > 0
            ? torrent.AnnounceList.SelectMany(tier => tier).ToList()
            : torrent.Announce is { } announce ? [announce] : [];
        TorrentCliOutput.Field("Name", torrent.DisplayName);
        TorrentCliOutput.Field("Format", torrent.Format.ToString().ToLowerInvariant());
        TorrentCliOutput.Field("Size", $"{torrent.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        TorrentCliOutput.Field("Piece length", $"{torrent.PieceLength.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        TorrentCliOutput.Field("Pieces", torrent.PieceCount.ToString(CultureInfo.InvariantCulture));
        if (torrent.InfoHashes.HasV1)
        {
            TorrentCliOutput.Field("Info-hash v1", torrent.InfoHashes.V1Hex!);
        }

        if (torrent.InfoHashes.HasV2)
        {
            TorrentCliOutput.Field("Info-hash v2", torrent.InfoHashes.V2Hex!);
        }

        if (torrent.CreationDate is { } created)
        {
            TorrentCliOutput.Field("Created", created.ToString("u", CultureInfo.InvariantCulture));
        }

        for (var tier = 0; tier < torrent.AnnounceList.Count; tier++)
        {
            foreach (var url in torrent.AnnounceList[tier])
            {
                TorrentCliOutput.Field($"Tracker (tier {tier + 1})", url);
            }
        }

        if (torrent.AnnounceList.Count == 0 && torrent.Announce is not null)
        {
            TorrentCliOutput.Field("Tracker", torrent.Announce);
        }

        foreach (var url in torrent.UrlList)
        {
            TorrentCliOutput.Field("Web seed", url);
        }

        TorrentCliOutput.Field("Magnet", MagnetUri.Build(torrent.InfoHashes, torrent.DisplayName, torrent.Length, trackers, torrent.UrlList));
    }
}
