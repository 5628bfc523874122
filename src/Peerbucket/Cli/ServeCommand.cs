using System.CommandLine;

namespace Peerbucket.Cli;

/// <summary>`peerbucket serve`: runs the S3 API (and later the tracker and seeder).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Start the server.");
        command.SetAction((_, _) => Task.FromResult(0));
        return command;
    }
}
