#!/usr/bin/python3
"""Loads each .torrent with libtorrent, points it at a directory holding the file, lets libtorrent hash-check
every piece (v1 SHA-1 and/or v2 merkle), and prints one JSON line per torrent:
{"torrent", "v1", "v2", "pieces", "piece_length", "name", "progress", "state", "web_seeds"}.
Usage: check_torrents.py TORRENT SAVE_DIR [TORRENT SAVE_DIR ...]. No network: DHT/LSD/UPnP/NAT-PMP off."""
import json
import sys
import time

import libtorrent as lt
from lt_settings import offline

settings = offline(
    alert_mask=lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
)
session = lt.session(settings)
pairs = list(zip(sys.argv[1::2], sys.argv[2::2]))
handles = []
for path, save in pairs:
    info = lt.torrent_info(path)
    params = lt.add_torrent_params()
    params.ti = info
    params.save_path = save
    params.trackers = []
    params.url_seeds = []
    params.flags |= lt.torrent_flags.upload_mode  # verify what is on disk; never download
    handle = session.add_torrent(params)
    handles.append((path, info, handle))

checked = 0
deadline = time.time() + 90
while checked < len(handles) and time.time() < deadline:
    session.wait_for_alert(500)
    for alert in session.pop_alerts():
        if isinstance(alert, lt.torrent_checked_alert):
            checked += 1

for path, info, handle in handles:
    status = handle.status()
    hashes = info.info_hashes()
    print(json.dumps({
        "torrent": path,
        "checked": checked >= len(handles),
        "v1": str(hashes.v1) if hashes.has_v1() else None,
        "v2": str(hashes.v2) if hashes.has_v2() else None,
        "pieces": info.num_pieces(),
        "verified": status.num_pieces,
        "piece_length": info.piece_length(),
        "name": info.name(),
        "progress": status.progress,
        "state": str(status.state),
        "web_seeds": [w["url"] for w in info.web_seeds()],
    }))
