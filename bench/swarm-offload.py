"""Helpers for bench/09-swarm-offload.sh (run with /usr/bin/python3: Debian's python3-libtorrent 2.0.8).

  swarm-offload.py clients TORRENT SAVE_DIR --n N [--stagger S] [--down B/s] [--up B/s] [--timeout S]
                           [--base-ip 127.0.0.10] [--origin IP[:PORT]]... [--settle S] [--no-class-filter]
      N libtorrent sessions in this one process, client i bound to 127.0.0.(10+i) (listen and outgoing), each
      adding TORRENT unchanged (trackers and url-list as the file has them), client i started at i*S seconds.
      Every session: offline (no DHT/LSD/UPnP/NAT-PMP/uTP), no extensions (flags 0: no ut_pex, ut_metadata or
      smart_ban), allow_multiple_connections_per_ip, download/upload rate limits on the global peer class, and a
      peer-class filter that puts every IPv4 address in the global class only (libtorrent's default puts loopback
      and LAN peers in its unlimited local class, so without it no limit holds on 127.0.0.x). Finished clients keep
      seeding until every client is done or --timeout passes. Per client: the bytes of every block it completed, by the
      endpoint that delivered it (block_finished_alert): web seed (the url-list's host:port), origin (an --origin
      IP or IP:PORT) or other clients (the first copy of each block only: redundant end-game copies are in
      "redundant"); payload counters polled every 0.2 s give peak download/upload rates over 1 s and 5 s windows.
      Prints one JSON object.
  swarm-offload.py origin TORRENT SAVE_DIR READY_FILE STATS_FILE --bind IP [--up B/s] [--super-seed] [--no-class-filter]
      The anchors' origin: one libtorrent session seeding TORRENT from SAVE_DIR (full hash check first), the same
      offline settings and peer-class filter, upload capped at --up; --super-seed sets strict_super_seeding and
      the torrent's super_seeding flag. Writes its listen port to READY_FILE once seeding and announced, then every
      0.2 s (and on SIGTERM) STATS_FILE: total_payload_upload total_upload peak_1s_B/s peak_5s_B/s super_seeding=0|1.
  swarm-offload.py torrent FILE PIECE_LENGTH ANNOUNCE OUT
      A v1 torrent (libtorrent create_torrent) with one tracker and no url-list; prints its v1 info-hash.
  swarm-offload.py metrics URL BUCKET KEY
      Reads Peerbucket's /_metrics; prints that object's peerbucket_object_egress_bytes_total: seeder, web_seed +
      range_get, plain_get (0 for a series not there yet).
  swarm-offload.py summarize ORIGIN_LABEL SCENARIO CLIENTS_JSON SEEDER_B RANGE_B|- PLAIN_B|- LOAD1 DETAIL_FILE
      One markdown row of bench/09-swarm-offload.sh's table; per-client lines appended to DETAIL_FILE.
  swarm-offload.py info TORRENT
      Prints: v1 info-hash, piece length, pieces, trackers (comma-joined), url-list (comma-joined or -).
"""
import json
import os
import re
import signal
import statistics
import sys
import time
import urllib.request

import libtorrent as lt

OFFLINE = {
    "enable_dht": False,
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_incoming_utp": False,
    "enable_outgoing_utp": False,
    "allow_multiple_connections_per_ip": True,
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
    | lt.alert.category_t.tracker_notification,
    "alert_queue_size": 100000,
}
BLOCK = 16384


def opts(args, name, default, conv=str, many=False):
    values = []
    while name in args:
        i = args.index(name)
        values.append(conv(args[i + 1]) if conv is not bool else True)
        del args[i:i + (1 if conv is bool else 2)]
    if many:
        return values
    return values[-1] if values else default


