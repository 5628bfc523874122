namespace Peerbucket.Storage.Model;

/// <summary>
/// A bucket's S3 Block Public Access settings. <see cref="IgnorePublicAcls"/> and <see cref="RestrictPublicBuckets"/>
/// change what the one authorization function decides (public ACLs count as private; a public policy grants
/// anonymous callers nothing); <see cref="BlockPublicAcls"/> and <see cref="BlockPublicPolicy"/> refuse requests that
/// would make the bucket or an object public.
/// </summary>
public sealed record PublicAccessBlock(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets)
{
    /// <summary>No block configured (S3's default for a bucket without a PublicAccessBlock configuration).</summary>
    public static readonly PublicAccessBlock None = new(false, false, false, false);

    /// <summary>The subresource name it is stored under (the bucket configuration store).</summary>
    public const string Subresource = "publicAccessBlock";

    /// <summary>Four characters, one per setting in declaration order, '1' for on.</summary>
    public string Encode() => string.Concat(Bit(BlockPublicAcls), Bit(IgnorePublicAcls), Bit(BlockPublicPolicy), Bit(RestrictPublicBuckets));

    public static PublicAccessBlock Decode(string? text) =>
        text is { Length: 4 } ? new(text[0] == '1', text[1] == '1', text[2] == '1', text[3] == '1') : None;

    private static char Bit(bool on) => on ? '1' : '0';
}
