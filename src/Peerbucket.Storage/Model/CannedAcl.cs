namespace Peerbucket.Storage.Model;

/// <summary>The canned ACLs Peerbucket stores. Anything finer is not modelled.</summary>
public enum CannedAcl
{
    Private,
    PublicRead,
}
