namespace Peerbucket.Swarm.Tracker;

public enum SwarmEvent
{
    None,
    Started,
    Completed,
    Stopped,
}
