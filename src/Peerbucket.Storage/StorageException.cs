namespace Peerbucket.Storage;

public sealed class StorageException(StorageError error, string message) : Exception(message)
{
    public StorageError Error { get; } = error;
}
