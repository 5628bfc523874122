namespace Peerbucket.Fuzz.Tests;

/// <summary>Fuzzing in the test command: every target over its seeds and 20,000 mutated inputs (fixed random seed, so a
/// failure reproduces), and every saved finding (fuzz/regressions/TARGET/*) replayed. Longer runs: fuzz/fuzz.sh.</summary>
public sealed class FuzzTargetTests
{
    public static TheoryData<string> Names => [.. Targets.All.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void TwentyThousandMutatedInputsBreakNoProperty(string name)
    {
        var outcome = FuzzRunner.Run(Targets.All[name], 20_000, randomSeed: 20261203);
        Assert.True(outcome.Finding is null,
            $"input {Convert.ToHexString(outcome.Finding?.Input ?? [])} broke {name}: {outcome.Finding?.Error}");
        Assert.Equal(20_000, outcome.Inputs);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EverySeedIsTakenAndTheMutatorMakesNewInputsFromIt(string name)
    {
        var target = Targets.All[name];
        Assert.NotEmpty(target.Seeds);
        Assert.All(target.Seeds, seed => Assert.Null(FuzzRunner.Check(target, seed)));
        var mutator = new Mutator(target.Seeds, 1);
        var distinct = Enumerable.Range(0, 200).Select(_ => Convert.ToHexString(mutator.Next())).Distinct().Count();
        Assert.True(distinct > 100, $"only {distinct} distinct inputs of 200");
    }

    [Fact]
    public void EverySavedFindingIsReplayedAndNoLongerBreaksItsTarget()
    {
        var root = Regressions();
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).ToList();
        foreach (var file in files)
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file)!);
            Assert.True(Targets.All.TryGetValue(name, out var target), $"{file}: no target {name}");
            Assert.Null(FuzzRunner.Check(target, File.ReadAllBytes(file)));
        }
    }

    /// <summary>A property check that cannot fail would make all of the above worthless: a broken target is caught.</summary>
    [Fact]
    public void ATargetThatThrowsIsReportedWithTheInputThatBrokeIt()
    {
        var broken = new FuzzTarget("broken", input => _ = input.Length > 3 ? throw new FuzzFinding("long") : 0, ["ab"u8.ToArray()]);
        var outcome = FuzzRunner.Run(broken, 10_000, randomSeed: 7);
        Assert.NotNull(outcome.Finding);
        Assert.True(outcome.Finding.Input.Length > 3);
        Assert.Contains("long", outcome.Finding.Error, StringComparison.Ordinal);
    }

    private static string Regressions()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "fuzz", "regressions");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"fuzz/regressions not found above {AppContext.BaseDirectory}");
    }
}
