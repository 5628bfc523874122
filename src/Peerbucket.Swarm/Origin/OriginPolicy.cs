namespace Peerbucket.Swarm.Origin;

/// <summary>How much the origin (seeder and web seed) sends when peers could send it instead.</summary>
public enum OriginPolicy
{
    /// <summary>Inject each piece about once and let peers do the rest: strict super-seeding while two or more peers
    /// download, web-seed ranges only for pieces no peer has been given; a lone downloader gets full speed.</summary>
    Thrifty,

    /// <summary>Serve everything asked, at full speed (the seeder seeds normally, the web seed answers every range).</summary>
    Fast,
}
