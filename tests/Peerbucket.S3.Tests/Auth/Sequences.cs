using System.Buffers;

namespace Peerbucket.S3.Tests.Auth;

/// <summary>Multi-segment <see cref="ReadOnlySequence{T}"/>s over slices of one array (no copies).</summary>
internal static class Sequences
{
    /// <summary><paramref name="data"/> cut before each offset in <paramref name="cuts"/> (ascending; empty
    /// segments allowed); also returns the end position of every segment.</summary>
    public static ReadOnlySequence<byte> Of(byte[] data, IReadOnlyList<int> cuts, out SequencePosition[] segmentEnds)
    {
        var bounds = new List<int> { 0 };
        bounds.AddRange(cuts);
        bounds.Add(data.Length);
        Segment? first = null;
        Segment? last = null;
        segmentEnds = new SequencePosition[bounds.Count - 1];
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var memory = data.AsMemory(bounds[i], bounds[i + 1] - bounds[i]);
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
            segmentEnds[i] = new SequencePosition(last, memory.Length);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        var data = parts.SelectMany(static p => p).ToArray();
        var cuts = new List<int>();
        var offset = 0;
        foreach (var part in parts[..^1])
        {
            offset += part.Length;
            cuts.Add(offset);
        }

        return Of(data, cuts, out _);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
