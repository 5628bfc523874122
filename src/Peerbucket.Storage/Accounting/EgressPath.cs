namespace Peerbucket.Storage.Accounting;

/// <summary>How bytes of an object left the origin.</summary>
public enum EgressPath
{
    /// <summary>Piece messages from the store's seeder (peer wire).</summary>
    Seeder,

    /// <summary>S3 GETs of the object's own URL with a Range header (ranged and parallel S3 downloads).</summary>
    RangeGet,

    /// <summary>HTTP GETs of the whole object.</summary>
    PlainGet,

    /// <summary>Ranges from the content-addressed web seed (<c>/_seed/...</c>, BEP 19), which the origin policy governs.</summary>
    WebSeed,
}
