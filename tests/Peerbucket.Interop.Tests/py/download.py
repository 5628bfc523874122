#!/usr/bin/python3
"""Downloads one torrent (a .torrent file or a magnet URI) with libtorrent: DHT/LSD/PEX/UPnP/NAT-PMP and uTP off, web
seeds dropped unless --web-seeds, trackers dropped unless --keep-trackers. Dials --peer HOST:PORT directly (repeatable).
With --tracker URL (repeatable) only those trackers are used. --download-rate BYTES caps the session's download rate
(libtorrent's download_rate_limit); --status-file PATH is rewritten about every 0.1 s with
{"t", "progress", "total_done", "peers"} so a test can act while the download runs.
Prints one JSON line at the end: {"done", "progress", "total_done", "seconds", "path", "peers_seen", "web_seeds_seen",
"errors", "events", "completed_reported"}; peers_seen are BitTorrent peers, web_seeds_seen the endpoints of web-seed connections, "events" peer
disconnects and errors with their Unix time: {"t", "what", "endpoint", "message"}. Exits 0 when done.
Usage: download.py TORRENT_OR_MAGNET SAVE_DIR [--peer HOST:PORT]... [--keep-trackers] [--tracker URL]... [--web-seeds]
       [--timeout SECONDS] [--download-rate BYTES] [--status-file PATH] [--bind 127.0.0.X] [--report-completed SECONDS]
--report-completed waits, after the download is done, up to SECONDS for a tracker to answer the announce that
reports it (event=completed) before exiting.
--bind makes the session listen on and connect from that loopback address (a client of its own, as a host would be)."""
import json
import os
import sys
import time
import urllib.parse

import libtorrent as lt
from lt_settings import offline

args = sys.argv[1:]
source, save = args.pop(0), args.pop(0)
peers, keep_trackers, trackers, web_seeds, timeout, rate, status_file, bind = [], False, [], False, 60.0, 0, None, None
report_completed, reported, finished_at = 0.0, False, None
while args:
    flag = args.pop(0)
    if flag == "--peer":
        host, port = args.pop(0).rsplit(":", 1)
        peers.append((host, int(port)))
    elif flag == "--keep-trackers":
        keep_trackers = True
    elif flag == "--tracker":
        trackers.append(args.pop(0))
        keep_trackers = True
    elif flag == "--web-seeds":
        web_seeds = True
    elif flag == "--timeout":
        timeout = float(args.pop(0))
    elif flag == "--download-rate":
        rate = int(args.pop(0))
    elif flag == "--status-file":
        status_file = args.pop(0)
    elif flag == "--bind":
        bind = args.pop(0)
    elif flag == "--report-completed":
        report_completed = float(args.pop(0))

session = lt.session(offline(
    **({"listen_interfaces": f"{bind}:0", "outgoing_interfaces": bind} if bind else {}),
    allow_multiple_connections_per_ip=True,
    download_rate_limit=rate,
    alert_mask=lt.alert.category_t.error_notification | lt.alert.category_t.peer_notification
        | lt.alert.category_t.status_notification | lt.alert.category_t.connect_notification
        | lt.alert.category_t.tracker_notification,
), 0)
session.add_extension("ut_metadata")
if rate:
    # libtorrent exempts local-network peers (the local peer class) from rate limits: put every address in the
    # global class so the cap applies to the loopback seeder too.
    everyone = lt.ip_filter()
    everyone.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    session.set_peer_class_filter(everyone)
if source.startswith("magnet:"):
    params = lt.parse_magnet_uri(source)
else:
    metainfo = lt.bdecode(open(source, "rb").read())
    if not web_seeds:
        # add_torrent_params.url_seeds only adds to the torrent's own url-list: drop that from the file itself
        metainfo.pop(b"url-list", None)
        metainfo.pop(b"httpseeds", None)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(metainfo)
params.save_path = save
if not web_seeds:
    params.url_seeds = []
if not keep_trackers:
    params.trackers = []
if trackers:
    params.trackers = trackers
handle = session.add_torrent(params)
if trackers:
    handle.replace_trackers([lt.announce_entry(url) for url in trackers])
elif not keep_trackers:
    handle.replace_trackers([])

errors, seen, web_seen, events = [], set(), set(), []
# A web seed's connection can open, serve everything and close between two looks at get_peer_info below (0.1 s apart):
# its connect alert is kept too, matched against the web seeds' host:port.
web_endpoints = {"%s:%d" % (url.hostname, url.port or 80) for url in map(urllib.parse.urlsplit, handle.url_seeds())}
start = time.time()
last_dial = 0.0
done = False
while time.time() - start < timeout:
    if peers and time.time() - last_dial > 2 and not handle.status().is_seeding:
        for peer in peers:
            handle.connect_peer(peer)
        last_dial = time.time()
    for alert in session.pop_alerts():
        if isinstance(alert, lt.torrent_finished_alert) and finished_at is None:
            finished_at = time.time()
        # A reply after the torrent finished answered the announce that reported it (event=completed).
        reported |= isinstance(alert, lt.tracker_reply_alert) and finished_at is not None
        endpoint = "%s:%d" % tuple(alert.endpoint) if hasattr(alert, "endpoint") else None
        if isinstance(alert, (lt.peer_connect_alert, lt.peer_disconnected_alert)) or "error" in alert.what():
            errors.append(f"{alert.what()}: {alert.message()}")
        if isinstance(alert, lt.peer_connect_alert) and endpoint in web_endpoints:
            web_seen.add(endpoint)
        if isinstance(alert, lt.peer_disconnected_alert) or "error" in alert.what():
            events.append({"t": time.time(), "what": alert.what(), "endpoint": endpoint, "message": alert.message()})
    for peer in handle.get_peer_info():
        endpoint = "%s:%d" % peer.ip
        if peer.connection_type == lt.peer_info.standard_bittorrent:
            seen.add(endpoint)
        else:
            web_seen.add(endpoint)
    status = handle.status()
    if status_file:
        with open(status_file + ".tmp", "w") as out:
            json.dump({"t": time.time(), "progress": status.progress, "total_done": status.total_done,
                       "peers": status.num_peers}, out)
        os.replace(status_file + ".tmp", status_file)
    if status.is_seeding:
        done = True
        break
    time.sleep(0.1)

seconds = round(time.time() - start, 2)
until = time.time() + report_completed
while done and not reported and time.time() < until:
    for alert in session.pop_alerts():
        reported |= isinstance(alert, lt.tracker_reply_alert)
    time.sleep(0.05)

status = handle.status()
path = None
if handle.status().has_metadata:
    info = handle.torrent_file()
    path = os.path.join(save, info.files().file_path(0))
print(json.dumps({"done": done, "progress": status.progress, "total_done": status.total_done,
                  "seconds": seconds, "path": path, "peers_seen": sorted(seen),
                  "web_seeds_seen": sorted(web_seen), "errors": errors[-20:], "events": events[-50:],
                  "completed_reported": reported}))
session.pause()
sys.exit(0 if done else 1)
