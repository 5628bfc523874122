using System.Diagnostics;
using Peerbucket.Hosting;

namespace Peerbucket.Tests;

public sealed class ServerOptionsTests
{
    [Theory]
    [InlineData("./data", "/home/user/repo", "/home/user/repo/data")]
    [InlineData("data", "/home/user/repo", "/home/user/repo/data")]
    [InlineData("../pb", "/home/user/repo", "/home/user/pb")]
    [InlineData("/srv/pb", "/home/user/repo", "/srv/pb")]
    public void DataResolvesAgainstTheWorkingDirectoryOfTheCommand(string data, string workingDirectory, string expected)
        => Assert.Equal(expected, new ServerOptions { Data = data }.DataDirectory(workingDirectory));

    [Fact]
    public void TheDefaultDataDirectoryIsDataInTheWorkingDirectory()
        => Assert.Equal("/tmp/somewhere/data", new ServerOptions().DataDirectory("/tmp/somewhere"));

    /// <summary>The Web SDK's default makes <c>dotnet run --project src/Peerbucket</c> start the server in
    /// src/Peerbucket, so ./data landed there instead of in the directory the command was typed in.</summary>
    [Fact]
    public async Task DotnetRunStartsTheServerInTheCallersDirectory()
    {
        var project = FindProject();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { "msbuild", project, "-getProperty:RunWorkingDirectory", "-nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var msbuild = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = msbuild.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = msbuild.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await msbuild.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!msbuild.HasExited)
            {
                msbuild.Kill(entireProcessTree: true);
            }
        }

        Assert.True(msbuild.ExitCode == 0, $"dotnet msbuild failed: {await output} {await errors}");

        // Empty: `dotnet run` keeps the caller's working directory.
        Assert.Equal("", (await output).Trim());
    }

    private static string FindProject()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Peerbucket", "Peerbucket.csproj");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"src/Peerbucket/Peerbucket.csproj not found above {AppContext.BaseDirectory}");
    }
}