def make_session(ip, down=0, up=0, extra=None, class_filter=True):
    settings = dict(OFFLINE, listen_interfaces=f"{ip}:0", outgoing_interfaces=ip,
                    download_rate_limit=int(down), upload_rate_limit=int(up), **(extra or {}))
    ses = lt.session(settings, 0)   # flags 0: no default plugins (ut_pex, ut_metadata, smart_ban)
    # every IPv4 address -> the global peer class only (the default maps 127/8 and LANs to the unlimited local class)
    if class_filter:
        f = lt.ip_filter()
        f.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
        ses.set_peer_class_filter(f)
    return ses


class Rates:
    """A cumulative byte counter sampled every ~0.2 s; peak(W) is the highest rate over any window of >= W s."""

    def __init__(self):
        self.samples = []

    def add(self, t, value):
        self.samples.append((t, value))

    def peak(self, window):
        best, i = 0.0, 0
        for t, v in self.samples:
            while i + 1 < len(self.samples) and t - self.samples[i + 1][0] >= window:
                i += 1
            t0, v0 = self.samples[i]
            if t - t0 >= window:
                best = max(best, (v - v0) / (t - t0))
        return round(best)


def clients(args):
    torrent, save = args.pop(0), args.pop(0)
    n = opts(args, "--n", 1, int)
    stagger = opts(args, "--stagger", 0.0, float)
    down = opts(args, "--down", 0, int)
    up = opts(args, "--up", 0, int)
    timeout = opts(args, "--timeout", 180.0, float)
    settle = opts(args, "--settle", 1.0, float)
    base = opts(args, "--base-ip", "127.0.0.10")
    origins = set(opts(args, "--origin", None, str, many=True))
    class_filter = not opts(args, "--no-class-filter", False, bool)   # only to show what the filter changes
    b = base.split(".")
    ti = lt.torrent_info(torrent)
    size = ti.total_size()
    cl = []
    for i in range(n):
        ip = ".".join(b[:3] + [str(int(b[3]) + i)])
        cl.append({"i": i, "ip": ip, "start_at": i * stagger, "ses": None, "h": None, "t_start": None, "t_done": None,
                   "blocks": {}, "dropped": 0, "down": Rates(), "upr": Rates(), "errors": []})
    t0 = time.monotonic()
    deadline = t0 + timeout
    from_origin = [0]          # blocks all clients received from the origin (web seed + origin peer), summed
    origin_marks = {}          # percent of one copy -> seconds since t0 when the clients had that much from the origin

    web_eps = set()
    for u in ti.web_seeds():
        m = re.match(r"https?://([^/:]+)(?::(\d+))?", u["url"])
        if m:
            web_eps.add(f"{m.group(1)}:{m.group(2) or 80}")

    def block_bytes(piece, block):
        return min(BLOCK, ti.piece_size(piece) - block * BLOCK)

    def kind(ep):
        if ep in web_eps:
            return "web"
        return "origin" if ep in origins or ep.split(":")[0] in origins else "peers"

    def poll(c, now):
        st = c["h"].status()
        c["down"].add(now, st.total_payload_download)
        c["upr"].add(now, st.total_payload_upload)
        return st

    while True:
        now = time.monotonic()
        for c in cl:
            if c["ses"] is None and now - t0 >= c["start_at"]:
                os.makedirs(os.path.join(save, str(c["i"])), exist_ok=True)
                c["ses"] = make_session(c["ip"], down, up, class_filter=class_filter,
                                        extra={"alert_mask": OFFLINE["alert_mask"]
                                               | lt.alert.category_t.block_progress_notification})
                p = lt.add_torrent_params()
                p.ti = lt.torrent_info(torrent)
                p.save_path = os.path.join(save, str(c["i"]))
                c["t_start"] = time.monotonic()
                c["h"] = c["ses"].add_torrent(p)
        for c in cl:
            if c["ses"] is None:
                continue
            for a in c["ses"].pop_alerts():
                if isinstance(a, lt.block_finished_alert):
                    ep = f"{a.endpoint[0]}:{a.endpoint[1]}"
                    c["blocks"][ep] = c["blocks"].get(ep, 0) + block_bytes(a.piece_index, a.block_index)
                    if kind(ep) != "peers":
                        from_origin[0] += block_bytes(a.piece_index, a.block_index)
                        for mark in (25, 50, 75, 90, 100):
                            if mark not in origin_marks and from_origin[0] * 100 >= mark * size:
                                origin_marks[mark] = round(time.monotonic() - t0, 1)
                elif isinstance(a, lt.alerts_dropped_alert):
                    c["dropped"] += 1
                elif isinstance(a, lt.torrent_finished_alert) and c["t_done"] is None:
                    c["t_done"] = time.monotonic()
                elif "error" in a.what() or "failed" in a.what():
                    if len(c["errors"]) < 5:
                        c["errors"].append(f"{a.what()}: {a.message()}")
            st = poll(c, now)
            if c["t_done"] is None and st.is_seeding:
                c["t_done"] = time.monotonic()
        if all(c["t_done"] is not None for c in cl) or now > deadline:
            break
        time.sleep(0.2)
    t_end = time.monotonic()
    time.sleep(settle)   # finished clients keep seeding a moment; nobody downloads any more
    out = []
    for c in cl:
        if c["h"] is None:
            out.append({"i": c["i"], "ip": c["ip"], "done": False, "started": False})
            continue
        st = poll(c, time.monotonic())
        for a in c["ses"].pop_alerts():
            if isinstance(a, lt.block_finished_alert):
                ep = f"{a.endpoint[0]}:{a.endpoint[1]}"
                c["blocks"][ep] = c["blocks"].get(ep, 0) + block_bytes(a.piece_index, a.block_index)
        src = {"web": 0, "origin": 0, "peers": 0}
        for ep, v in c["blocks"].items():
            src[kind(ep)] += v
        payload = st.total_payload_download
        done = c["t_done"] is not None and st.is_seeding and st.num_pieces == ti.num_pieces()
        out.append({
            "i": c["i"], "ip": c["ip"], "started": True, "done": done,
            "start_s": round(c["t_start"] - t0, 3),
            "seconds": round(c["t_done"] - c["t_start"], 3) if c["t_done"] else None,
            "finish_s": round(c["t_done"] - t0, 3) if c["t_done"] else None,
            "payload_down": payload, "payload_up": st.total_payload_upload,
            "from_web": src["web"], "from_origin_peer": src["origin"], "from_peers": src["peers"],
            "unattributed": size - sum(src.values()), "alerts_dropped": c["dropped"],
            "failed": st.total_failed_bytes, "redundant": st.total_redundant_bytes,
            "peak_down_1s_Bps": c["down"].peak(1.0), "peak_up_1s_Bps": c["upr"].peak(1.0),
            "peak_down_5s_Bps": c["down"].peak(5.0), "peak_up_5s_Bps": c["upr"].peak(5.0),
            "avg_down_Bps": round(size / (c["t_done"] - c["t_start"])) if c["t_done"] else None,
            "peers_served_blocks": sum(1 for ep in c["blocks"] if kind(ep) == "peers"),
            "listen": f"{c['ip']}:{c['ses'].listen_port()}", "errors": c["errors"],
        })
    for c in cl:
        if c["ses"] is not None:
            c["ses"].pause()
    secs = [o["seconds"] for o in out if o.get("seconds") is not None]
    fin = [o["finish_s"] for o in out if o.get("finish_s") is not None]
    print(json.dumps({
        "n": n, "stagger": stagger, "size": size, "down_limit": down, "up_limit": up,
        "all_done": all(o["done"] for o in out), "done": sum(o["done"] for o in out),
        "wall_s": round(t_end - t0, 3),
        "last_finish_s": max(fin) if fin else None,
        "origin_marks_s": origin_marks,
        "median_s": statistics.median(secs) if secs else None,
        "clients": out,
    }))
    # session destructors announce "stopped"; do not wait on them longer than needed
    os._exit(0 if all(o["done"] for o in out) else 1)


