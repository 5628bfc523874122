using System.Net;
using System.Net.Sockets;
using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Seeder;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Hosting;

/// <summary>Registers the seeder: the peer wire listener on the peer port (same interface as the HTTP listener).</summary>
internal static class SeederSetup
{
    /// <param name="options">The options with the ports as bound (no port 0).</param>
    /// <param name="reservedPort">The port held for the listener when the peer port was 0, else null.</param>
    public static void Add(IServiceCollection services, ServerOptions options, Uri listen, Socket? reservedPort)
    {
        var port = options.PeerPort.Number ?? throw new ArgumentException("The seeder is off.", nameof(options));
        var bind = new IPEndPoint(TrackerSetup.BindAddress(listen.Host), port);
        var seederOptions = options.Seeder.ToOptions(loopback: IPAddress.IsLoopback(bind.Address));

        services.AddSingleton(seederOptions);
        services.AddSingleton(provider => new SeederStats(provider.GetRequiredService<EgressMeter>()));
        if (reservedPort is not null)
        {
            services.AddSingleton<IHostedService>(new PortHandover(reservedPort));
        }

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
