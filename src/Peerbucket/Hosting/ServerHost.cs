using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.S3.Http;
using Peerbucket.S3.Writes;
using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Content;
using Peerbucket.Swarm.Metrics;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Seeder;
using Peerbucket.Swarm.Torrents;
using Peerbucket.Swarm.Tracker;
using Peerbucket.Swarm.WebSeed;

namespace Peerbucket.Hosting;

/// <summary>Builds and runs the web host: Kestrel, the S3 endpoint, /_health (with the listeners' ports), graceful
/// shutdown on SIGTERM.</summary>
internal static class ServerHost
{
    /// <param name="listening">Called once every listener is up, with the ports as bound.</param>
    public static async Task<int> RunAsync(ServerOptions options, Credentials credentials, Action<ListenerPorts> listening,
        CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(options.Data);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        using var reservation = PortReservation.Reserve(options);
        options = reservation.Bound;
        var trackerPort = options.TrackerPort.Number;
        var listen = options.ListenUri;
        builder.WebHost.UseUrls([.. reservation.KestrelUrls]);
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = reservation.CreateBoundListenSocket);
        var cap = new ConnectionCap(options.ConnectionCapFor(IPAddress.IsLoopback(TrackerSetup.BindAddress(listen.Host))));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(cap.Wrap));
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(30));
            kestrel.AddServerHeader = false;

            // Kestrel reads request header bytes as Latin-1; answering in Latin-1 too gives user metadata back byte for
            // byte (UTF-8 from most tools, raw Latin-1 from others) instead of throwing on its first non-ASCII char (a 500).
            kestrel.ResponseHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var store = new ObjectStore(data);
        var s3Options = new S3Options
        {
            AccessKey = credentials.AccessKey,
            SecretKey = credentials.SecretKey,
            Region = options.Region,
            Domain = options.Domain,
            PublicUrl = options.EffectivePublicUrl,
            ResponseDrainTimeout = options.ResponseDrainTimeout,
        };
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(store.Blobs);
        builder.Services.AddSingleton(s3Options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(TorrentSettingsFor(options));
        builder.Services.AddSingleton<EgressMeter>();
        builder.Services.AddSingleton<LedgerKeeper>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<LedgerKeeper>());
        builder.Services.AddSingleton<TorrentCatalog>();
        builder.Services.AddSingleton<ServedTorrents>();
        builder.Services.AddSingleton(provider => new SwarmOrigins(OriginSetup.ToOptions(options), provider.GetService<ISwarmRegistry>()));
        builder.Services.AddSingleton<WebSeedEndpoint>();

        // The content seam: Storage owns the interfaces, the torrent layer implements them, S3 sees only Storage's.
        builder.Services.AddSingleton<TorrentContent>();
        builder.Services.AddSingleton<IContentIndexer>(services => services.GetRequiredService<TorrentContent>());
        builder.Services.AddSingleton<IContentDocuments>(services => services.GetRequiredService<TorrentContent>());
        builder.Services.AddSingleton<ObjectWriter>();
        builder.Services.AddSingleton<S3Endpoint>();
        if (trackerPort is not null)
        {
            TrackerSetup.Add(builder.Services, options, listen, reservation.TrackerUdp);
        }

        if (!options.PeerPort.IsOff)
        {
            SeederSetup.Add(builder.Services, options, listen, reservation.Peer);
        }

        var app = builder.Build();
        var (temporary, orphaned) = store.Recover();
        app.Logger.LogInformation("Data directory {Data}: removed {Temporary} unfinished and {Orphaned} orphaned blobs", data, temporary, orphaned);
        app.Services.GetRequiredService<LedgerKeeper>().Restore();

        var endpoint = app.Services.GetRequiredService<S3Endpoint>();
        _ = app.Services.GetRequiredService<ServedTorrents>(); // subscribes to the store's change notices before any request
        var tracker = trackerPort is not null ? app.Services.GetRequiredService<TrackerHttpEndpoint>() : null;
        var webSeed = app.Services.GetRequiredService<WebSeedEndpoint>();
        var ports = reservation.Ports;
        var metrics = new MetricsReport(app.Services.GetRequiredService<EgressMeter>(), store,
            app.Services.GetService<SeederStats>(), app.Services.GetService<ISwarmRegistry>(), () => endpoint.InternalErrors);
        app.Run(async http =>
        {
            if (ConnectionCap.IsOver(http))
            {
                await RefuseOverCapAsync(http, tracker is not null && http.Connection.LocalPort == trackerPort, cap.MaxPerAddress);
                return;
            }

            if (tracker is not null && http.Connection.LocalPort == trackerPort)
            {
                await tracker.HandleAsync(http);
                return;
            }

            // Host first: on a bucket's virtual host every path is a key of that bucket (/_metrics, /_health, /_seed/...
            // included), so such a request never reaches the store's own routes below.
            if (endpoint.NamesBucket(http.Request.Headers.Host.ToString()))
            {
                await endpoint.HandleAsync(http);
                return;
            }

            if (http.Request.Path.Equals("/_health", StringComparison.Ordinal))
            {
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync(ports.HealthText);
                return;
            }

            if (WebSeedEndpoint.Handles(http.Request.Path))
            {
                try
                {
                    await webSeed.HandleAsync(http);
                }
                catch (ClientTooSlowException)
                {
                    http.Abort(); // a web-seed client that stopped reading: the range is cut off, as any HTTP server would
                }

                return;
            }

            if (http.Request.Path.Equals("/_metrics", StringComparison.Ordinal))
            {
                http.Response.ContentType = PrometheusText.ContentType;
                await http.Response.WriteAsync(metrics.Render());
                return;
            }

            await endpoint.HandleAsync(http);
        });

        app.Lifetime.ApplicationStarted.Register(() => listening(ports));
        await app.RunAsync(cancellationToken);
        return 0;
    }

    /// <summary>A request on a connection over the per-address cap: the protocol's "slow down", then the connection closes.</summary>
    private static async Task RefuseOverCapAsync(HttpContext http, bool tracker, int cap)
    {
        http.Response.Headers.Connection = "close";
        var reason = $"more than {cap} open connections from your address; close some and retry";
        if (tracker)
        {
            await TrackerHttpEndpoint.RefuseAsync(http, reason);
            return;
        }

        await S3Endpoint.SlowDownAsync(http, reason);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the flag when an option makes no sense.</summary>
    public static void Validate(ServerOptions options)
    {
        _ = OriginSetup.ToOptions(options);
        _ = TorrentSettingsFor(options);
        _ = options.Seeder.ToOptions(loopback: false);
        _ = options.ConnectionCapFor(loopback: false);
    }

    public static TorrentSettings TorrentSettingsFor(ServerOptions options)
    {
        if (options.PieceLength != 0 && !PieceLengthRule.IsValid(options.PieceLength))
        {
            throw new ArgumentException($"--piece-length {options.PieceLength} is not a power of two from 16 KiB to 256 MiB.");
        }

        var publicUrl = options.EffectivePublicUrl;
        var host = publicUrl.Host.Contains(':') ? $"[{publicUrl.Host}]" : publicUrl.Host;
        var trackerPort = options.TrackerPort.Number;
        var peerHost = options.PeerPublicAddress ?? host;
        return new TorrentSettings
        {
            PublicUrl = publicUrl,
            HttpTracker = trackerPort is not null ? options.TrackerPublicUrl ?? $"http://{host}:{trackerPort}/announce" : null,
            UdpTracker = trackerPort is not null ? $"udp://{host}:{trackerPort}/announce" : null,
            ExtraTrackers = options.ExtraTrackers,
            PeerAddress = options.PeerPort.Number is int peerPort ? $"{peerHost}:{peerPort}" : null,
            PieceLength = options.PieceLength,
            DefaultFormat = TorrentContent.TryParseFormat(options.TorrentFormat, TorrentFormat.V1, out var format)
                ? format
                : throw new ArgumentException($"--torrent-format {options.TorrentFormat} is not v1, v2 or hybrid."),
        };
    }
}
