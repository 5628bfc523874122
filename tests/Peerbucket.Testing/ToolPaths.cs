namespace Peerbucket.Testing;

/// <summary>Where third-party programs are: executables on PATH, the npm packages of the running test project.</summary>
public static class ToolPaths
{
    /// <summary>The <c>js</c> folder (with a package.json) of the test project that runs, found upward from its output
    /// directory (test.sh runs <c>npm ci</c> there).</summary>
    public static string JsDirectory { get; } = FindJsDirectory();

    /// <summary>The file a name with a '/' names, or the first file of that name in a PATH directory; null if none.</summary>
    public static string? FindExecutable(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    private static string FindJsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "js");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "js");
    }
}
