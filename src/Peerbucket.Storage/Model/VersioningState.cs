namespace Peerbucket.Storage.Model;

/// <summary>A bucket's versioning, as S3 has it: never configured, enabled, or suspended once enabled (a bucket never
/// returns to unversioned).</summary>
public enum VersioningState
{
    Unversioned = 0,
    Enabled = 1,
    Suspended = 2,
}
