using System.Net;
using System.Net.Sockets;
using Peerbucket.Hosting;

namespace Peerbucket.Tests;

public sealed class PortReservationTests
{
    private static ServerOptions Options(string http, ListenPort tracker, ListenPort peer) =>
        new() { Http = http, TrackerPort = tracker, PeerPort = peer };

    [Fact]
    public void ZeroPortsAreBoundBeforeStartAndNamedInTorrents()
    {
        using var reservation = PortReservation.Reserve(Options("http://127.0.0.1:0", ListenPort.Free, ListenPort.Free));
        var ports = reservation.Ports;
        var http = ports.Http.Port;
        var tracker = Assert.IsType<int>(ports.Tracker);
        var peer = Assert.IsType<int>(ports.Peer);
        Assert.All(new[] { http, tracker, peer }, port => Assert.InRange(port, 1, 65535));

        Assert.Equal($"http://127.0.0.1:{http}", reservation.Bound.Http);
        Assert.Equal(tracker, reservation.Bound.TrackerPort.Number);
        Assert.Equal(peer, reservation.Bound.PeerPort.Number);
        Assert.Equal([$"http://127.0.0.1:{http}", $"http://127.0.0.1:{tracker}"], reservation.KestrelUrls);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, tracker), reservation.TrackerUdp!.LocalEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, peer), reservation.Peer!.LocalEndPoint);

        var settings = ServerHost.TorrentSettingsFor(reservation.Bound);
        Assert.Equal(new Uri($"http://127.0.0.1:{http}"), settings.PublicUrl);
        Assert.Equal($"http://127.0.0.1:{tracker}/announce", settings.HttpTracker);
        Assert.Equal($"udp://127.0.0.1:{tracker}/announce", settings.UdpTracker);
        Assert.Equal($"127.0.0.1:{peer}", settings.PeerAddress);
    }

    [Fact]
    public void KestrelListensOnTheReservedSocketsThemselves()
    {
        using var reservation = PortReservation.Reserve(Options("http://127.0.0.1:0", ListenPort.Free, ListenPort.Off));
        var endpoint = new IPEndPoint(IPAddress.Loopback, reservation.Ports.Http.Port);
        var reserved = reservation.CreateBoundListenSocket(endpoint);
        Assert.Equal(endpoint, reserved.LocalEndPoint);

        // Handed over once, and held so firmly that a new bind of the port (as Kestrel's, with SO_REUSEADDR) fails.
        var error = Assert.Throws<SocketException>(() => reservation.CreateBoundListenSocket(endpoint).Dispose());
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Fact]
    public void ExplicitPublicUrlsAreKeptWithFreePorts()
    {
        var options = Options("http://127.0.0.1:0", ListenPort.Free, ListenPort.Free);
        options.PublicUrl = "https://files.example.org";
        options.TrackerPublicUrl = "https://tracker.example.org/announce";
        using var reservation = PortReservation.Reserve(options);
        var settings = ServerHost.TorrentSettingsFor(reservation.Bound);
        Assert.Equal(new Uri("https://files.example.org"), settings.PublicUrl);
        Assert.Equal("https://tracker.example.org/announce", settings.HttpTracker);
        Assert.Equal($"files.example.org:{reservation.Ports.Peer}", settings.PeerAddress);
    }

    [Fact]
    public void NumberedPortsAreLeftToTheListeners()
    {
        using var reservation = PortReservation.Reserve(Options("http://localhost:9000", ListenPort.Of(6969), ListenPort.Of(6881)));
        Assert.Equal(["http://localhost:9000", "http://localhost:6969"], reservation.KestrelUrls);
        Assert.Null(reservation.TrackerUdp);
        Assert.Null(reservation.Peer);
        Assert.Equal("Listening: http=http://localhost:9000 tracker=6969 peer=6881", reservation.Ports.StartupLine);
    }

    [Fact]
    public void ListenersThatAreOffReserveNothing()
    {
        using var reservation = PortReservation.Reserve(Options("http://127.0.0.1:9000", ListenPort.Off, ListenPort.Off));
        Assert.Equal(["http://127.0.0.1:9000"], reservation.KestrelUrls);
        Assert.Null(reservation.TrackerUdp);
        Assert.Null(reservation.Peer);
        Assert.Equal("Listening: http=http://127.0.0.1:9000 tracker=off peer=off", reservation.Ports.StartupLine);
    }

    [Fact]
    public void TrackerTriesAnotherTcpPortWhenItsUdpNumberIsTaken()
    {
        using var taken = TakenUdpPort(out var port);
        var calls = 0;
        var (tcp, udp) = PortReservation.ReserveTcpAndUdp(IPAddress.Loopback, PortReservation.TrackerAttempts,
            endpoint => BindTcp(++calls == 1 ? new IPEndPoint(endpoint.Address, port) : endpoint));
        using (tcp)
        using (udp)
        {
            Assert.Equal(2, calls);
            var bound = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            Assert.NotEqual(port, bound);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, bound), udp.LocalEndPoint);
        }
    }

    [Fact]
    public void TrackerGivesUpAfterItsAttempts()
    {
        using var taken = TakenUdpPort(out var port);
        var calls = 0;
        var error = Assert.Throws<IOException>(() => PortReservation.ReserveTcpAndUdp(IPAddress.Loopback, 3,
            endpoint =>
            {
                calls++;
                return BindTcp(new IPEndPoint(endpoint.Address, port));
            }));
        Assert.Equal(3, calls);
        Assert.Contains("3 tried", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A UDP port held by the test whose TCP number is free.</summary>
    private static Socket TakenUdpPort(out int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                BindTcp(new IPEndPoint(IPAddress.Loopback, port)).Dispose();
                return udp;
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
    }

    private static Socket BindTcp(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(endpoint);
        return socket;
    }
}
