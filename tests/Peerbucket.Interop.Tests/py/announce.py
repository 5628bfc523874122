#!/usr/bin/python3
"""Adds a torrent to a libtorrent session (DHT/LSD/UPnP/NAT-PMP/uTP off, no web seeds), lets it announce to the
torrent's trackers (or only the ones given with --tracker), and prints one JSON line per tracker reply or error:
{"event": "reply"|"error"|"warning", "url", "num_peers", "version", "message"}.
Exits once every tracker/version pair answered and a few seconds passed for peer connections, or at the timeout.
Usage: announce.py TORRENT [--tracker URL]... [--timeout SECONDS]"""
import json
import sys
import tempfile
import time

import libtorrent as lt
from lt_settings import offline

args = sys.argv[1:]
path = args.pop(0)
trackers, timeout = [], 30.0
while args:
    flag = args.pop(0)
    if flag == "--tracker":
        trackers.append(args.pop(0))
    elif flag == "--timeout":
        timeout = float(args.pop(0))

session = lt.session(offline(
    allow_multiple_connections_per_ip=True,
    announce_to_all_tiers=True,
    announce_to_all_trackers=True,
    alert_mask=lt.alert.category_t.tracker_notification | lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification,
))
info = lt.torrent_info(path)
params = lt.add_torrent_params()
params.ti = info
params.save_path = tempfile.mkdtemp(prefix="pb-announce-")
params.url_seeds = []
if trackers:
    params.trackers = trackers
handle = session.add_torrent(params)
if trackers:
    handle.replace_trackers([lt.announce_entry(url) for url in trackers])
hashes = info.info_hashes()
versions = (1 if hashes.has_v1() else 0) + (1 if hashes.has_v2() else 0)
expected = len(trackers or [t.url for t in handle.trackers()]) * versions

answered, done_at = 0, None
deadline = time.time() + timeout
while time.time() < deadline and (done_at is None or time.time() < done_at):
    session.wait_for_alert(250)
    for alert in session.pop_alerts():
        if isinstance(alert, lt.tracker_reply_alert):
            answered += 1
            print(json.dumps({"event": "reply", "url": alert.tracker_url(), "num_peers": alert.num_peers,
                              "version": str(getattr(alert, "version", ""))}), flush=True)
        elif isinstance(alert, lt.tracker_error_alert):
            answered += 1
            print(json.dumps({"event": "error", "url": alert.tracker_url(), "message": alert.message(),
                              "version": str(getattr(alert, "version", ""))}), flush=True)
        elif isinstance(alert, lt.tracker_warning_alert):
            print(json.dumps({"event": "warning", "url": alert.tracker_url(), "message": alert.message()}), flush=True)
    if done_at is None and answered >= expected:
        done_at = time.time() + 4
