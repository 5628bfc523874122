using System.Net;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Hosting;

/// <summary>Registers the tracker: swarm registry, HTTP endpoint (on its own port), UDP listener and maintenance.</summary>
public static class TrackerSetup
{
    public static void Add(IServiceCollection services, ServerOptions options, Uri listen)
    {
        var seederHost = options.PeerPublicAddress ?? options.EffectivePublicUrl.Host;
        services.AddSingleton(new TrackerOptions
        {
            Seeder = options.PeerPort > 0 ? new IPEndPoint(Resolve(seederHost), options.PeerPort) : null,
        });
        services.AddSingleton<ISwarmRegistry>(new InMemorySwarmRegistry());
        services.AddSingleton<TrackerService>();
        services.AddSingleton<TrackerHttpEndpoint>();
        services.AddSingleton<UdpConnectionIds>();
        services.AddHostedService(provider => new UdpTrackerListener(
            provider.GetRequiredService<TrackerService>(),
            provider.GetRequiredService<UdpConnectionIds>(),
            new IPEndPoint(BindAddress(listen.Host), options.TrackerPort),
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
