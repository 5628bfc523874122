using System.Security.Cryptography;

namespace Peerbucket.Interop.Tests;

/// <summary>Deterministic test data (fixed seeds) and file helpers (temp directories: <see cref="TempDirectory"/>).</summary>
public static class Files
{
    public const int MiB = 1024 * 1024;

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static string Md5Hex(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>Relative path (with '/') to bytes of every file under <paramref name="root"/>.</summary>
    public static SortedDictionary<string, byte[]> ReadTree(string root)
    {
        var tree = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            tree[Path.GetRelativePath(root, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        }

        return tree;
    }
}
