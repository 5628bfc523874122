using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Swarm.Tracker;

/// <summary>
/// The UDP tracker (BEP 15) on the tracker port: connect, announce (IPv4 and IPv6 replies), scrape, error. Datagrams
/// are received and answered on dedicated threads with blocking calls (one per core, up to four): a request is a
/// few microseconds of work, so an epoll wake-up and a thread-pool hop per datagram would cost more than the work.
/// </summary>
public sealed class UdpTrackerListener(TrackerService tracker, UdpConnectionIds connectionIds, IPEndPoint bind, ILogger<UdpTrackerListener> logger)
    : BackgroundService
{
    private const int MaxPacket = 2048;
    private static readonly TimeSpan StopCheck = TimeSpan.FromMilliseconds(500);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bind.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = true;
        }

        socket.Bind(bind);
        socket.ReceiveTimeout = (int)StopCheck.TotalMilliseconds;
        var receivers = Math.Clamp(Environment.ProcessorCount, 1, 4);
        logger.LogInformation("UDP tracker listening on {Endpoint} ({Receivers} receivers)", bind, receivers);
        var threads = Enumerable.Range(0, receivers)
            .Select(i => new Thread(() => ReceiveLoop(socket, stoppingToken)) { IsBackground = true, Name = $"udp-tracker-{i}" })
            .ToList();
        threads.ForEach(t => t.Start());
        return Task.Factory.StartNew(() =>
        {
            threads.ForEach(t => t.Join());
            socket.Dispose();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void ReceiveLoop(Socket socket, CancellationToken stoppingToken)
    {
        var buffer = new byte[MaxPacket];
        var output = new ArrayBufferWriter<byte>(MaxPacket);
        var address = new SocketAddress(socket.AddressFamily);
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (SocketException error) when (error.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue; // only to look at the stopping token
            }
            catch (SocketException error)
            {
                // ICMP "port unreachable" from an earlier reply surfaces here on some stacks; the socket is still good.
                logger.LogDebug(error, "UDP tracker receive failed");
                continue;
            }

            var client = (IPEndPoint)template.Create(address);
            output.ResetWrittenCount();
            try
            {
                Handle(buffer.AsSpan(0, received), client, output);
            }
            catch (Exception error)
            {
                // One bad request must not take the receiver down (an exception here would end the process).
                logger.LogError(error, "UDP tracker failed to answer {Client}", client);
                continue;
            }

            if (output.WrittenCount == 0)
            {
                continue;
            }

            try
            {
                socket.SendTo(output.WrittenSpan, SocketFlags.None, address);
            }
            catch (SocketException error)
            {
                logger.LogDebug(error, "UDP tracker reply to {Client} failed", client);
            }
        }
    }

    /// <summary>Answers one datagram into <paramref name="output"/> (nothing for packets too broken to answer). An error
    /// reply is never larger than the datagram it answers: the sender's address is unproven until it has connected.</summary>
    public void Handle(ReadOnlySpan<byte> packet, IPEndPoint client, IBufferWriter<byte> output)
    {
        if (!UdpTrackerPacket.TryParse(packet, out var request, out var failure))
        {
            if (UdpTrackerPacket.TryGetTransactionId(packet, out var transaction))
            {
                UdpTrackerPacket.WriteErrorResponse(output, transaction, failure, packet.Length);
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
                UdpTrackerPacket.WriteErrorResponse(output, request.TransactionId, TrackerFailure.BadConnectionId, packet.Length);
                break;
            case UdpAnnounceRequest announce:
                var outcome = tracker.Announce(announce.ToAnnounceRequest(), client.Address, null);
                if (outcome.Failed)
                {
                    UdpTrackerPacket.WriteErrorResponse(output, announce.TransactionId, outcome.Failure, packet.Length);
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
