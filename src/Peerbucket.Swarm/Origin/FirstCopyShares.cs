using System.Runtime.InteropServices;

namespace Peerbucket.Swarm.Origin;

/// <summary>
/// Per downloader (address): how many pieces of one swarm it was the first to be given. A piece's first copy is what
/// the crowd trades on, so no downloader should hold much more than its share of them: a web seed answering whoever asks
/// first at full speed once gave one client of four half the object, and the crowd then waited on that client's upload.
/// Not thread-safe (the swarm's lock guards it).
/// </summary>
internal sealed class FirstCopyShares
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary><paramref name="address"/> was given the first copy of a piece.</summary>
    public void Took(string address) => CollectionsMarshal.GetValueRefOrAddDefault(_counts, address, out _)++;

    /// <summary>True when <paramref name="more"/> more first copies would give <paramref name="address"/> more than its
    /// share: <paramref name="pieceCount"/> over <paramref name="downloaders"/>, plus an eighth. Never with fewer than
    /// two downloaders.</summary>
    public bool WouldExceed(string address, int more, int pieceCount, int downloaders)
    {
        if (downloaders < 2)
        {
            return false;
        }

        var share = (pieceCount + downloaders - 1) / downloaders;
        return _counts.GetValueOrDefault(address) + more > share + ((share + 7) / 8);
    }
}
