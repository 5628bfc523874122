using System.Net.Sockets;
using System.Text;

namespace Peerbucket.Interop.Tests;

/// <summary>HTTP with a bounded cost per connection: one address cannot hold more than its share of connections
/// (curl, from two loopback addresses), and a client that stops reading is cut off instead of holding its buffers.</summary>
public sealed class HttpConnectionLimitTests : IDisposable
{
    private readonly TempDirectory temp = new("pb-httplimit");

    public void Dispose() => temp.Dispose();

    [RequiresToolFact("curl")]
    public async Task AnAddressOverItsConnectionCapIsToldToSlowDownWhileOtherAddressesAreServed()
    {
        await using var server = await PeerbucketServer.StartAsync(null, "--max-connections-per-address", "4");
        using var client = server.CreateClient();
        await client.PutBucketAsync("cap");
        await Torrents.PutPublicAsync(client, "cap", "k", "hello"u8.ToArray());
        var url = $"{server.Endpoint}/cap/k";
        var body = temp.Combine("body");

        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new Uri(server.Endpoint).Host, new Uri(server.Endpoint).Port);
                idle.Add(socket);
            }

            await Task.Delay(200); // the server has accepted them
            Assert.Equal(503, await Curl.GetAsync(url, body, "--interface", "127.0.0.1"));
            var error = File.ReadAllText(body);
            Assert.Contains("<Code>SlowDown</Code>", error, StringComparison.Ordinal);
            Assert.Contains("<RequestId>", error, StringComparison.Ordinal);

            // Another address is not affected.
            Assert.Equal(200, await Curl.GetAsync(url, body, "--interface", "127.0.0.2"));
            Assert.Equal("hello", File.ReadAllText(body));
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
        }

        // Its connections closed, the address is served again.
        var status = 0;
        for (var i = 0; i < 50 && status != 200; i++)
        {
            await Task.Delay(100);
            status = await Curl.GetAsync(url, body, "--interface", "127.0.0.1");
        }

        Assert.Equal(200, status);
        Assert.Equal("hello", File.ReadAllText(body));
    }

    [RequiresToolFact("curl")]
    public async Task AClientThatStopsReadingIsCutOffAfterTheDrainTimeoutWhileASlowReaderKeepsGoing()
    {
        await using var server = await PeerbucketServer.LaunchAsync(new ServerLaunch
        {
            Environment = new Dictionary<string, string> { ["Peerbucket__ResponseDrainTimeout"] = "00:00:03" },
        });
        using var client = server.CreateClient();
        await client.PutBucketAsync("slow");
        const int size = 64 * Files.MiB;
        await Torrents.PutPublicAsync(client, "slow", "big.bin", Files.RandomBytes(size, 7));
        var endpoint = new Uri(server.Endpoint);

        using var socket = await RequestAsync(endpoint, "/slow/big.bin");
        using var slow = await RequestAsync(endpoint, "/slow/big.bin");
        using var stop = new CancellationTokenSource();
        var slowReading = ReadSlowlyAsync(slow, stop.Token);

        // Read nothing for longer than the drain timeout (and the kernel's buffers take to fill), then everything.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var buffer = new byte[1024 * 1024];
        long received = 0;
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, reading.Token)) > 0)
            {
                received += read;
            }
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
            // cut off: what the test wants
        }

        Assert.False(reading.IsCancellationRequested, $"the server kept a client that read nothing for 8 s ({received} bytes came after)");
        Assert.True(received < size, $"the whole {size}-byte object arrived: nothing was cut off");
        Assert.Contains("cut off: the client read nothing", server.Output, StringComparison.Ordinal);

        // The slow reader (32 KiB/s: its flushes wait far longer than 3 s for the kernel's buffers to drain) was not cut
        // off: its bytes keep coming.
        await stop.CancelAsync();
        var (slowRead, slowClosed) = await slowReading;
        Assert.False(slowClosed, $"the slow reader was cut off after {slowRead} bytes");
        Assert.True(slowRead >= 4 * 32 * 1024, $"the slow reader got only {slowRead} bytes in 8 s");
        var more = await slow.ReceiveAsync(buffer);
        Assert.True(more > 0, "the slow reader was cut off");

        // The server is fine: the next client gets the object.
        var body = temp.Combine("after.bin");
        Assert.Equal(200, await Curl.GetAsync($"{server.Endpoint}/slow/big.bin", body));
        Assert.Equal(size, new FileInfo(body).Length);
    }

    private static async Task<Socket> RequestAsync(Uri endpoint, string path)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        await socket.ConnectAsync(endpoint.Host, endpoint.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {endpoint.Authority}\r\n\r\n"));
        return socket;
    }

    /// <summary>Reads 8 KiB four times a second until stopped; returns the bytes read and whether the server closed.</summary>
    private static async Task<(long Read, bool Closed)> ReadSlowlyAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[8 * 1024];
        long total = 0;
        while (!stop.IsCancellationRequested)
        {
            var got = 0;
            while (got < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(got), CancellationToken.None);
                if (read == 0)
                {
                    return (total, true);
                }

                got += read;
            }

            total += got;
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (total, false);
    }
}
