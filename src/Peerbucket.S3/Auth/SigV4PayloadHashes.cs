namespace Peerbucket.S3.Auth;

/// <summary>The values x-amz-content-sha256 may take besides a hex SHA-256.</summary>
internal static class SigV4PayloadHashes
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /// <summary>Hex SHA-256 of the empty string.</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>True for the three aws-chunked modes: the body must be decoded with <see cref="AwsChunkedStream"/>.</summary>
    public static bool IsStreaming(string? value) =>
        value is StreamingPayload or StreamingPayloadTrailer or StreamingUnsignedPayloadTrailer;

    /// <summary>True when each chunk carries a chunk-signature.</summary>
    public static bool IsSignedStreaming(string? value) => value is StreamingPayload or StreamingPayloadTrailer;

    /// <summary>True when the body ends with trailing headers.</summary>
    public static bool HasTrailer(string? value) => value is StreamingPayloadTrailer or StreamingUnsignedPayloadTrailer;

    /// <summary>True for 64 hex digits (the SHA-256 of a fully signed payload).</summary>
    public static bool IsHexSha256(string? value) =>
        value is { Length: 64 } && value.All(char.IsAsciiHexDigit);

    /// <summary>True for any value this server accepts in x-amz-content-sha256.</summary>
    public static bool IsKnown(string? value) =>
        value is UnsignedPayload || IsStreaming(value) || IsHexSha256(value);
}
