namespace Peerbucket.Interop.Tests;

/// <summary>Where the server is: its entry assembly and the dotnet host that runs it (executables on PATH and the js
/// folder: <see cref="ToolPaths"/>).</summary>
public static class Paths
{
    /// <summary>The server's entry assembly, copied into the test output by the project reference.</summary>
    public static string ServerAssembly => Path.Combine(AppContext.BaseDirectory, "Peerbucket.dll");

    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ToolPaths.FindExecutable("dotnet") ?? "dotnet";
}
