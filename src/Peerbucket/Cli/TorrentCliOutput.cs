using Spectre.Console;

namespace Peerbucket.Cli;

/// <summary>Output of the torrent verbs: "Label: value" lines (plain when redirected), errors on stderr.</summary>
internal static class TorrentCliOutput
{
    private static readonly IAnsiConsole ErrorConsole = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });

    public static void Field(string label, string value)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine($"{label}: {value}");
        }
        else
        {
            // The value goes out unwrapped so long URIs stay copyable.
            AnsiConsole.Markup($"[bold]{Markup.Escape(label)}:[/] ");
            Console.Out.WriteLine(value);
        }
    }

    public static int Fail(string message)
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine($"error: {message}");
        }
        else
        {
            ErrorConsole.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        }

        return 1;
    }
}
