namespace Peerbucket.Protocols.Bencode;

internal static class Placeholder;
