using System.Runtime.InteropServices;

namespace Peerbucket.Swarm.Origin;

/// <summary>
/// Per downloader (address): how many pieces of one swarm it was the first to be given. A piece's first copy is what
/// the crowd trades on, so no downloader should hold more than its share of them: a web seed answering whoever asks
/// first at full speed once gave one client of four half the object, and the crowd then waited on that client's upload;
/// with a slack of an eighth, three fast clients of four took 28 % each and the fourth, with 16 % to trade, finished
/// last. Not thread-safe (the swarm's lock guards it).
/// </summary>
internal sealed class FirstCopyShares(TimeProvider time)
{
    /// <summary>When no downloader took a first copy for this long while some are left, the share is lifted: the
    /// downloaders still under theirs are not taking them (the crowd was counted too high: a leecher that left without
    /// telling the tracker, several sessions from one address), and pieces must not wait on nobody.</summary>
    public static readonly TimeSpan Lull = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private long _lastTook = time.GetTimestamp();

    /// <summary><paramref name="address"/> was given (or promised) the first copy of a piece.</summary>
    public void Took(string address)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_counts, address, out _)++;
        _lastTook = time.GetTimestamp();
    }

    /// <summary>True when <paramref name="more"/> more first copies would give <paramref name="address"/> more than its
    /// share, <paramref name="pieceCount"/> over <paramref name="downloaders"/> (rounded up). Never with fewer than two
    /// downloaders, nor after a <see cref="Lull"/>.</summary>
    public bool WouldExceed(string address, int more, int pieceCount, int downloaders)
    {
        if (downloaders < 2 || time.GetElapsedTime(_lastTook) >= Lull)
        {
            return false;
        }

        var share = (pieceCount + downloaders - 1) / downloaders;
        return _counts.GetValueOrDefault(address) + more > share;
    }
}
