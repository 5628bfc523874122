namespace Peerbucket.S3.Http;

/// <summary>
/// The request body as the object's bytes: aws-chunked framing removed and every signature or declared hash checked
/// by the stream itself (a mismatch throws before the last byte is handed out), trailers available after the end.
/// </summary>
internal sealed class RequestPayload(Stream body, long? length, Func<IReadOnlyDictionary<string, string>>? trailers)
{
    private static readonly Dictionary<string, string> NoTrailers = [];

    public Stream Body { get; } = body;

    /// <summary>The decoded length when the client declared it (Content-Length or x-amz-decoded-content-length).</summary>
    public long? Length { get; } = length;

    /// <summary>Trailing headers (lower-case names) of an aws-chunked body; read them after the body's end.</summary>
    public IReadOnlyDictionary<string, string> Trailers => trailers?.Invoke() ?? NoTrailers;
}
