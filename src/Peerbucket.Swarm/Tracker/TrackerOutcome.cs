using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Swarm.Tracker;

/// <summary>What the tracker answers one announce: a typed failure (rendered by each transport: HTTP
/// <see cref="TrackerReplyWriter.Failure(System.Buffers.IBufferWriter{byte}, TrackerFailure)"/>, UDP
/// <see cref="UdpTrackerPacket.WriteErrorResponse(System.Buffers.IBufferWriter{byte}, int, TrackerFailure, int)"/>), or
/// <see cref="TrackerFailure.None"/> with peers and counts.</summary>
public sealed record TrackerOutcome(TrackerFailure Failure, IReadOnlyList<PeerEndpoint> Peers, int Seeders, int Leechers)
{
    public bool Failed => Failure != TrackerFailure.None;

    public static TrackerOutcome Refused(TrackerFailure failure) => new(failure, [], 0, 0);
}
