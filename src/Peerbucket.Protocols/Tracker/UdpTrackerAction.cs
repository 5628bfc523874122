namespace Peerbucket.Protocols.Tracker;

/// <summary>BEP 15 action codes.</summary>
public enum UdpTrackerAction
{
    Connect = 0,
    Announce = 1,
    Scrape = 2,
    Error = 3,
}
