using System.Net;
using System.Net.Sockets;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Hosting;

/// <summary>Registers the tracker: swarm registry, HTTP endpoint (on its own port), UDP listener and maintenance.</summary>
internal static class TrackerSetup
{
    /// <param name="options">The options with the ports as bound (no port 0).</param>
    /// <param name="reservedUdp">The UDP port held for the listener when the tracker port was 0, else null.</param>
    public static void Add(IServiceCollection services, ServerOptions options, Uri listen, Socket? reservedUdp)
    {
        var port = options.TrackerPort.Number ?? throw new ArgumentException("The tracker is off.", nameof(options));
        var seederHost = options.PeerPublicAddress ?? options.EffectivePublicUrl.Host;
        services.AddSingleton(new TrackerOptions
        {
            Seeder = options.PeerPort.Number is int peerPort ? new IPEndPoint(Resolve(seederHost), peerPort) : null,
        });
        services.AddSingleton<ISwarmRegistry>(new InMemorySwarmRegistry());
        services.AddSingleton<TrackerService>();
        services.AddSingleton<TrackerHttpEndpoint>();
        services.AddSingleton<UdpConnectionIds>();
        if (reservedUdp is not null)
        {
            // Not AddHostedService: it keeps one registration per type, and the seeder registers a handover too.
            services.AddSingleton<IHostedService>(new PortHandover(reservedUdp));
        }

        services.AddHostedService(provider => new UdpTrackerListener(
            provider.GetRequiredService<TrackerService>(),
            provider.GetRequiredService<UdpConnectionIds>(),
            new IPEndPoint(BindAddress(listen.Host), port),
            provider.GetRequiredService<ILogger<UdpTrackerListener>>()));
        services.AddHostedService<TrackerMaintenance>();
    }

    /// <summary>The UDP bind address for the HTTP listen host: the same interface, or all of them for wildcards.</summary>
    public static IPAddress BindAddress(string host) => host.Trim('[', ']') switch
    {
        "*" or "+" or "::" => IPAddress.IPv6Any,
        "0.0.0.0" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        var literal when IPAddress.TryParse(literal, out var address) => address,
        var name => Resolve(name),
    };

    private static IPAddress Resolve(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address
        : host == "localhost" ? IPAddress.Loopback
        : Dns.GetHostAddresses(host).First();
}
