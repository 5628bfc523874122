using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;
using Peerbucket.Storage.Blobs;
using Peerbucket.Swarm.Origin;

namespace Peerbucket.Swarm.WebSeed;

/// <summary>Web-seed bytes of one blob to one response, within the origin budget: with a budget, each
/// <see cref="Slice"/> is paid for before it is sent (a slower stream, which every client keeps); without one, the range
/// goes out in one call.</summary>
internal sealed class BudgetedSend(PipeWriter writer, SafeFileHandle file, UploadThrottle budget, string objectKey, Action<int> sent,
    Func<long>? progress)
{
    /// <summary>Bytes paid for at once: small enough that a budget of a few hundred KB/s still streams smoothly.</summary>
    private const int Slice = 64 * 1024;

    public async Task SendAsync(long offset, long length, CancellationToken cancellationToken)
    {
        if (budget.IsUnlimited)
        {
            await BlobSender.SendAsync(writer, file, offset, length, sent, cancellationToken, progress: progress);
            return;
        }

        while (length > 0)
        {
            var slice = (int)Math.Min(Slice, length);
            await budget.TakeAsync(objectKey, slice, cancellationToken);
            await BlobSender.SendAsync(writer, file, offset, slice, sent, cancellationToken, progress: progress);
            offset += slice;
            length -= slice;
        }
    }
}
