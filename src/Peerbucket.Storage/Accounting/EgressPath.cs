namespace Peerbucket.Storage.Accounting;

/// <summary>How bytes of an object left the origin.</summary>
public enum EgressPath
{
    /// <summary>Piece messages from the store's seeder (peer wire).</summary>
    Seeder,

    /// <summary>HTTP GETs with a Range header: what web seeds send (ranged S3 downloads land here too).</summary>
    RangeGet,

    /// <summary>HTTP GETs of the whole object.</summary>
    PlainGet,
}
