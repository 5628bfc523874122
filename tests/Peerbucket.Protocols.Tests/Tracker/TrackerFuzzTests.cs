using System.Buffers;
using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Protocols.Tests.Tracker;

public class TrackerFuzzTests
{
    private const string Alphabet = "%&=+?abcdefinfo_hashpeer_idportleftevent0123456789ABCDEF-\u00FF\u0100";

    [Fact]
    public void RandomQueriesNeverThrowAndFailOnlyWithAReason()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = Alphabet[random.Next(Alphabet.Length)];
            }

            var query = new string(chars);
            if (!AnnounceQueryParser.TryParse(query, out var request, out var failure))
            {
                Assert.NotEqual(TrackerFailure.None, failure);
            }
            else
            {
                Assert.Equal(20, request.InfoHash.Length);
            }

            if (!ScrapeQueryParser.TryParse(query, out var hashes, out failure))
            {
                Assert.NotEqual(TrackerFailure.None, failure);
            }
            else
            {
                Assert.All(hashes, h => Assert.Equal(20, h.Length));
            }
        }
    }

    [Fact]
    public void MutatedUdpPacketsNeverThrow()
    {
        var random = new Random(99);
        for (var i = 0; i < 20_000; i++)
        {
            var packet = new byte[random.Next(0, 200)];
            random.NextBytes(packet);
            if (packet.Length >= 12)
            {
                packet[8] = packet[9] = packet[10] = 0;
                packet[11] = (byte)random.Next(0, 5);
            }

            _ = UdpTrackerPacket.TryParse(packet, out _, out _);
        }
    }

    [Fact]
    public void ErrorMessageIsNotCutInsideAUtf8Sequence()
    {
        var output = new ArrayBufferWriter<byte>();
        var written = UdpTrackerPacket.WriteErrorResponse(output, 1, new string('x', 255) + "é");
        Assert.Equal(8 + 255, written);
    }
}
