namespace Peerbucket.Storage.Blobs;

/// <summary>The client took nothing of a response chunk within the drain timeout (<see cref="BlobSender"/>): the
/// response is cut off and the connection closed.</summary>
public sealed class ClientTooSlowException(TimeSpan timeout)
    : IOException($"the client read nothing of a {BlobSender.ChunkSize}-byte chunk for {timeout.TotalSeconds:F0} s");
