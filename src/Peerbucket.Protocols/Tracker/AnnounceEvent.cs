namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// The announce <c>event</c>. Values 0..3 are BEP 15's UDP codes; <see cref="Paused"/> is BEP 21's
/// (HTTP only). Unknown or empty events read as <see cref="None"/>.
/// </summary>
public enum AnnounceEvent
{
    /// <summary>A regular announce (no event, empty or unknown).</summary>
    None = 0,

    /// <summary><c>completed</c>: the download finished.</summary>
    Completed = 1,

    /// <summary><c>started</c>: the first announce.</summary>
    Started = 2,

    /// <summary><c>stopped</c>: the client leaves the swarm.</summary>
    Stopped = 3,

    /// <summary><c>paused</c> (BEP 21): a partial seed that stops downloading.</summary>
    Paused = 4,
}
