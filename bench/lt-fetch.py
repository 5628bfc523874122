"""Downloads one torrent with libtorrent (offline: loopback only, no DHT/LSD/PEX/UPnP/NAT-PMP/uTP) into an empty
SAVE_DIR, from whatever the .torrent and the flags allow: --peer HOST:PORT dials that peer (repeatable); the
torrent's url-list (if any) is used as web seeds. Trackers are dropped.

usage: /usr/bin/python3 lt-fetch.py TORRENT SAVE_DIR [--peer HOST:PORT]... [--timeout SECONDS]
Prints one line: RESULT done=0|1 seconds=S bytes=N payload=N wasted=N failed=N client_cpu_s=S peers=N
  seconds: add_torrent to torrent_finished (every piece received and hash-checked), not process start-up.
"""
import os
import resource
import sys
import time

import libtorrent as lt

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Peerbucket.Interop.Tests", "py"))
from lt_settings import offline  # noqa: E402

args = sys.argv[1:]
torrent, save = args.pop(0), args.pop(0)
peers, timeout = [], 300.0
while args:
    flag = args.pop(0)
    if flag == "--peer":
        host, port = args.pop(0).rsplit(":", 1)
        peers.append((host, int(port)))
    elif flag == "--timeout":
        timeout = float(args.pop(0))

session = lt.session(offline(
    allow_multiple_connections_per_ip=True,
    alert_mask=lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
), 0)
ti = lt.torrent_info(torrent)
params = lt.add_torrent_params()
params.ti = ti
params.save_path = save
params.trackers = []
cpu0 = resource.getrusage(resource.RUSAGE_SELF)
start = time.monotonic()
handle = session.add_torrent(params)
handle.replace_trackers([])
for peer in peers:
    handle.connect_peer(peer)

done, errors, last_dial, end = False, [], start, None
while time.monotonic() - start < timeout and not done:
    session.wait_for_alert(20)
    for alert in session.pop_alerts():
        if isinstance(alert, lt.torrent_finished_alert):
            end = time.monotonic()
            done = True
        elif "error" in alert.what() or "failed" in alert.what():
            errors.append(f"{alert.what()}: {alert.message()}")
    if not done and peers and time.monotonic() - last_dial > 2 and handle.status().num_peers == 0:
        for peer in peers:
            handle.connect_peer(peer)
        last_dial = time.monotonic()
    if not done and handle.status().is_seeding:
        end, done = time.monotonic(), True
end = end or time.monotonic()
cpu1 = resource.getrusage(resource.RUSAGE_SELF)
status = handle.status()
for e in errors[-5:]:
    print(f"# {e}", file=sys.stderr)
cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
print(f"RESULT done={int(done)} seconds={end - start:.3f} bytes={ti.total_size()} payload={status.total_payload_download} "
      f"wasted={status.total_redundant_bytes} failed={status.total_failed_bytes} client_cpu_s={cpu:.2f} "
      f"peers={status.num_peers} web_seeds={len(handle.url_seeds())}")
session.pause()
sys.exit(0 if done else 1)
