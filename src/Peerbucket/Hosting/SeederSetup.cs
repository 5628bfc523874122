using System.Net;
using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Seeder;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Hosting;

/// <summary>Registers the seeder: the peer wire listener on the peer port (same interface as the HTTP listener).</summary>
public static class SeederSetup
{
    public static void Add(IServiceCollection services, ServerOptions options, Uri listen)
    {
        var bind = new IPEndPoint(TrackerSetup.BindAddress(listen.Host), options.PeerPort);
        var seederOptions = options.Seeder.ToOptions(loopback: IPAddress.IsLoopback(bind.Address));

        services.AddSingleton(seederOptions);
        services.AddSingleton(provider => new SeederStats(provider.GetRequiredService<EgressMeter>()));
        services.AddHostedService(provider => new SeederListener(
            provider.GetRequiredService<ServedTorrents>(),
            provider.GetRequiredService<SwarmOrigins>(),
            provider.GetRequiredService<ObjectStore>().Blobs,
            seederOptions,
            provider.GetRequiredService<SeederStats>(),
            bind,
            provider.GetRequiredService<ILogger<SeederListener>>()));
    }
}
