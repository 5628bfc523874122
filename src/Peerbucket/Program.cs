using System.CommandLine;
using Peerbucket.Cli;

var root = new RootCommand("Peerbucket: an S3-compatible object store in which every public object is also a torrent.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(TorrentCommands.Create());
root.Subcommands.Add(UserCommands.Create());
// On SIGTERM the host drains in-flight requests (up to its 30 s shutdown timeout) and exits 0; System.CommandLine's
// own 2 s termination timeout would cut that short with exit code 143.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45) });
