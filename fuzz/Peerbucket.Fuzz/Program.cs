using System.Diagnostics;
using System.Security.Cryptography;
using Peerbucket.Fuzz;

// Peerbucket.Fuzz list | run TARGET [INPUTS] [SEED] | replay TARGET FILE... | seeds TARGET DIR | afl TARGET | libfuzzer TARGET
// run: the in-process runner (what the test command does briefly); a finding is written to fuzz/findings/TARGET/ and
// the exit code is 1. afl / libfuzzer: the entry points for coverage-guided fuzzing under AFL++ (SharpFuzz's
// out-of-process mode) or libfuzzer-dotnet, after `sharpfuzz` instrumented the assemblies (fuzz/fuzz.sh does both).
if (args.Length == 0 || args[0] == "list")
{
    foreach (var name in Targets.All.Keys)
    {
        Console.WriteLine(name);
    }

    return 0;
}

if (args.Length < 2 || !Targets.All.TryGetValue(args[1], out var target))
{
    Console.Error.WriteLine($"unknown target; one of: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}

switch (args[0])
{
    case "run":
        var inputs = args.Length > 2 ? long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var seed = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        var clock = Stopwatch.StartNew();
        var outcome = FuzzRunner.Run(target, inputs, seed);
        Console.WriteLine($"{target.Name}: {outcome.Inputs:N0} inputs in {clock.Elapsed.TotalSeconds:F1} s ({outcome.Inputs / clock.Elapsed.TotalSeconds:N0}/s), seed {seed}");
        if (outcome.Finding is { } finding)
        {
            var directory = Path.Combine("fuzz", "findings", target.Name);
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, "crash-" + Convert.ToHexStringLower(SHA1.HashData(finding.Input)));
            File.WriteAllBytes(file, finding.Input);
            Console.WriteLine($"FINDING {file}: {finding.Error}");
            return 1;
        }

        return 0;
    case "replay":
        var failed = 0;
        foreach (var file in args.Skip(2))
        {
            if (FuzzRunner.Check(target, File.ReadAllBytes(file)) is { } error)
            {
                Console.WriteLine($"{file}: {error}");
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    case "seeds":
        Directory.CreateDirectory(args[2]);
        for (var i = 0; i < target.Seeds.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(args[2], $"seed-{i}"), target.Seeds[i]);
        }

        return 0;
    case "afl":
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            target.Run(memory.ToArray());
        });
        return 0;
    case "libfuzzer":
        SharpFuzz.Fuzzer.LibFuzzer.Run(span => target.Run(span.ToArray()));
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