def origin(args):
    super_seed = opts(args, "--super-seed", False, bool)
    ip = opts(args, "--bind", "127.0.0.2")
    up = opts(args, "--up", 0, int)
    class_filter = not opts(args, "--no-class-filter", False, bool)   # only to show what the filter changes
    torrent, save, ready, stats = args[:4]
    extra = {"strict_super_seeding": True} if super_seed else {}
    ses = make_session(ip, 0, up, extra, class_filter=class_filter)
    p = lt.add_torrent_params()
    p.ti = lt.torrent_info(torrent)
    p.save_path = save
    h = ses.add_torrent(p)
    deadline = time.time() + 120
    while not h.status().is_seeding:
        if time.time() > deadline:
            sys.exit(f"not seeding after the check: {h.status().state} {h.status().progress:.3f}")
        time.sleep(0.05)
    if super_seed:
        h.set_flags(lt.torrent_flags.super_seeding)
    h.force_reannounce()
    announced = False
    while not announced and time.time() < deadline:
        for a in ses.pop_alerts():
            if isinstance(a, lt.tracker_reply_alert):
                announced = True
            elif isinstance(a, (lt.tracker_error_alert,)):
                sys.exit(f"tracker error: {a.message()}")
        time.sleep(0.05)
    if not announced:
        sys.exit("no tracker reply")
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    rates = Rates()

    def write(final=False):
        st = h.status()
        rates.add(time.monotonic(), st.total_payload_upload)
        flags = int(h.flags())
        peaks = f"{rates.peak(1.0)} {rates.peak(5.0)}" if final else "- -"
        with open(stats + ".tmp", "w") as f:
            f.write(f"{st.total_payload_upload} {st.total_upload} {peaks} "
                    f"super_seeding={int(bool(flags & int(lt.torrent_flags.super_seeding)))}\n")
        os.rename(stats + ".tmp", stats)

    write()
    with open(ready + ".tmp", "w") as f:
        f.write(f"{ses.listen_port()}\n")
    os.rename(ready + ".tmp", ready)
    while not stop:
        time.sleep(0.2)
        ses.pop_alerts()
        write()
    write(final=True)
    os._exit(0)


