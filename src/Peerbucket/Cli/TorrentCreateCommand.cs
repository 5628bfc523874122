using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Peerbucket.Protocols.Metainfo;
using Spectre.Console;

namespace Peerbucket.Cli;

/// <summary>
/// `peerbucket torrent create FILE`: hashes a file with the same piece hashing (<see cref="PieceHasher"/>, which
/// gives what the server's <see cref="TorrentHasher"/> gives) and <see cref="PieceLengthRule"/> as the server, so the
/// same bytes, name and piece length give the same info-hash. Only the hashes the format needs are computed, one
/// whole piece per core at a time.
/// </summary>
internal static class TorrentCreateCommand
{
    /// <summary>Piece bytes held at once across the hashing workers (at least one piece).</summary>
    private const long MaxBufferedBytes = 64L * 1024 * 1024;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The file to describe." };
        file.AcceptExistingOnly();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the .torrent (default: <name>.torrent)." };
        var pieceLength = new Option<string?>("--piece-length", "-l")
        {
            Description = "Piece length in bytes (suffix K or M allowed): a power of two from 16K to 256M. Default: the server's rule.",
        };
        var format = new Option<string>("--format", "-f") { Description = "Torrent format (v1 by default, like the server: Transmission 3 and aria2 1.36 cannot read hybrids).", DefaultValueFactory = _ => "v1" };
        format.AcceptOnlyFromAmong("v1", "v2", "hybrid");
        var name = new Option<string?>("--name", "-n") { Description = "Name inside the torrent (default: the file name)." };
        var announce = new Option<string[]>("--announce", "-a")
        {
            Description = "Tracker URL; repeat for backup trackers (one tier each).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var webSeed = new Option<string[]>("--web-seed", "-w") { Description = "Web seed URL (BEP 19); repeatable.", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("create", "Create a single-file .torrent (v1, v2 or hybrid).");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(pieceLength);
        command.Options.Add(format);
        command.Options.Add(name);
        command.Options.Add(announce);
        command.Options.Add(webSeed);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var input = parseResult.GetValue(file)!;
            var torrentName = parseResult.GetValue(name) ?? input.Name;
            var formatValue = parseResult.GetValue(format) switch
            {
                "v1" => TorrentFormat.V1,
                "v2" => TorrentFormat.V2,
                _ => TorrentFormat.Hybrid,
            };
            long chosen;
            if (parseResult.GetValue(pieceLength) is { } text)
            {
                if (!TryParseSize(text, out chosen) || !PieceLengthRule.IsValid(chosen))
                {
                    return TorrentCliOutput.Fail($"Invalid piece length '{text}': use a power of two from 16K to 256M.");
                }
            }
            else
            {
                chosen = PieceLengthRule.Choose(input.Length);
            }

            if (input.Length == 0)
            {
                return TorrentCliOutput.Fail("The file is empty; BitTorrent clients do not accept empty torrents.");
            }

            var trackers = parseResult.GetValue(announce) ?? [];
            var options = new TorrentOptions
            {
                AnnounceList = [.. trackers.Select(url => (IReadOnlyList<string>)[url])],
                UrlList = parseResult.GetValue(webSeed) ?? [],
                CreationDate = DateTimeOffset.UtcNow,
                CreatedBy = "Peerbucket",
            };

            TorrentFacts facts;
            try
            {
                facts = await HashFileAsync(input, chosen, formatValue, cancellationToken);
            }
            catch (IOException e)
            {
                return TorrentCliOutput.Fail($"Cannot read {input.FullName}: {e.Message}");
            }

            byte[] torrent;
            try
            {
                torrent = TorrentBuilder.BuildTorrent(facts, formatValue, Encoding.UTF8.GetBytes(torrentName), options);
            }
            catch (ArgumentException e)
            {
                return TorrentCliOutput.Fail(e.Message);
            }

            var path = parseResult.GetValue(output)?.FullName ?? Path.GetFullPath(torrentName + ".torrent");
            await File.WriteAllBytesAsync(path, torrent, cancellationToken);
            TorrentShowCommand.Print(TorrentFile.Parse(torrent));
            TorrentCliOutput.Field("Written", path);
            return 0;
        });
        return command;
    }

    /// <summary>Parses "262144", "256K", "256KiB", "1M", "1MiB".</summary>
    internal static bool TryParseSize(string text, out long bytes)
    {
        var s = text.Trim();
        long multiplier = 1;
        if (s.EndsWith("iB", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^2];
        }

        if (s.EndsWith('K') || s.EndsWith('k'))
        {
            multiplier = 1024;
            s = s[..^1];
        }
        else if (s.EndsWith('M') || s.EndsWith('m'))
        {
            multiplier = 1024 * 1024;
            s = s[..^1];
        }

        bytes = 0;
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = value * multiplier;
        return true;
    }

    private static async Task<TorrentFacts> HashFileAsync(FileInfo input, long pieceLength, TorrentFormat format, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (Console.IsOutputRedirected)
        {
            return await HashAsync(handle, length, pieceLength, format, _ => { }, cancellationToken);
        }

        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(input.Name), maxValue: Math.Max(1, length));
                var gate = new Lock();
                return await HashAsync(handle, length, pieceLength, format, read =>
                {
                    lock (gate)
                    {
                        task.Increment(read);
                    }
                }, cancellationToken);
            });
    }

    /// <summary>
    /// Hashes the first <paramref name="length"/> bytes on up to one worker per core (fewer for pieces so large that
    /// <see cref="MaxBufferedBytes"/> holds fewer): each worker takes the next piece in file order, reads it whole and
    /// hashes it, so reading overlaps hashing. The CLI is one job on the machine; the server hashes on its request's thread.
    /// </summary>
    private static async Task<TorrentFacts> HashAsync(
        SafeFileHandle handle, long length, long pieceLength, TorrentFormat format, Action<int> progress, CancellationToken cancellationToken)
    {
        var hasher = new PieceHasher(length, pieceLength, format);
        var workers = (int)Math.Clamp(MaxBufferedBytes / pieceLength, 1, Math.Max(1, Math.Min(Environment.ProcessorCount, hasher.PieceCount)));
        var next = -1;
        void Work()
        {
            var buffer = new byte[Math.Min(pieceLength, length)];
            int index;
            while ((index = Interlocked.Increment(ref next)) < hasher.PieceCount)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var piece = buffer.AsSpan(0, hasher.PieceSize(index));
                ReadExactly(handle, piece, hasher.PieceOffset(index));
                hasher.HashPiece(index, piece);
                progress(piece.Length);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Work, cancellationToken)));
        return hasher.Finish();
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new IOException("The file became shorter while it was being hashed.");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
