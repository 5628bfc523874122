using System.Net;
using Peerbucket.Storage;
using Peerbucket.Swarm.Seeder;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Hosting;

/// <summary>Registers the seeder: the peer wire listener on the peer port (same interface as the HTTP listener).</summary>
public static class SeederSetup
{
    public static void Add(IServiceCollection services, ServerOptions options, Uri listen)
    {
        var bind = new IPEndPoint(TrackerSetup.BindAddress(listen.Host), options.PeerPort);
        var seederOptions = new SeederOptions();

        // Bound to loopback, every peer has a loopback address: a per-address limit would only be a lower total.
        if (IPAddress.IsLoopback(bind.Address))
        {
            seederOptions = seederOptions with { MaxConnectionsPerAddress = seederOptions.MaxConnections };
        }

        services.AddSingleton(seederOptions);
        services.AddSingleton<SeederStats>();
        services.AddHostedService(provider => new SeederListener(
            provider.GetRequiredService<ServedTorrents>(),
            provider.GetRequiredService<ObjectStore>().Blobs,
            seederOptions,
            provider.GetRequiredService<SeederStats>(),
            bind,
            provider.GetRequiredService<ILogger<SeederListener>>()));
    }
}
