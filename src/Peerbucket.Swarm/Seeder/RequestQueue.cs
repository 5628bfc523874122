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

    /// <summary>Takes the first queued request that <paramref name="servable"/> accepts.</summary>
    public bool TryTakeWhere(Func<RequestMessage, bool> servable, out RequestMessage request)
    {
        lock (_lock)
        {
            for (var node = _requests.First; node is not null; node = node.Next)
            {
                if (servable(node.Value))
                {
                    request = node.Value;
                    _requests.Remove(node);
                    return true;
                }
            }

            request = default;
            return false;
        }
    }

    /// <summary>Removes and returns every queued request that <paramref name="drop"/> accepts.</summary>
    public List<RequestMessage> RemoveWhere(Func<RequestMessage, bool> drop)
    {
        lock (_lock)
        {
            var dropped = new List<RequestMessage>();
            for (var node = _requests.First; node is not null;)
            {
                var next = node.Next;
                if (drop(node.Value))
                {
                    dropped.Add(node.Value);
                    _requests.Remove(node);
                }

                node = next;
            }

            return dropped;
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

}
