namespace Peerbucket.Fuzz;

/// <summary>Runs a target in process over its seeds and mutations; stops at the first input that breaks it.</summary>
internal static class FuzzRunner
{
    public sealed record Finding(byte[] Input, string Error);

    public sealed record Outcome(long Inputs, Finding? Finding);

    public static Outcome Run(FuzzTarget target, long inputs, int randomSeed)
    {
        foreach (var seed in target.Seeds)
        {
            if (Check(target, seed) is { } error)
            {
                return new Outcome(0, new Finding(seed, "seed: " + error));
            }
        }

        var mutator = new Mutator(target.Seeds, randomSeed);
        for (long i = 0; i < inputs; i++)
        {
            var input = mutator.Next();
            if (Check(target, input) is { } error)
            {
                return new Outcome(i + 1, new Finding(input, error));
            }
        }

        return new Outcome(inputs, null);
    }

    /// <summary>Null when the target took the input; else what went wrong (the exception, with its stack).</summary>
    public static string? Check(FuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception error)
        {
            return error.ToString();
        }
    }
}
