using System.Net;
using System.Net.Sockets;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// Listens where the tracker says the store's seeder is and records the info-hash of every BitTorrent handshake
/// that arrives: proof that a client got the seeder from the tracker and dialled it.
/// </summary>
public sealed class SeederProbe : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly List<string> handshakes = [];

    public SeederProbe(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        loop = AcceptAsync();
    }

    public IReadOnlyList<string> InfoHashes
    {
        get
        {
            lock (handshakes)
            {
                return handshakes.ToList();
            }
        }
    }

    public async Task<bool> WaitForAsync(string infoHashHex, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (InfoHashes.Contains(infoHashHex, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ReadHandshakeAsync(client);
        }
    }

    private async Task ReadHandshakeAsync(TcpClient client)
    {
        using (client)
        {
            var buffer = new byte[68];
            var stream = client.GetStream();
            var read = 0;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                while (read < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }
            }
            catch (Exception error) when (error is OperationCanceledException or IOException)
            {
                return;
            }

            if (buffer[0] == 19)
            {
                lock (handshakes)
                {
                    handshakes.Add(Convert.ToHexStringLower(buffer.AsSpan(28, 20)));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}
