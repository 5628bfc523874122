using System.Net;
using System.Net.Sockets;
using Peerbucket.Storage.Blobs;

namespace Peerbucket.Storage.Tests.Blobs;

/// <summary>TCP_INFO's bytes-acknowledged counter, read over a real loopback connection.</summary>
public sealed class TcpProgressTests
{
    [Fact]
    public async Task CountsWhatThePeerAcknowledgedAndStandsStillWhileItReadsNothing()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        var progress = TcpProgress.Of(server);
        Assert.NotNull(progress);
        var start = progress();

        var payload = new byte[100_000];
        var sending = server.SendAsync(payload);
        var received = 0;
        var buffer = new byte[8192];
        while (received < payload.Length)
        {
            received += await client.ReceiveAsync(buffer);
        }

        await sending;
        await Task.Delay(100); // the last ACKs
        Assert.InRange(progress() - start, payload.Length, payload.Length + 1);

        // The client stops reading: once its window is full, nothing more is acknowledged.
        _ = server.SendAsync(new byte[4 * 1024 * 1024]);
        await Task.Delay(500);
        var stalled = progress();
        await Task.Delay(500);
        Assert.Equal(stalled, progress());
    }

    [Fact]
    public void WithoutASocketThereIsNoProgressToRead() => Assert.Null(TcpProgress.Of(null));
}
