using System.CommandLine;
using Peerbucket.Cli;

var root = new RootCommand("Peerbucket: an S3-compatible object store in which every public object is also a torrent.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(TorrentCommands.Create());
return await root.Parse(args).InvokeAsync();
