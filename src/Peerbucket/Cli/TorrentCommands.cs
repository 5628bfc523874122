using System.CommandLine;

namespace Peerbucket.Cli;

/// <summary>`peerbucket torrent create|show`.</summary>
internal static class TorrentCommands
{
    public static Command Create()
    {
        var command = new Command("torrent", "Create and inspect .torrent files.");
        command.Subcommands.Add(TorrentCreateCommand.Create());
        command.Subcommands.Add(TorrentShowCommand.Create());
        return command;
    }
}
