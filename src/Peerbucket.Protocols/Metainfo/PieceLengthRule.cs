using System.Numerics;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>How Peerbucket (server and CLI alike) chooses a torrent's piece length.</summary>
public static class PieceLengthRule
{
    /// <summary>16 KiB: the BEP 52 block size and the smallest piece length allowed.</summary>
    public const int BlockSize = 16 * 1024;

    /// <summary>Smallest piece length <see cref="Choose"/> returns (16 KiB).</summary>
    public const long MinPieceLength = BlockSize;

    /// <summary>Largest piece length <see cref="Choose"/> returns (16 MiB).</summary>
    public const long MaxChosenPieceLength = 16L * 1024 * 1024;

    /// <summary>Largest piece length a caller may ask for (256 MiB).</summary>
    public const long MaxPieceLength = 256L * 1024 * 1024;

    /// <summary>Piece count <see cref="Choose"/> aims to stay at or under.</summary>
    public const long TargetPieceCount = 2000;

    /// <summary>Hard limit on pieces per torrent (keeps the per-piece arrays well under 2 GiB).</summary>
    public const long MaxPieceCount = 1L << 24;

    /// <summary>
    /// The piece length for an object of <paramref name="size"/> bytes: the smallest power of two that is
    /// &gt;= <c>ceil(size / 2000)</c>, clamped to [16 KiB, 16 MiB]. For sizes from 2000 × 16 KiB (~31 MiB) to
    /// 2000 × 16 MiB (~31 GiB) that gives 1,001–2,000 pieces; smaller objects get 16 KiB pieces (fewer pieces),
    /// larger ones 16 MiB pieces (at most 327,680 pieces for S3's 5 TiB object limit, far below 2,097,152).
    /// Callers may override it with any length accepted by <see cref="IsValid"/>.
    /// </summary>
    public static long Choose(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var target = (size + TargetPieceCount - 1) / TargetPieceCount;
        if (target <= MinPieceLength)
        {
            return MinPieceLength;
        }

        if (target >= MaxChosenPieceLength)
        {
            return MaxChosenPieceLength;
        }

        return (long)BitOperations.RoundUpToPowerOf2((ulong)target);
    }

    /// <summary>True for a power of two in [16 KiB, 256 MiB].</summary>
    public static bool IsValid(long pieceLength)
        => pieceLength is >= MinPieceLength and <= MaxPieceLength && BitOperations.IsPow2(pieceLength);

    /// <summary>Number of pieces for a file of <paramref name="length"/> bytes.</summary>
    public static long PieceCount(long length, long pieceLength) => (length / pieceLength) + (length % pieceLength == 0 ? 0 : 1);
}
