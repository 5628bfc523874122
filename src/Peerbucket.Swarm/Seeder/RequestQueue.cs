using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Swarm.Seeder;

/// <summary>One peer's queued block requests: added by the reading side, taken by the sending side, removed by cancel.</summary>
internal sealed class RequestQueue(int capacity)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<RequestMessage> _requests = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>False when the queue is full (the caller rejects).</summary>
    public bool TryAdd(RequestMessage request)
    {
        lock (_lock)
        {
            if (_requests.Count >= capacity)
            {
                return false;
            }

            _requests.AddLast(request);
            return true;
        }
    }

    public bool TryTake(out RequestMessage request)
    {
        lock (_lock)
        {
            if (_requests.First is { } first)
            {
                request = first.Value;
                _requests.RemoveFirst();
                return true;
            }

            request = default;
            return false;
        }
    }

    /// <summary>BEP 3 cancel: drops a queued request; false if it was not queued (already sent or never asked).</summary>
    public bool Remove(RequestMessage request)
    {
        lock (_lock)
        {
            return _requests.Remove(request);
        }
    }

    public List<RequestMessage> TakeAll()
    {
        lock (_lock)
        {
            var all = _requests.ToList();
            _requests.Clear();
            return all;
        }
    }
}
