using System.Runtime.InteropServices;

namespace Peerbucket.Storage.Blobs;

/// <summary>
/// fsync(2) of a directory, so the names it holds (a blob renamed into it, a new subdirectory) survive a power loss
/// the way the files' bytes do. .NET has no API for it: File.OpenHandle refuses directories, so the directory is
/// opened, synced and closed through libc. On Windows, where NTFS journals renames and directories cannot be opened
/// like this, it does nothing.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY; no O_DIRECTORY, whose value differs between architectures
    private const int InvalidArgument = 22; // EINVAL (Linux and macOS): the file system cannot sync a directory

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; throws <see cref="IOException"/> when that fails.</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() != InvalidArgument)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Failure(string call, string directory) =>
        new($"{call} of directory {directory} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

#pragma warning disable SYSLIB1054 // LibraryImport needs AllowUnsafeBlocks, which this solution keeps off
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
#pragma warning restore SYSLIB1054
}