def make_torrent(args):
    path, plen, announce, out = os.path.abspath(args[0]), int(args[1]), args[2], args[3]
    fs = lt.file_storage()
    lt.add_files(fs, path)
    t = lt.create_torrent(fs, plen, flags=lt.create_torrent.v1_only)
    t.add_tracker(announce)
    lt.set_piece_hashes(t, os.path.dirname(path))
    with open(out, "wb") as f:
        f.write(lt.bencode(t.generate()))
    print(str(lt.torrent_info(out).info_hashes().v1))


def metrics(args):
    url, bucket, key = args[:3]
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    got = {"seeder": 0, "web_seed": 0, "range_get": 0, "plain_get": 0}
    pat = re.compile(r'^peerbucket_object_egress_bytes_total\{(.*)\}\s+(\d+)', re.M)
    for labels, value in pat.findall(text):
        lab = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', labels))
        if lab.get("bucket") == bucket and lab.get("key") == key and lab.get("via") in got:
            got[lab["via"]] = int(value)
    # web_seed: the /_seed/ web seed (since the content-addressed web seed); range_get: S3 range GETs (the web seed
    # before it). Both are HTTP ranges from the origin: reported together in the web-seed column.
    print(got["seeder"], got["web_seed"] + got["range_get"], got["plain_get"])


def info(args):
    ti = lt.torrent_info(args[0])
    data = lt.bdecode(open(args[0], "rb").read())
    urls = data.get(b"url-list", b"")
    if isinstance(urls, list):
        urls = b",".join(urls)
    trackers = ",".join(t.url for t in ti.trackers()) or "-"
    print(str(ti.info_hashes().v1), ti.piece_length(), ti.num_pieces(), trackers, urls.decode() or "-")


def mib(b):
    return f"{b / 1048576:.1f}"


