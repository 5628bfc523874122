namespace Peerbucket.Storage;

internal static class Placeholder;
