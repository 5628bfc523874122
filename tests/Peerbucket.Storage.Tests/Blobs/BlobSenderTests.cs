using System.IO.Pipelines;
using Peerbucket.Storage.Blobs;

namespace Peerbucket.Storage.Tests.Blobs;

/// <summary>How a blob range goes out to a response body: the bytes in order, in steps of <see cref="BlobSender.ChunkSize"/>
/// while the client keeps up, and of <see cref="BlobSender.SlowChunkSize"/> once a flush had to wait for it.</summary>
public sealed class BlobSenderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "pb-blobsender-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _data = Enumerable.Range(0, 512 * 1024).Select(i => (byte)(i * 7)).ToArray();

    public BlobSenderTests() => File.WriteAllBytes(_path, _data);

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task AFastClientGetsWholeStepsAndASlowOneSmallStepsWithTheSameBytes()
    {
        foreach (var slow in new[] { false, true })
        {
            // The fast client's pipe never fills (every flush completes at once); the slow one's fills at the first step.
            var pause = slow ? 64 * 1024 : 1024 * 1024;
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: pause, resumeWriterThreshold: pause / 2, useSynchronizationContext: false));
            var steps = new List<int>();
            using var file = File.OpenHandle(_path);
            var reading = ReadAllAsync(pipe.Reader, slow ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero);
            await BlobSender.SendAsync(pipe.Writer, file, 1000, _data.Length - 1000, steps.Add, CancellationToken.None);
            await pipe.Writer.CompleteAsync();

            Assert.Equal(_data.AsSpan(1000).ToArray(), await reading);
            Assert.Equal(BlobSender.ChunkSize, steps[0]);
            if (slow)
            {
                Assert.All(steps.Skip(1).SkipLast(1), step => Assert.Equal(BlobSender.SlowChunkSize, step));
            }
            else
            {
                Assert.All(steps.SkipLast(1), step => Assert.Equal(BlobSender.ChunkSize, step));
            }
        }
    }

    /// <summary>Reads everything; a slow client waits <paramref name="firstPause"/> after the first bytes arrive before it
    /// consumes any (counted from the arrival, not from the start: a sender that starts late under load must still find
    /// its first flush waiting).</summary>
    private static async Task<byte[]> ReadAllAsync(PipeReader reader, TimeSpan firstPause)
    {
        if (firstPause > TimeSpan.Zero)
        {
            var first = await reader.ReadAsync();
            reader.AdvanceTo(first.Buffer.Start); // nothing consumed yet
            await Task.Delay(firstPause);
        }

        var all = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                all.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return all.ToArray();
            }
        }
    }
}
