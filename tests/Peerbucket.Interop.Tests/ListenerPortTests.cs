using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Peerbucket.Interop.Tests;

/// <summary>A server asked for port 0 everywhere reports the ports it bound, on its start-up line and in /_health, and
/// every listener answers on the port reported for it (the UDP tracker on the HTTP tracker's number).</summary>
public sealed class ListenerPortTests
{
    [Fact]
    public async Task ListenersOnPortZeroAnswerOnTheReportedPorts()
    {
        await using var server = await PeerbucketServer.StartAsync(null, "--tracker-port", "0", "--peer-port", "0");
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", server.Endpoint);
        Assert.Equal($"Listening: http={server.Endpoint} tracker={server.TrackerPort} peer={server.PeerPort}", server.StartupLineText);
        Assert.Single(server.Output.Split('\n'), line => line.StartsWith("Listening: ", StringComparison.Ordinal));
        int[] ports = [server.Port, server.TrackerPort, server.PeerPort];
        Assert.All(ports, port => Assert.InRange(port, 1, 65535));
        Assert.Equal(3, ports.Distinct().Count());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal($"ok\nhttp={server.Endpoint}\ntracker={server.TrackerPort}\npeer={server.PeerPort}\n",
            await http.GetStringAsync($"{server.Endpoint}/_health"));
        Assert.StartsWith("d14:failure reason", await http.GetStringAsync($"http://127.0.0.1:{server.TrackerPort}/scrape"), StringComparison.Ordinal);

        // BEP 15 connect on the tracker's number over UDP: action 0 and our transaction id come back.
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        var connect = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(connect, 0x41727101980);
        BinaryPrimitives.WriteInt32BigEndian(connect.AsSpan(12), 0x5EED1234);
        await udp.SendAsync(connect, new IPEndPoint(IPAddress.Loopback, server.TrackerPort));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = (await udp.ReceiveAsync(timeout.Token)).Buffer;
        Assert.Equal(16, reply.Length);
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(reply));
        Assert.Equal(0x5EED1234, BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(4)));

        using var peer = new TcpClient();
        await peer.ConnectAsync(IPAddress.Loopback, server.PeerPort, timeout.Token);
        Assert.True(peer.Connected);
    }

    [Fact]
    public async Task ListenersThatAreOffAreReportedOff()
    {
        await using var server = await PeerbucketServer.StartAsync(null, "--tracker-port", "off", "--peer-port", "off");
        Assert.False(server.HasTracker);
        Assert.False(server.HasSeeder);
        Assert.Equal($"Listening: http={server.Endpoint} tracker=off peer=off", server.StartupLineText);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal($"ok\nhttp={server.Endpoint}\ntracker=off\npeer=off\n", await http.GetStringAsync($"{server.Endpoint}/_health"));
    }
}
