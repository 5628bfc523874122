namespace Peerbucket.Protocols.Tests.Interop;

/// <summary>What an external program did.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public ProcessResult EnsureSuccess(string program)
        => ExitCode == 0 ? this : throw new InvalidOperationException($"{program} exited with {ExitCode}: {Stderr}{Stdout}");
}
