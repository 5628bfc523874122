using System.Text;

namespace Peerbucket.Testing;

/// <summary>
/// Reads one of a program's output pipes from the moment it starts until end of file, so the program never blocks on
/// a full pipe. Keeps the text (up to a limit) and hands each complete line to a callback.
/// </summary>
internal sealed class OutputPump
{
    private readonly StringBuilder text = new();
    private readonly StringBuilder line = new();
    private readonly Action<string> onLine;
    private readonly int maxChars;
    private readonly CancellationTokenSource stop = new();
    private long dropped;

    public OutputPump(StreamReader reader, Action<string> onLine, int maxChars)
    {
        this.onLine = onLine;
        this.maxChars = maxChars;
        Completion = Task.Run(() => PumpAsync(reader));
    }

    /// <summary>Completes at end of file (or when <see cref="Abandon"/> stopped the reading).</summary>
    public Task Completion { get; }

    public string Text
    {
        get
        {
            lock (text)
            {
                return dropped == 0 ? text.ToString() : $"{text}\n[{dropped} more characters not kept]\n";
            }
        }
    }

    /// <summary>Stops reading a pipe that a descendant of the program still holds open after the program exited.</summary>
    public void Abandon() => stop.Cancel();

    private async Task PumpAsync(StreamReader reader)
    {
        var buffer = new char[16 * 1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, stop.Token)) > 0)
            {
                Append(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // abandoned: what was read is kept
        }
        catch (IOException)
        {
            // the pipe broke (the process object was disposed): what was read is kept
        }
        catch (ObjectDisposedException)
        {
            // as above
        }
        finally
        {
            string? last = null;
            lock (text)
            {
                if (line.Length > 0)
                {
                    last = line.ToString();
                    line.Clear();
                }
            }

            if (last is not null)
            {
                onLine(last);
            }
        }
    }

    private void Append(ReadOnlySpan<char> chunk)
    {
        List<string>? lines = null;
        lock (text)
        {
            var room = Math.Max(0, maxChars - text.Length);
            text.Append(chunk[..Math.Min(room, chunk.Length)]);
            dropped += Math.Max(0, chunk.Length - room);
            foreach (var c in chunk)
            {
                if (c == '\n')
                {
                    (lines ??= []).Add(line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else if (line.Length < maxChars)
                {
                    line.Append(c);
                }
            }
        }

        foreach (var complete in lines ?? [])
        {
            onLine(complete);
        }
    }
}
