using System.Net;

namespace Peerbucket.Swarm.Tracker;

/// <summary>One announce, already validated, with the address the tracker decided to believe.</summary>
public sealed record PeerAnnounce(
    byte[] InfoHash,
    byte[] PeerId,
    IPAddress Address,
    int Port,
    long Uploaded,
    long Downloaded,
    long? Left,
    SwarmEvent Event,
    string? Key,
    int NumWant);
