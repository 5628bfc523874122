using System.Buffers;
using System.Text;
using Peerbucket.S3.Auth;

namespace Peerbucket.S3.Tests.Auth;

/// <summary>Drives an <see cref="AwsChunkedParser"/> the way a pipe reader loop does: the input grows one segment at a
/// time, is marked final with the last one, and after each element the rest is presented again. Checks on the way
/// that NeedMoreData consumes nothing and leaves the parser as it was. Records the elements as text, and the data.</summary>
internal sealed class ParserRun
{
    public List<string> Events { get; } = [];

    public byte[] Data => _data[.._dataLength];

    public AwsChunkedError Error { get; private set; }

    private readonly byte[] _data;
    private int _dataLength;

    private ParserRun(int capacity) => _data = new byte[capacity];

    public static AwsChunkedParser Parser(string mode, long? decoded) =>
        new(SigV4PayloadHashes.IsSignedStreaming(mode), SigV4PayloadHashes.HasTrailer(mode), decoded);

    /// <summary>Runs <paramref name="body"/> cut at <paramref name="cuts"/> to the end or the first failure; with
    /// <paramref name="endsInput"/> false, the input is never final and the run stops at the NeedMoreData after the
    /// last segment (recorded as "need-more").</summary>
    public static ParserRun Of(
        AwsChunkedParser parser, byte[] body, IReadOnlyList<int> cuts, bool keepData = true, int maxDataBytes = int.MaxValue, bool endsInput = true)
    {
        var run = new ParserRun(keepData ? body.Length : 0);
        var all = Sequences.Of(body, cuts, out var ends);
        var consumed = all.Start;
        var received = 1;
        var completed = false;
        while (true)
        {
            var input = all.Slice(consumed, ends[received - 1]);
            var isFinal = endsInput && received == ends.Length;
            var before = parser;
            var status = parser.Parse(input, isFinal, out var token, maxDataBytes);
            if (status == AwsChunkedStatus.NeedMoreData)
            {
                Assert.Equal(0, token.Consumed);
                Assert.Equal(before, parser);
                Assert.False(isFinal, "a final block never needs more data");
                if (received == ends.Length)
                {
                    run.Events.Add("need-more");
                    return run;
                }

                received++;
                continue;
            }

            run.Record(status, token, keepData, ref completed);
            if (status == AwsChunkedStatus.Invalid)
            {
                Assert.Equal(0, token.Consumed);
                return run;
            }

            Assert.True(token.Consumed > 0 || status == AwsChunkedStatus.Completed, $"{status} consumed nothing");
            consumed = input.GetPosition(token.Consumed);
            if (status == AwsChunkedStatus.Completed && input.Length == token.Consumed)
            {
                if (isFinal)
                {
                    return run;
                }

                if (received == ends.Length)
                {
                    run.Events.Add("need-more");
                    return run;
                }

                received++;
            }
        }
    }

    public static ParserRun Whole(AwsChunkedParser parser, byte[] body) => Of(parser, body, []);

    /// <summary>The body in the middle of a larger 0xFF-filled array, at an odd offset, sliced to the body.</summary>
    public static ParserRun Padded(AwsChunkedParser parser, byte[] body)
    {
        var padded = Enumerable.Repeat((byte)0xFF, body.Length + 14).ToArray();
        body.CopyTo(padded, 7);
        var run = new ParserRun(body.Length);
        var input = new ReadOnlySequence<byte>(padded, 7, body.Length);
        var completed = false;
        while (true)
        {
            var status = parser.Parse(input, isFinalBlock: true, out var token);
            run.Record(status, token, keepData: true, ref completed);
            input = input.Slice(token.Consumed);
            if (status == AwsChunkedStatus.Invalid || (status == AwsChunkedStatus.Completed && input.IsEmpty))
            {
                return run;
            }
        }
    }

    public static ParserRun SplitAt(AwsChunkedParser parser, byte[] body, int offset, bool keepData = true) => Of(parser, body, [offset], keepData);

    public static ParserRun OneBytePerSegment(AwsChunkedParser parser, byte[] body) =>
        Of(parser, body, Enumerable.Range(1, Math.Max(0, body.Length - 1)).ToArray());

    private void Record(AwsChunkedStatus status, in AwsChunkedToken token, bool keepData, ref bool completed)
    {
        switch (status)
        {
            case AwsChunkedStatus.ChunkHeader:
                Events.Add($"header {token.ChunkSize:x} {Text(token.Signature)}".TrimEnd());
                break;
            case AwsChunkedStatus.ChunkData:
                Assert.True(token.Data.Length > 0);
                if (keepData)
                {
                    token.Data.CopyTo(_data.AsSpan(_dataLength));
                    _dataLength += (int)token.Data.Length;
                }

                break;
            case AwsChunkedStatus.ChunkEnd:
                Events.Add("end");
                break;
            case AwsChunkedStatus.FinalChunk:
                Events.Add($"final {Text(token.Signature)}".TrimEnd());
                break;
            case AwsChunkedStatus.Trailer:
                Events.Add($"trailer {Text(token.TrailerName)}={Text(token.TrailerValue)}");
                break;
            case AwsChunkedStatus.Completed when !completed:
                completed = true;
                Events.Add("completed");
                break;
            case AwsChunkedStatus.Invalid:
                Error = token.Error;
                Events.Add($"invalid {token.Error}");
                break;
        }
    }

    private static string Text(in ReadOnlySequence<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
