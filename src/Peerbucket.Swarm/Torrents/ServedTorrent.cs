using Peerbucket.Storage.Model;

namespace Peerbucket.Swarm.Torrents;

/// <summary>An object the store serves over BitTorrent, in the format whose info-hash was asked for.</summary>
public sealed record ServedTorrent(ObjectRecord Object, ObjectTorrent Torrent);
