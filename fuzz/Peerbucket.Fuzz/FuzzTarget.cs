namespace Peerbucket.Fuzz;

/// <summary>One parser under fuzzing: <see cref="Run"/> feeds it an input and throws <see cref="FuzzFinding"/> (or
/// anything unexpected) when a property breaks; <see cref="Seeds"/> are valid inputs from the specs' own examples.</summary>
internal sealed record FuzzTarget(string Name, Action<byte[]> Run, IReadOnlyList<byte[]> Seeds);

/// <summary>A property of a parser that an input broke (a round trip that did not hold, a position out of range).</summary>
internal sealed class FuzzFinding(string message) : Exception(message);
