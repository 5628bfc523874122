using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Peerbucket.Swarm.Tracker;

/// <summary>
/// BEP 15 connection ids that cannot be guessed or replayed from elsewhere: a keyed MAC of the client's address and
/// port and the current minute, accepted for that minute and the next (one to two minutes).
/// </summary>
public sealed class UdpConnectionIds(TimeProvider clock)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public ulong Issue(IPEndPoint client) => Compute(client, Window());

    public bool IsValid(IPEndPoint client, ulong connectionId)
    {
        var window = Window();
        return connectionId == Compute(client, window) || connectionId == Compute(client, window - 1);
    }

    private long Window() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    private ulong Compute(IPEndPoint client, long window)
    {
        Span<byte> input = stackalloc byte[16 + 2 + 8];
        var address = TrackerService.Normalize(client.Address).MapToIPv6();
        address.TryWriteBytes(input, out _);
        BinaryPrimitives.WriteUInt16BigEndian(input[16..], (ushort)client.Port);
        BinaryPrimitives.WriteInt64BigEndian(input[18..], window);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, mac);
        return BinaryPrimitives.ReadUInt64BigEndian(mac);
    }
}
