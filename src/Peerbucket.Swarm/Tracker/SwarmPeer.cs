using System.Net;

namespace Peerbucket.Swarm.Tracker;

/// <summary>A peer as the tracker hands it out.</summary>
public readonly record struct SwarmPeer(IPAddress Address, int Port, byte[] PeerId);
