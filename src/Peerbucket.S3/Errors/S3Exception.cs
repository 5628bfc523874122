namespace Peerbucket.S3.Errors;

/// <summary>Thrown by handlers through <see cref="S3Exception"/>; rendered once, by the error middleware.</summary>
internal sealed class S3Exception(S3ErrorCode code, string? message = null) : Exception(message ?? S3Errors.MessageOf(code))
{
    public S3ErrorCode Code { get; } = code;

    /// <summary>Extra elements for the XML body (e.g. ArgumentName, ArgumentValue), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];
}
