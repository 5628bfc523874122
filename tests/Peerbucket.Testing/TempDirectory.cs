namespace Peerbucket.Testing;

/// <summary>A new directory under the system temp directory, deleted (as far as possible) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "pb-test") => Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;

    public string Path { get; }

    /// <summary>A path inside the directory.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
        catch (IOException)
        {
            // a killed program may still be releasing a file in it: the temp directory is the system's to clean
        }
        catch (UnauthorizedAccessException)
        {
            // a tool made a file read-only: as above
        }
    }
}
