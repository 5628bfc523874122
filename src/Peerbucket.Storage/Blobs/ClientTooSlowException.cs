namespace Peerbucket.Storage.Blobs;

/// <summary>The client acknowledged nothing for the drain timeout while a response chunk waited for it
/// (<see cref="BlobSender"/>): the response is cut off and the connection closed.</summary>
public sealed class ClientTooSlowException(TimeSpan timeout)
    : IOException($"the client read nothing for {timeout.TotalSeconds:F0} s");
