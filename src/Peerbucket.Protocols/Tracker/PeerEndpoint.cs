using System.Net;

namespace Peerbucket.Protocols.Tracker;

/// <summary>A peer in a tracker reply: address, port and (for non-compact replies) its 20-byte peer id.</summary>
public readonly record struct PeerEndpoint(IPAddress Address, ushort Port, ReadOnlyMemory<byte> PeerId = default)
{
    /// <summary>A peer from raw address bytes: 4 for IPv4, 16 for IPv6.</summary>
    public PeerEndpoint(ReadOnlySpan<byte> address, ushort port, ReadOnlyMemory<byte> peerId = default)
        : this(new IPAddress(address), port, peerId)
    {
    }

    /// <summary>The address as IPv4 when it is IPv4 or IPv4-mapped IPv6, else as is.</summary>
    public IPAddress Normalized => Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address;
}
