using System.Net.Sockets;

namespace Peerbucket.Hosting;

/// <summary>
/// Holds a port reserved by <see cref="PortReservation"/> for a listener that binds its own socket (the UDP tracker,
/// the seeder), and releases it when the host starts it: registered right before that listener, which the host
/// starts next, so the port is free only for the moment between the two.
/// </summary>
internal sealed class PortHandover(Socket reserved) : IHostedService, IDisposable
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        reserved.Dispose();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => reserved.Dispose();
}
