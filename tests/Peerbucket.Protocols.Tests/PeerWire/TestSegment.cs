using System.Buffers;

namespace Peerbucket.Protocols.Tests.PeerWire;

/// <summary>Builds multi-segment sequences: split at given offsets, or one byte per segment.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    private TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length).ToArray();
        var first = new TestSegment(data.AsMemory(0, bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length; i++)
        {
            var next = new TestSegment(data.AsMemory(bounds[i - 1], bounds[i] - bounds[i - 1]), bounds[i - 1]);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
        => data.Length == 0 ? ReadOnlySequence<byte>.Empty : Split(data, [.. Enumerable.Range(1, data.Length - 1)]);

    /// <summary>The data whole, padded in a larger array, split at every offset, and one byte per segment.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> AllShapes(byte[] data)
    {
        yield return new ReadOnlySequence<byte>(data);
        var padded = new byte[data.Length + 16];
        padded.AsSpan().Fill(0xEE);
        data.CopyTo(padded, 7);
        yield return new ReadOnlySequence<byte>(padded, 7, data.Length);
        for (var cut = 1; cut < data.Length; cut++)
        {
            yield return Split(data, cut);
        }

        yield return OneBytePerSegment(data);
    }
}
