namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// A parsed announce (HTTP query or UDP packet). Binary fields are raw bytes; numbers are checked but not clamped:
/// the caller clamps <see cref="NumWant"/> and decides whether to trust <see cref="Ip"/>.
/// </summary>
public sealed record AnnounceRequest
{
    /// <summary>Default <see cref="NumWant"/> when the client sends none.</summary>
    public const int DefaultNumWant = 50;

    /// <summary>The 20-byte info-hash (v1, or v2 truncated).</summary>
    public required byte[] InfoHash { get; init; }

    /// <summary>The 20-byte peer id.</summary>
    public required byte[] PeerId { get; init; }

    /// <summary>The peer's listening port, 1..65535.</summary>
    public required int Port { get; init; }

    public long Uploaded { get; init; }

    public long Downloaded { get; init; }

    /// <summary>Bytes left to download; null when missing, negative (e.g. <c>-1</c>) or out of range: unknown.</summary>
    public long? Left { get; init; }

    public AnnounceEvent Event { get; init; }

    /// <summary>BEP 23: the client accepts compact peer lists (default true).</summary>
    public bool Compact { get; init; } = true;

    /// <summary>The client does not want <c>peer id</c> in non-compact peer dictionaries.</summary>
    public bool NoPeerId { get; init; }

    /// <summary>Peers wanted, as sent (may be negative or huge; the caller clamps). Default 50.</summary>
    public int NumWant { get; init; } = DefaultNumWant;

    /// <summary>The client's opaque <c>key</c> (bytes as Latin-1 chars), or null.</summary>
    public string? Key { get; init; }

    /// <summary>The <c>ip</c> parameter as sent (bytes as Latin-1 chars), or null; the caller decides whether to trust it.</summary>
    public string? Ip { get; init; }
}