def summarize(args):
    """summarize ORIGIN_LABEL SCENARIO CLIENTS_JSON SEEDER_BYTES RANGE_BYTES PLAIN_BYTES LOAD1 DETAIL_FILE
    Prints one markdown row; appends per-client lines to DETAIL_FILE. RANGE/PLAIN may be '-' (no HTTP path)."""
    label, scen, path, seeder, rng, plain, load, detail = args[:8]
    d = json.load(open(path))
    n, size = d["n"], d["size"]
    pct = lambda b: f"{100 * b / size:.0f}"  # noqa: E731  (% of one copy)
    http = rng != "-"
    total = int(seeder) + (int(rng) + int(plain) if http else 0)
    cl = [c for c in d["clients"] if c.get("started")]
    web = sum(c["from_web"] for c in cl)
    org = sum(c["from_origin_peer"] for c in cl)
    peers = sum(c["from_peers"] for c in cl)
    una = sum(c["unattributed"] for c in cl if c["done"])
    avg = [c["avg_down_Bps"] for c in cl if c.get("avg_down_Bps")]
    p5d = max((c["peak_down_5s_Bps"] for c in cl), default=0)
    p5u = max((c["peak_up_5s_Bps"] for c in cl), default=0)
    last = d["last_finish_s"] if d["all_done"] else f"> {d['wall_s']:.0f} (timeout)"
    med = f"{d['median_s']:.1f}" if d["median_s"] is not None else "-"
    last = f"{last:.1f}" if isinstance(last, float) else last
    row = (f"| {label} | {scen} | {d['done']}/{n} | **{pct(total)}** | {pct(int(seeder))} | "
           f"{pct(int(rng)) if http else '-'} | {pct(int(plain)) if http else '-'} | "
           f"{pct(web)} / {pct(org)} / {pct(peers)} | {last} | {med} | "
           f"{mib(statistics.median(avg)) if avg else '-'} (max {mib(max(avg)) if avg else '-'}) | "
           f"{mib(p5d)} / {mib(p5u)} | {load} |")
    print(row)
    with open(detail, "a") as f:
        for c in d["clients"]:
            if not c.get("started"):
                f.write(f"# {label} {scen} client {c['i']} {c['ip']}: not started\n")
                continue
            secs = f"{c['seconds']:.1f} s" if c.get("seconds") is not None else "NOT DONE"
            f.write(f"# {label} {scen} client {c['i']} {c['ip']}: start {c['start_s']:.1f} s, {secs}"
                    f"{', finished at ' + format(c['finish_s'], '.1f') + ' s' if c.get('finish_s') is not None else ''}; "
                    f"blocks from web seed {pct(c['from_web'])} %, origin peer {pct(c['from_origin_peer'])} %, "
                    f"other clients {pct(c['from_peers'])} % ({c['peers_served_blocks']} of them), "
                    f"unattributed {pct(c['unattributed'])} %; uploaded {pct(c['payload_up'])} %; "
                    f"redundant {mib(c['redundant'])} MiB, hash-failed {mib(c['failed'])} MiB; "
                    f"avg down {mib(c['avg_down_Bps']) if c.get('avg_down_Bps') else '-'} MiB/s, peak 1 s/5 s down "
                    f"{mib(c['peak_down_1s_Bps'])}/{mib(c['peak_down_5s_Bps'])}, up {mib(c['peak_up_1s_Bps'])}/"
                    f"{mib(c['peak_up_5s_Bps'])} MiB/s{'; errors: ' + ' | '.join(c['errors']) if c['errors'] else ''}\n")
        f.write(f"# {label} {scen}: origin sent {mib(total)} MiB = {100 * total / size:.1f} % of one copy; clients' blocks "
                f"from web seed {mib(web)} MiB, origin peer {mib(org)} MiB, other clients {mib(peers)} MiB, "
                f"unattributed {mib(una)} MiB; the clients had this share of one copy from the origin at (s): "
                f"{', '.join(f'{k} % {v}' for k, v in d.get('origin_marks_s', {}).items()) or '-'}\n")


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    {"clients": clients, "origin": origin, "torrent": make_torrent, "metrics": metrics, "info": info,
     "summarize": summarize}[cmd](rest)
