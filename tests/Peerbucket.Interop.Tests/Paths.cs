namespace Peerbucket.Interop.Tests;

/// <summary>Where things are: executables on PATH, the repository's interop js folder, the server binary.</summary>
public static class Paths
{
    /// <summary>The server's entry assembly, copied into the test output by the project reference.</summary>
    public static string ServerAssembly => Path.Combine(AppContext.BaseDirectory, "Peerbucket.dll");

    /// <summary>tests/Peerbucket.Interop.Tests/js in the source tree (npm installs @aws-sdk/client-s3 there).</summary>
    public static string JsDirectory { get; } = FindJsDirectory();

    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : FindExecutable("dotnet") ?? "dotnet";

    public static string? FindExecutable(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FindJsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Peerbucket.Interop.Tests", "js");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "js");
    }
}
