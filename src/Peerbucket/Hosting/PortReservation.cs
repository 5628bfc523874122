using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Peerbucket.Hosting;

/// <summary>
/// Binds every listener configured with port 0 before the host is built, so the ports the OS picked are known to
/// everything that names them (web-seed and announce URLs, magnet <c>x.pe</c>, the tracker's seeder entry, the
/// start-up line) and are held until the listeners take them. Kestrel listens on the reserved TCP sockets themselves
/// (S3 API, HTTP tracker); the UDP tracker and the seeder bind their own sockets, so theirs are released by a
/// <see cref="PortHandover"/> right before they start. The tracker's UDP port is the number of its TCP port: a free
/// TCP port is bound first, then UDP on the same number, and both are tried again when that UDP port is taken.
/// Ports configured as numbers are left to the listeners, as before.
/// </summary>
internal sealed class PortReservation : IDisposable
{
    /// <summary>How many free TCP ports are tried for the tracker before giving up because UDP on the same number was
    /// taken each time.</summary>
    public const int TrackerAttempts = 5;

    private readonly Dictionary<EndPoint, Socket> forKestrel = [];
    private readonly List<Socket> held = [];

    private PortReservation(ServerOptions options)
    {
        Bound = options;
        Ports = new ListenerPorts(options.ListenUri, options.TrackerPort.Number, options.PeerPort.Number);
    }

    /// <summary>The options with every port 0 replaced by the port bound for it.</summary>
    public ServerOptions Bound { get; private set; }

    /// <summary>What Kestrel listens on: the S3 API, then the HTTP tracker when it is on.</summary>
    public IReadOnlyList<string> KestrelUrls { get; private set; } = [];

    /// <summary>The ports as bound, for the start-up line and <c>/_health</c>.</summary>
    public ListenerPorts Ports { get; private set; }

    /// <summary>The UDP tracker's port, held for its listener; null unless the tracker port was 0.</summary>
    public Socket? TrackerUdp { get; private set; }

    /// <summary>The seeder's port, held for its listener; null unless the peer port was 0.</summary>
    public Socket? Peer { get; private set; }

    public static PortReservation Reserve(ServerOptions options)
    {
        var reservation = new PortReservation(options);
        try
        {
            reservation.ReserveFreePorts(options);
            return reservation;
        }
        catch (Exception)
        {
            reservation.Dispose();
            throw;
        }
    }

    /// <summary>A free TCP port on <paramref name="address"/> whose number is free for UDP too, both bound: up to
    /// <paramref name="attempts"/> TCP ports are tried while the UDP port of the same number is taken.</summary>
    /// <param name="bindTcp">Binds a TCP socket (default: Kestrel's listen socket); the tests pass their own.</param>
    public static (Socket Tcp, Socket Udp) ReserveTcpAndUdp(IPAddress address, int attempts, Func<IPEndPoint, Socket>? bindTcp = null)
    {
        bindTcp ??= SocketTransportOptions.CreateDefaultBoundListenSocket;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var tcp = bindTcp(new IPEndPoint(address, 0));
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                udp.DualMode = true; // as the UDP tracker binds it
            }

            try
            {
                udp.Bind(new IPEndPoint(address, LocalPort(tcp)));
                return (tcp, udp);
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                udp.Dispose();
                tcp.Dispose();
            }
        }

        throw new IOException($"No free TCP port on {address} had its UDP port free too ({attempts} tried) for the tracker.");
    }

    /// <summary>Kestrel's <see cref="SocketTransportOptions.CreateBoundListenSocket"/>: the reserved socket for a reserved
    /// endpoint, otherwise a newly bound one.</summary>
    public Socket CreateBoundListenSocket(EndPoint endpoint)
    {
        lock (forKestrel)
        {
            if (forKestrel.Remove(endpoint, out var reserved))
            {
                return reserved;
            }
        }

        return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
    }

    public void Dispose()
    {
        // Disposing a socket Kestrel or a listener took over after the host stopped is harmless.
        foreach (var socket in held)
        {
            socket.Dispose();
        }
    }

    private void ReserveFreePorts(ServerOptions options)
    {
        var listen = options.ListenUri;
        var address = TrackerSetup.BindAddress(listen.Host);
        var http = options.Http;
        var kestrelHttp = options.Http;
        if (listen.Port == 0)
        {
            var socket = Hold(SocketTransportOptions.CreateDefaultBoundListenSocket(new IPEndPoint(address, 0)));
            kestrelHttp = ForKestrel(listen.Scheme, socket);
            http = new UriBuilder(listen) { Port = LocalPort(socket) }.Uri.GetLeftPart(UriPartial.Authority);
        }

        var tracker = options.TrackerPort;
        string? kestrelTracker = tracker.Number is int fixedTracker and > 0 ? $"http://{listen.Host}:{fixedTracker}" : null;
        if (tracker.Number == 0)
        {
            var (tcp, udp) = ReserveTcpAndUdp(address, TrackerAttempts);
            Hold(tcp);
            TrackerUdp = Hold(udp);
            kestrelTracker = ForKestrel("http", tcp);
            tracker = ListenPort.Of(LocalPort(tcp));
        }

        var peer = options.PeerPort;
        if (peer.Number == 0)
        {
            // Bound, not listening: the seeder binds the port itself once its handover released this socket.
            Peer = Hold(SocketTransportOptions.CreateDefaultBoundListenSocket(new IPEndPoint(address, 0)));
            peer = ListenPort.Of(LocalPort(Peer));
        }

        Bound = options.WithPorts(http, tracker, peer);
        KestrelUrls = kestrelTracker is null ? [kestrelHttp] : [kestrelHttp, kestrelTracker];
        Ports = new ListenerPorts(Bound.ListenUri, tracker.Number, peer.Number);
    }

    private string ForKestrel(string scheme, Socket socket)
    {
        // Listening already: a bound socket alone does not keep out another SO_REUSEADDR bind of the same port. Kestrel
        // calls Listen again, which only sets its backlog.
        socket.Listen();
        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        lock (forKestrel)
        {
            forKestrel[endpoint] = socket;
        }

        return endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"{scheme}://[{endpoint.Address}]:{endpoint.Port}"
            : $"{scheme}://{endpoint.Address}:{endpoint.Port}";
    }

    private Socket Hold(Socket socket)
    {
        held.Add(socket);
        return socket;
    }

    private static int LocalPort(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
