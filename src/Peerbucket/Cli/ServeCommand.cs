using System.CommandLine;
using Peerbucket.Hosting;

namespace Peerbucket.Cli;

/// <summary>`peerbucket serve`: the S3 API on the embedded store (SQLite + local files).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (default ./data)." };
        var http = new Option<string?>("--http") { Description = "Listen URL of the S3 API (default http://127.0.0.1:9000)." };
        var publicUrl = new Option<string?>("--public-url") { Description = "URL clients use to reach the server (default: the listen URL)." };
        var domain = new Option<string?>("--domain") { Description = "Domain for virtual-hosted-style requests (bucket.DOMAIN)." };
        var region = new Option<string?>("--region") { Description = "Region name (default us-east-1)." };
        var trackerPort = new Option<int?>("--tracker-port") { Description = "Tracker port, HTTP and UDP (default 6969; 0 turns it off)." };
        var peerPort = new Option<int?>("--peer-port") { Description = "Seeder port (default 6881)." };
        var pieceLength = new Option<long?>("--piece-length") { Description = "Torrent piece length in bytes (power of two, 16 KiB to 16 MiB; default chosen by size)." };
        var trackerUrl = new Option<string?>("--tracker-public-url") { Description = "Announce URL written into torrents (default http://PUBLIC-HOST:TRACKER-PORT/announce)." };
        var peerAddress = new Option<string?>("--peer-public-address") { Description = "The seeder's address as peers see it (default: the public URL's host)." };
        var format = new Option<string?>("--torrent-format") { Description = "Default ?torrent format: v1, v2 or hybrid (default v1)." };

        var command = new Command("serve", "Start the server.")
        {
            data, http, publicUrl, domain, region, trackerPort, peerPort, trackerUrl, peerAddress, pieceLength, format,
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
            var dataDirectory = Path.GetFullPath(options.Data);
            var (credentials, generated) = Credentials.Load(dataDirectory);
            if (generated)
            {
                Console.WriteLine($"Generated credentials (stored in {Path.Combine(dataDirectory, Credentials.FileName)}, shown once):");
                Console.WriteLine($"  AWS_ACCESS_KEY_ID={credentials.AccessKey}");
                Console.WriteLine($"  AWS_SECRET_ACCESS_KEY={credentials.SecretKey}");
            }

            return await ServerHost.RunAsync(options, credentials, cancellationToken);
        });
        return command;
    }
}
