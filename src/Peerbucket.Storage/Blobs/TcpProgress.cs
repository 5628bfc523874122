using System.Buffers.Binary;
using System.Net.Sockets;

namespace Peerbucket.Storage.Blobs;

/// <summary>
/// How many bytes the client of a TCP connection has acknowledged (Linux <c>TCP_INFO</c>'s <c>tcpi_bytes_acked</c>), to
/// tell a slow reader from one that reads nothing: the kernel's send buffer (megabytes, autotuned) hides both from the
/// process, and a writer blocked on it wakes only once half of it drained — minutes for a reader at a few KiB/s.
/// </summary>
public static class TcpProgress
{
    private const int SolTcp = 6;
    private const int TcpInfo = 11;

    /// <summary>Offset of <c>tcpi_bytes_acked</c> in <c>struct tcp_info</c> (8 one-byte fields, 24 u32, 2 u64).</summary>
    private const int BytesAckedOffset = 120;

    /// <summary>A reader of the bytes acknowledged on <paramref name="socket"/>, or null when there is no socket or the
    /// platform does not tell (then a client that drains nothing within the timeout is cut off without asking).</summary>
    public static Func<long>? Of(Socket? socket)
    {
        if (socket is null || !OperatingSystem.IsLinux() || Acked(socket) < 0)
        {
            return null;
        }

        return () => Acked(socket);
    }

    /// <summary>Offsets of <c>tcpi_unacked</c> (segments sent and not acknowledged) and <c>tcpi_notsent_bytes</c>.</summary>
    private const int UnackedOffset = 24;

    private const int NotSentOffset = 144;

    /// <summary>True when the client acknowledged everything written to <paramref name="socket"/> (nothing unsent, no
    /// segment unacknowledged); null when the platform does not tell.</summary>
    public static bool? AllAcknowledged(Socket socket)
    {
        Span<byte> info = stackalloc byte[256];
        return ReadInfo(socket, info) >= NotSentOffset + 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(info[UnackedOffset..]) == 0 && BinaryPrimitives.ReadUInt32LittleEndian(info[NotSentOffset..]) == 0
            : null;
    }

    private static long Acked(Socket socket)
    {
        Span<byte> info = stackalloc byte[256];
        return ReadInfo(socket, info) >= BytesAckedOffset + 8 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(info[BytesAckedOffset..]) : -1;
    }

    /// <summary>The socket's <c>TCP_INFO</c> into <paramref name="info"/>: its length, or -1 when there is none.</summary>
    private static int ReadInfo(Socket socket, Span<byte> info)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            return socket.GetRawSocketOption(SolTcp, TcpInfo, info);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return -1;
        }
    }
}
