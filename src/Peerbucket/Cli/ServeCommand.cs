using System.CommandLine;
using Peerbucket.Hosting;

namespace Peerbucket.Cli;

/// <summary>`peerbucket serve`: the S3 API on the embedded store (SQLite + local files).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory, relative to the working directory (default ./data)." };
        var http = new Option<string?>("--http") { Description = "Listen URL of the S3 API (default http://127.0.0.1:9000; port 0: a free port)." };
        var publicUrl = new Option<string?>("--public-url") { Description = "URL clients use to reach the server (default: the listen URL)." };
        var domain = new Option<string?>("--domain") { Description = "Domain for virtual-hosted-style requests (bucket.DOMAIN)." };
        var region = new Option<string?>("--region") { Description = "Region name (default us-east-1)." };
        var trackerPort = PortOption("--tracker-port", "Tracker port, HTTP and UDP (default 6969; 0: a free port; off: no tracker).");
        var peerPort = PortOption("--peer-port", "Seeder port (default 6881; 0: a free port; off: no seeder).");
        var pieceLength = new Option<long?>("--piece-length") { Description = "Fixed torrent piece length in bytes for new objects (power of two, 16 KiB to 256 MiB; default chosen by size, 16 KiB to 16 MiB)." };
        var trackerUrl = new Option<string?>("--tracker-public-url") { Description = "Announce URL written into torrents (default http://PUBLIC-HOST:TRACKER-PORT/announce)." };
        var peerAddress = new Option<string?>("--peer-public-address") { Description = "The seeder's address as peers see it (default: the public URL's host)." };
        var format = new Option<string?>("--torrent-format") { Description = "Default ?torrent format: v1, v2 or hybrid (default v1)." };
        format.AcceptOnlyFromAmong("v1", "v2", "hybrid");
        var originPolicy = new Option<string?>("--origin-policy")
        {
            Description = "How much the origin sends when peers could: thrifty (default: super-seeding and a held-back web seed while two or more peers download; full speed for a lone one) or fast (everything asked, at once).",
        };
        var bucketOriginPolicy = new Option<string[]>("--bucket-origin-policy")
        {
            Description = "BUCKET=thrifty|fast: another origin policy for one bucket (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        originPolicy.AcceptOnlyFromAmong("thrifty", "fast");
        var originBudget = RateOption("--origin-budget",
            "What the seeder and the web seed may send together, bytes/s with optional K/M/G suffix, all objects (default 0 = unlimited; S3 GETs never count).");
        var originBudgetPerObject = RateOption("--origin-budget-per-object", "The same per object (default 0 = unlimited).");

        var maxConnections = new Option<int?>("--max-connections-per-address") { Description = "HTTP: open connections per remote address at most; more are answered 503 SlowDown (default 256; no limit when listening on loopback only)." };
        var maxPeers = new Option<int?>("--max-peers") { Description = "Seeder: open peer connections at most (default 500)." };
        var maxPeersPerAddress = new Option<int?>("--max-peers-per-address") { Description = "Seeder: connections per remote address at most (default 8; --max-peers when bound to loopback)." };
        var maxPeersPerSubnet = new Option<int?>("--max-peers-per-subnet") { Description = "Seeder: connections per IPv4 /24 or IPv6 /48 at most (default 64; --max-peers when bound to loopback)." };
        var maxRequests = new Option<int?>("--max-requests-per-peer") { Description = "Seeder: queued block requests per peer at most, advertised as reqq (default 2000, as libtorrent)." };
        var unchokeSlots = new Option<int?>("--unchoke-slots") { Description = "Seeder: peers unchoked at once by upload rate, plus one optimistic (default 8)." };
        var maxUploadRate = RateOption("--max-upload-rate", "Seeder: upload rate in total, bytes/s with optional K/M/G suffix (default 0 = unlimited).");
        var maxUploadRatePerObject = RateOption("--max-upload-rate-per-object", "Seeder: upload rate per object, bytes/s with optional K/M/G suffix (default 0 = unlimited).");

        var command = new Command("serve", "Start the server.")
        {
            data, http, publicUrl, domain, region, trackerPort, peerPort, trackerUrl, peerAddress, pieceLength, format, originPolicy, bucketOriginPolicy,
            originBudget, originBudgetPerObject, maxConnections, maxPeers, maxPeersPerAddress, maxPeersPerSubnet, maxRequests, unchokeSlots, maxUploadRate, maxUploadRatePerObject,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .Build();
            var options = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
            options.Data = parse.GetValue(data) ?? options.Data;
            options.Http = parse.GetValue(http) ?? options.Http;
            options.PublicUrl = parse.GetValue(publicUrl) ?? options.PublicUrl;
            options.Domain = parse.GetValue(domain) ?? options.Domain;
            options.Region = parse.GetValue(region) ?? options.Region;
            options.TrackerPort = parse.GetValue(trackerPort) ?? options.TrackerPort;
            options.PeerPort = parse.GetValue(peerPort) ?? options.PeerPort;
            options.TrackerPublicUrl = parse.GetValue(trackerUrl) ?? options.TrackerPublicUrl;
            options.PeerPublicAddress = parse.GetValue(peerAddress) ?? options.PeerPublicAddress;
            options.PieceLength = parse.GetValue(pieceLength) ?? options.PieceLength;
            options.TorrentFormat = parse.GetValue(format) ?? options.TorrentFormat;
            options.OriginPolicy = parse.GetValue(originPolicy) ?? options.OriginPolicy;
            foreach (var pair in parse.GetValue(bucketOriginPolicy) ?? [])
            {
                var equals = pair.IndexOf('=');
                options.BucketOriginPolicy[equals < 0 ? pair : pair[..equals]] = equals < 0 ? "" : pair[(equals + 1)..];
            }
            options.OriginBudget = parse.GetValue(originBudget) ?? options.OriginBudget;
            options.OriginBudgetPerObject = parse.GetValue(originBudgetPerObject) ?? options.OriginBudgetPerObject;
            options.MaxConnectionsPerAddress = parse.GetValue(maxConnections) ?? options.MaxConnectionsPerAddress;
            var seeder = options.Seeder;
            seeder.MaxPeers = parse.GetValue(maxPeers) ?? seeder.MaxPeers;
            seeder.MaxPeersPerAddress = parse.GetValue(maxPeersPerAddress) ?? seeder.MaxPeersPerAddress;
            seeder.MaxPeersPerSubnet = parse.GetValue(maxPeersPerSubnet) ?? seeder.MaxPeersPerSubnet;
            seeder.MaxRequestsPerPeer = parse.GetValue(maxRequests) ?? seeder.MaxRequestsPerPeer;
            seeder.UnchokeSlots = parse.GetValue(unchokeSlots) ?? seeder.UnchokeSlots;
            seeder.MaxUploadRate = parse.GetValue(maxUploadRate) ?? seeder.MaxUploadRate;
            seeder.MaxUploadRatePerObject = parse.GetValue(maxUploadRatePerObject) ?? seeder.MaxUploadRatePerObject;
            try
            {
                ServerHost.Validate(options);
            }
            catch (ArgumentException error)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
                return 2;
            }

            // Resolved here, once, against the directory the command was run from (ServerHost gets an absolute path).
            options.Data = options.DataDirectory(Environment.CurrentDirectory);
            var dataDirectory = options.Data;
            var (credentials, generated) = Credentials.Load(dataDirectory);
            if (generated)
            {
                Console.WriteLine($"Generated credentials (stored in {Path.Combine(dataDirectory, Credentials.FileName)}, shown once):");
                Console.WriteLine($"  AWS_ACCESS_KEY_ID={credentials.AccessKey}");
                Console.WriteLine($"  AWS_SECRET_ACCESS_KEY={credentials.SecretKey}");
            }

            // The start-up line: once every listener is up, with the ports as bound (scripts and tests read it).
            return await ServerHost.RunAsync(options, credentials, ports => Console.WriteLine(ports.StartupLine), cancellationToken);
        });
        return command;
    }

    private static Option<ListenPort?> PortOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ListenPort.TryParse(text, out var port))
            {
                return port;
            }

            result.AddError($"{name} takes a port number from 0 (a free port) to 65535, or off; got '{text}'.");
            return null;
        },
    };

    private static Option<long?> RateOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ByteRate.TryParse(text, out var rate))
            {
                return rate;
            }

            result.AddError($"{name} takes bytes per second, optionally with a K, M or G suffix (e.g. 50M); got '{text}'.");
            return null;
        },
    };
}
