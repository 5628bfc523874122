"""Seeds one torrent with libtorrent (offline: loopback only, no DHT/LSD/PEX/UPnP/NAT-PMP/uTP) until killed.

usage: /usr/bin/python3 lt-seed.py TORRENT SAVE_DIR READY_FILE
The payload must already be at SAVE_DIR/NAME. The files are fully hash-checked first (not seed_mode, which would
hash each piece on its first upload, i.e. inside the measurement); then the listen port is written to READY_FILE.
"""
import os
import signal
import sys
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Peerbucket.Interop.Tests", "py"))
from lt_settings import offline  # noqa: E402

torrent, save, ready = sys.argv[1:4]
session = lt.session(offline(allow_multiple_connections_per_ip=True), 0)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save
handle = session.add_torrent(params)
deadline = time.time() + 120
while not handle.status().is_seeding:
    if time.time() > deadline:
        sys.exit(f"not seeding after the check: {handle.status().state} {handle.status().progress:.3f}")
    time.sleep(0.1)
stop = []
signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
with open(ready + ".tmp", "w") as f:
    f.write(f"{session.listen_port()}\n")
os.rename(ready + ".tmp", ready)
while not stop:
    time.sleep(0.2)
    session.pop_alerts()
