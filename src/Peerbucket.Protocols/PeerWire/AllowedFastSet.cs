using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// BEP 6's canonical allowed fast set: the pieces a peer at an IPv4 address may request while choked, derived from
/// its /24 network and the info-hash, so every seed gives a peer the same set (and a peer gains nothing by
/// reconnecting from a neighbouring address).
/// </summary>
public static class AllowedFastSet
{
    /// <summary>
    /// The first <paramref name="count"/> distinct piece indexes for <paramref name="ipv4"/> (4 bytes, network order)
    /// and <paramref name="infoHash"/> (20 bytes), in the order the algorithm yields them; every piece when the
    /// torrent has no more than <paramref name="count"/> pieces.
    /// </summary>
    public static int[] Compute(ReadOnlySpan<byte> ipv4, ReadOnlySpan<byte> infoHash, int pieceCount, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(ipv4.Length, 4);
        ArgumentOutOfRangeException.ThrowIfNotEqual(infoHash.Length, 20);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (pieceCount <= 0 || count == 0)
        {
            return [];
        }

        if (pieceCount <= count)
        {
            return Enumerable.Range(0, pieceCount).ToArray();
        }

        // x = (ip & 0xFFFFFF00) ++ infohash; then x = SHA1(x) and each of its five 32-bit words picks word % pieceCount.
        Span<byte> x = stackalloc byte[24];
        ipv4[..3].CopyTo(x);
        x[3] = 0;
        infoHash.CopyTo(x[4..]);
        Span<byte> digest = stackalloc byte[20];
        var set = new List<int>(count);
        SHA1.HashData(x, digest);
        while (true)
        {
            for (var word = 0; word < 5 && set.Count < count; word++)
            {
                var index = (int)(BinaryPrimitives.ReadUInt32BigEndian(digest[(word * 4)..]) % (uint)pieceCount);
                if (!set.Contains(index))
                {
                    set.Add(index);
                }
            }

            if (set.Count == count)
            {
                return [.. set];
            }

            SHA1.HashData(digest, digest);
        }
    }
}
