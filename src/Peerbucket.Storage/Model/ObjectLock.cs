namespace Peerbucket.Storage.Model;

/// <summary>S3 Object Lock retention modes.</summary>
public enum RetentionMode
{
    None,
    Governance,
    Compliance,
}

/// <summary>
/// An object version's lock (S3 Object Lock): a retention (mode and date) and a legal hold. While either holds, the
/// version cannot be deleted (governance retention yields to <c>x-amz-bypass-governance-retention</c>), so its torrent
/// stays served for as long.
/// </summary>
public sealed record ObjectLock(RetentionMode Mode, DateTimeOffset? RetainUntil, bool LegalHold)
{
    public static readonly ObjectLock None = new(RetentionMode.None, null, false);

    /// <summary>True while the retention has not run out.</summary>
    public bool RetainedAt(DateTimeOffset now) => Mode != RetentionMode.None && RetainUntil > now;

    /// <summary>Null when the version may be deleted now; else why not.</summary>
    public string? RefusesDelete(DateTimeOffset now, bool bypassGovernance) =>
        LegalHold ? "legal hold"
        : RetainedAt(now) && (Mode == RetentionMode.Compliance || !bypassGovernance) ? $"{Mode} retention until {RetainUntil:O}"
        : null;

    /// <summary>True while the version cannot be deleted by anyone without first lifting something (a legal hold, a
    /// retention): its torrent is permanent until then.</summary>
    public bool IsActive(DateTimeOffset now) => LegalHold || RetainedAt(now);
}
