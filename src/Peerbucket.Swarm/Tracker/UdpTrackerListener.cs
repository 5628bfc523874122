using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Swarm.Tracker;

/// <summary>The UDP tracker (BEP 15) on the tracker port: connect, announce (IPv4 and IPv6 replies), scrape, error.</summary>
public sealed class UdpTrackerListener(TrackerService tracker, UdpConnectionIds connectionIds, IPEndPoint bind, ILogger<UdpTrackerListener> logger)
    : BackgroundService
{
    private const int MaxPacket = 2048;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bind.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = true;
        }

        socket.Bind(bind);
        logger.LogInformation("UDP tracker listening on {Endpoint}", bind);
        var buffer = new byte[MaxPacket];
        var output = new ArrayBufferWriter<byte>(MaxPacket);
        EndPoint any = bind.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException error)
            {
                // ICMP "port unreachable" from an earlier reply surfaces here on some stacks; the socket is still good.
                logger.LogDebug(error, "UDP tracker receive failed");
                continue;
            }

            var client = (IPEndPoint)received.RemoteEndPoint;
            output.ResetWrittenCount();
            Handle(buffer.AsSpan(0, received.ReceivedBytes), client, output);
            if (output.WrittenCount > 0)
            {
                try
                {
                    await socket.SendToAsync(output.WrittenMemory, SocketFlags.None, client, stoppingToken);
                }
                catch (SocketException error)
                {
                    logger.LogDebug(error, "UDP tracker reply to {Client} failed", client);
                }
            }
        }
    }

    /// <summary>Answers one datagram into <paramref name="output"/> (nothing for packets too broken to answer).</summary>
    public void Handle(ReadOnlySpan<byte> packet, IPEndPoint client, IBufferWriter<byte> output)
    {
        if (!UdpTrackerPacket.TryParse(packet, out var request, out var failure))
        {
            if (UdpTrackerPacket.TryGetTransactionId(packet, out var transaction))
            {
                UdpTrackerPacket.WriteErrorResponse(output, transaction, failure);
            }

            return;
        }

        switch (request)
        {
            case UdpConnectRequest connect:
                var span = output.GetSpan(UdpTrackerPacket.ConnectResponseSize);
                output.Advance(UdpTrackerPacket.WriteConnectResponse(span, connect.TransactionId, connectionIds.Issue(client)));
                break;
            case UdpAnnounceRequest announce when !connectionIds.IsValid(client, announce.ConnectionId):
            case UdpScrapeRequest scrape when !connectionIds.IsValid(client, scrape.ConnectionId):
                UdpTrackerPacket.WriteErrorResponse(output, request.TransactionId, "connection id expired or invalid: connect again");
                break;
            case UdpAnnounceRequest announce:
                var outcome = tracker.Announce(announce.ToAnnounceRequest(), client.Address, null);
                if (outcome.Failure is not null)
                {
                    UdpTrackerPacket.WriteErrorResponse(output, announce.TransactionId, outcome.Failure);
                    break;
                }

                var family = TrackerService.Normalize(client.Address).AddressFamily;
                var peers = outcome.Peers.Where(p => TrackerService.Normalize(p.Address).AddressFamily == family).ToList();
                UdpTrackerPacket.WriteAnnounceResponse(output, announce.TransactionId, tracker.Options.Interval, outcome.Leechers, outcome.Seeders, peers, family);
                break;
            case UdpScrapeRequest scrapeRequest:
                var files = tracker.Scrape(scrapeRequest.InfoHashes, keepUnserved: true);
                UdpTrackerPacket.WriteScrapeResponse(output, scrapeRequest.TransactionId, files ?? scrapeRequest.InfoHashes.Select(h => new ScrapeFile(h, 0, 0, 0)).ToList());
                break;
        }
    }
}
