using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Peerbucket.Interop.Tests;

/// <summary>A BEP 15 client for the tests: connect, then announce or scrape one info-hash.</summary>
public static class UdpTrackerClient
{
    /// <summary>The reply's action (1 announce, 2 scrape, 3 error) and, for a scrape, the seeders it counts.</summary>
    public sealed record Reply(int Action, int Seeders, string Error);

    public static async Task<Reply> AnnounceAsync(int port, byte[] infoHash) => await ExchangeAsync(port, infoHash, announce: true);

    public static async Task<Reply> ScrapeAsync(int port, byte[] infoHash) => await ExchangeAsync(port, infoHash, announce: false);

    private static async Task<Reply> ExchangeAsync(int port, byte[] infoHash, bool announce)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var tracker = new IPEndPoint(IPAddress.Loopback, port);
        var connect = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(connect, 0x41727101980);
        BinaryPrimitives.WriteInt32BigEndian(connect.AsSpan(12), 7);
        var connected = await SendAsync(udp, tracker, connect);
        var connectionId = connected.AsSpan(8, 8).ToArray();

        byte[] request;
        if (announce)
        {
            request = new byte[98];
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), 1);
            infoHash.CopyTo(request, 16);
            "-TS0001-matrix000001"u8.CopyTo(request.AsSpan(36));
            BinaryPrimitives.WriteInt64BigEndian(request.AsSpan(64), 1000); // left
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(92), -1); // num_want
            BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(96), 6881);
        }
        else
        {
            request = new byte[36];
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), 2);
            infoHash.CopyTo(request, 16);
        }

        connectionId.CopyTo(request, 0);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(12), 8);
        var reply = await SendAsync(udp, tracker, request);
        var action = BinaryPrimitives.ReadInt32BigEndian(reply);
        return new Reply(action,
            action == 2 && reply.Length >= 20 ? BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(8)) : 0,
            action == 3 ? System.Text.Encoding.UTF8.GetString(reply.AsSpan(8)) : "");
    }

    private static async Task<byte[]> SendAsync(UdpClient udp, IPEndPoint tracker, byte[] packet)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await udp.SendAsync(packet, tracker);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                return (await udp.ReceiveAsync(timeout.Token)).Buffer;
            }
            catch (OperationCanceledException)
            {
                // lost: try again (UDP)
            }
        }

        throw new TimeoutException("the UDP tracker did not answer");
    }
}
