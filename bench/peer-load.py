#!/usr/bin/python3
"""Many raw BitTorrent peers (plain asyncio, no libtorrent) downloading from one seeder, for bench/08-seeder-many-peers.sh.

usage: peer-load.py HOST:PORT FILE.torrent --connections N --seconds S [--outstanding 64] [--rate BYTES_PER_S]
                    [--rcvbuf BYTES] [--while-choked wait|allowed] [--pipeline-interested] [--trickle SECONDS] [--server-pid PID]
                    [--metrics-url URL/_metrics] [--ready-file PATH] [--connect-parallel 64]

--trickle SECONDS: the connection only handshakes and sends a keep-alive every SECONDS (never interested, never
requests): a peer that holds a slot and nothing more (bench/11-hostile-peers.sh).
Each connection: a BEP 3 handshake with the fast bit (BEP 6) and no extension bit, `interested` once the seeder's
handshake is in (--pipeline-interested: in the same write as our handshake), then it keeps --outstanding 16 KiB
requests in flight (random block of a random piece) and answers nothing else (no keep-alives, no have, no extension
messages). While choked it requests only pieces of the allowed fast set the seeder sent (--while-choked allowed,
what a fast-extension client does) or nothing (wait: a plain BEP 3 client). Rejects and pieces free a slot; a choke
is followed by the seeder's rejects of the dropped requests.
Reading is rate limited per connection (token bucket, --rate bytes/s, 0 = as fast as Python reads): the socket is
paused when the bucket is empty; with a small --rcvbuf (SO_RCVBUF before connect) the bytes the seeder has not
got rid of stay in its socket send buffer and its pending writes, as with a slow link, instead of in ours.

Timeline: connect all (at most --connect-parallel handshakes at once), then measure for S seconds, then close all.
With --server-pid, the seeder's VmRSS/RssAnon are sampled every second of the measured window; with --metrics-url,
the seeder's close counters by reason are read before connecting and at the end of the window (before we close).
Prints one JSON line: connections asked/opened/greeted, unchoked (ever got an unchoke), served (got >= 1 block),
closed_by_server (EOF or reset before we closed; with their local ports), connect_errors, payload bytes and MB/s in
the measured window, per-connection payload MB (min/median/max), requests sent, rejects, chokes, our CPU seconds in
the window (client_cpu_s), the seeder's RSS samples (kB) and Send-Q.
"""
import asyncio
import hashlib
import json
import os
import random
import socket
import struct
import sys
import time

PROTOCOL = b"\x13BitTorrent protocol"
CHOKE, UNCHOKE, INTERESTED, NOT_INTERESTED, HAVE, BITFIELD, REQUEST, PIECE, CANCEL = range(9)
HAVE_ALL, HAVE_NONE, REJECT, ALLOWED_FAST = 0x0E, 0x0F, 0x10, 0x11
BLOCK = 16 * 1024


def bdecode(data, i=0):
    """Minimal bencode decoder: (value, next index); byte strings stay bytes, dict keys too."""
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        i, items = i + 1, []
        while data[i:i + 1] != b"e":
            value, i = bdecode(data, i)
            items.append(value)
        return items, i + 1
    if c == b"d":
        i, items = i + 1, {}
        while data[i:i + 1] != b"e":
            key, i = bdecode(data, i)
            start = i
            value, i = bdecode(data, i)
            items[key] = value
            if key == b"info":
                items[b"__info_span"] = (start, i)
        return items, i + 1
    colon = data.index(b":", i)
    length = int(data[i:colon])
    return data[colon + 1:colon + 1 + length], colon + 1 + length


def read_torrent(path):
    raw = open(path, "rb").read()
    meta, _ = bdecode(raw)
    start, end = meta[b"__info_span"]
    info = meta[b"info"]
    length = info.get(b"length")
    if length is None:
        length = sum(f[b"length"] for f in info[b"files"])
    return hashlib.sha1(raw[start:end]).digest(), info[b"piece length"], length


class Stats:
    def __init__(self):
        self.measuring = False
        self.closing = False
        self.window_bytes = 0


class Peer(asyncio.Protocol):
    def __init__(self, n, args, torrent, stats, loop):
        self.n, self.args, self.stats, self.loop = n, args, stats, loop
        self.info_hash, self.piece_length, self.length = torrent
        self.pieces = (self.length + self.piece_length - 1) // self.piece_length
        self.transport = None
        self.buffer = bytearray()
        self.greeted = False
        self.greeted_future = loop.create_future()
        self.skip = 0              # payload bytes of the current piece message still to drop
        self.unchoked = False
        self.ever_unchoked = False
        self.allowed = []
        self.outstanding = 0
        self.blocks = 0
        self.payload = 0
        self.requests = 0
        self.rejects = 0
        self.chokes = 0
        self.closed_by_server = None   # reason text when the server closed first
        self.local = None
        self.tokens = float(args.rate) * 0.1 if args.rate else 0.0
        self.last_fill = loop.time()
        self.paused = False

    # --- connection ---
    def connection_made(self, transport):
        self.transport = transport
        sock = transport.get_extra_info("socket")
        self.local = "%s:%d" % sock.getsockname()[:2]
        reserved = bytearray(8)
        reserved[7] |= 0x04  # fast extension (BEP 6)
        peer_id = ("-PL0001-" + hashlib.sha1(b"%d" % self.n).hexdigest())[:20].encode()
        interested = struct.pack(">IB", 1, INTERESTED)
        transport.write(PROTOCOL + bytes(reserved) + self.info_hash + peer_id + (interested if self.args.pipeline_interested else b""))
        if self.args.trickle:
            self.loop.call_later(self.args.trickle, self.keep_alive)

    def keep_alive(self):
        # --trickle: a keep-alive now and then, nothing else (never interested): a connection that only holds a slot.
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(b"\0\0\0\0")
            self.loop.call_later(self.args.trickle, self.keep_alive)

    def connection_lost(self, exc):
        if not self.stats.closing and self.closed_by_server is None:
            self.closed_by_server = f"{type(exc).__name__}: {exc}" if exc else "eof"
        if not self.greeted_future.done():
            self.greeted_future.set_exception(ConnectionError(self.closed_by_server or "closed"))

    def eof_received(self):
        if not self.stats.closing and self.closed_by_server is None:
            self.closed_by_server = "eof"
        return False

    # --- reading, rate limited ---
    def data_received(self, data):
        if self.args.rate:
            now = self.loop.time()
            self.tokens = min(self.tokens + (now - self.last_fill) * self.args.rate, max(self.args.rate * 0.25, 65536.0))
            self.last_fill = now
            self.tokens -= len(data)
            if self.tokens < 0 and not self.paused:
                self.paused = True
                self.transport.pause_reading()
                self.loop.call_later(-self.tokens / self.args.rate, self.resume)
        self.parse(data)

    def resume(self):
        self.paused = False
        if not self.transport.is_closing():
            self.transport.resume_reading()

    def parse(self, data):
        view = memoryview(data)
        pos = 0
        end = len(view)
        while pos < end:
            if self.skip:
                take = min(self.skip, end - pos)
                self.skip -= take
                self.payload += take
                if self.stats.measuring:
                    self.stats.window_bytes += take
                pos += take
                continue
            self.buffer += view[pos:]
            pos = end
            self.consume_buffer()
        self.fill()

    def consume_buffer(self):
        buf = self.buffer
        i = 0
        if not self.greeted:
            if len(buf) < 68:
                return
            if buf[:20] != PROTOCOL or buf[28:48] != self.info_hash:
                self.closed_by_server = "bad handshake reply"
                self.transport.close()
                return
            self.greeted = True
            if not self.args.pipeline_interested and not self.args.trickle:
                self.transport.write(struct.pack(">IB", 1, INTERESTED))
            if not self.greeted_future.done():
                self.greeted_future.set_result(True)
            i = 68
        while len(buf) - i >= 4:
            (length,) = struct.unpack_from(">I", buf, i)
            if length == 0:
                i += 4
                continue
            msg_id = buf[i + 4] if len(buf) - i >= 5 else None
            if msg_id is None:
                break
            if msg_id == PIECE:
                if len(buf) - i < 13:
                    break
                self.outstanding -= 1
                self.blocks += 1
                payload_len = length - 9
                have = min(payload_len, len(buf) - i - 13)
                self.payload += have
                if self.stats.measuring:
                    self.stats.window_bytes += have
                self.skip = payload_len - have
                i += 13 + have
                continue
            if len(buf) - i < 4 + length:
                break
            body = bytes(buf[i + 5:i + 4 + length])
            i += 4 + length
            if msg_id == UNCHOKE:
                self.unchoked = self.ever_unchoked = True
            elif msg_id == CHOKE:
                self.unchoked = False
                self.chokes += 1
            elif msg_id == REJECT:
                self.outstanding -= 1
                self.rejects += 1
            elif msg_id == ALLOWED_FAST:
                self.allowed.append(struct.unpack(">I", body)[0])
            # have all, bitfield, extended, keep-alive: nothing to answer
        del buf[:i]

    # --- requesting ---
    def fill(self):
        if not self.greeted or self.transport.is_closing() or self.args.trickle:
            return
        out = []
        while self.outstanding < self.args.outstanding:
            if self.unchoked:
                index = random.randrange(self.pieces)
            elif self.allowed and self.args.while_choked == "allowed":
                index = random.choice(self.allowed)
            else:
                break
            size = min(self.piece_length, self.length - index * self.piece_length)
            begin = random.randrange((size + BLOCK - 1) // BLOCK) * BLOCK
            out.append(struct.pack(">IBIII", 13, REQUEST, index, begin, min(BLOCK, size - begin)))
            self.outstanding += 1
        if out:
            self.requests += len(out)
            self.transport.write(b"".join(out))


def proc_status(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "RssAnon", "VmHWM"):
                    values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def disconnects(url):
    """The seeder's close counters by reason (and open connections) from /_metrics; {} without a URL."""
    if not url:
        return {}
    import urllib.request
    counts = {}
    try:
        text = urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        return {}
    for line in text.splitlines():
        if line.startswith('peerbucket_seeder_disconnects_total{reason="'):
            reason = line.split('"')[1]
            counts[reason] = int(float(line.rsplit(" ", 1)[1]))
        elif line.startswith("peerbucket_seeder_connections "):
            counts["open"] = int(float(line.rsplit(" ", 1)[1]))
    return counts


def queued_bytes(port):
    """Send-Q of the seeder's established sockets on PORT and Recv-Q of ours (bytes in kernel buffers)."""
    try:
        out = os.popen(f"ss -tnH state established '( sport = :{port} or dport = :{port} )'").read()
    except OSError:
        return None, None
    server_sendq = client_recvq = 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        recvq, sendq, local = int(parts[0]), int(parts[1]), parts[2]
        if local.endswith(f":{port}"):
            server_sendq += sendq
        else:
            client_recvq += recvq
    return server_sendq, client_recvq


async def main(args):
    loop = asyncio.get_running_loop()
    torrent = read_torrent(args.torrent)
    stats = Stats()
    peers = []
    connect_errors = []
    gate = asyncio.Semaphore(args.connect_parallel)

    async def open_one(n):
        async with gate:
            peer = Peer(n, args, torrent, stats, loop)
            try:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                if args.rcvbuf:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, args.rcvbuf)
                sock.setblocking(False)
                try:
                    await asyncio.wait_for(loop.sock_connect(sock, (args.host, args.port)), 15)
                except (OSError, asyncio.TimeoutError):
                    sock.close()
                    raise
                await loop.create_connection(lambda: peer, sock=sock)
                peers.append(peer)
                await asyncio.wait_for(peer.greeted_future, 15)
            except (OSError, asyncio.TimeoutError, ConnectionError) as error:
                connect_errors.append(f"{type(error).__name__}: {error}")

    before = disconnects(args.metrics_url)
    t0 = time.time()
    await asyncio.gather(*(open_one(n) for n in range(args.connections)))
    connect_s = time.time() - t0
    if args.ready_file:
        open(args.ready_file, "w").close()

    stats.measuring = True
    cpu0 = time.process_time()
    start = time.time()
    rss = []
    while time.time() - start < args.seconds:
        await asyncio.sleep(min(1.0, args.seconds - (time.time() - start)))
        if args.server_pid:
            s = proc_status(args.server_pid)
            rss.append([round(time.time() - start, 1), s.get("VmRSS"), s.get("RssAnon")])
    elapsed = time.time() - start
    cpu_window = time.process_time() - cpu0
    stats.measuring = False
    window_bytes = stats.window_bytes
    sendq, recvq = queued_bytes(args.port)
    end_status = proc_status(args.server_pid) if args.server_pid else {}
    after = disconnects(args.metrics_url)
    server_closes = {k: v - before.get(k, 0) for k, v in after.items() if k != "open" and v != before.get(k, 0)}

    stats.closing = True
    for peer in peers:
        if peer.transport is not None:
            peer.transport.abort()
    await asyncio.sleep(0.2)

    mb = sorted(p.payload / 1e6 for p in peers)
    closed = [p for p in peers if p.closed_by_server is not None]
    result = {
        "connections": args.connections,
        "opened": len(peers),
        "greeted": sum(p.greeted for p in peers),
        "connect_s": round(connect_s, 2),
        "connect_errors": len(connect_errors),
        "connect_error_kinds": sorted(set(connect_errors))[:5],
        "unchoked": sum(p.ever_unchoked for p in peers),
        "unchoked_at_end": sum(p.unchoked for p in peers),
        "served": sum(p.blocks > 0 for p in peers),
        "allowed_fast_pieces": sorted(set(a for p in peers for a in p.allowed)),
        "closed_by_server": len(closed),
        "closed_reasons": sorted(set(p.closed_by_server for p in closed))[:5],
        "closed_locals": [p.local for p in closed][:20],
        "server_open_at_end": after.get("open"),
        "server_closes": server_closes,
        "seconds": round(elapsed, 2),
        "client_cpu_s": round(cpu_window, 2),
        "window_bytes": window_bytes,
        "mb_s": round(window_bytes / 1e6 / elapsed, 1),
        "peer_mb_min": round(mb[0], 2) if mb else 0,
        "peer_mb_median": round(mb[len(mb) // 2], 2) if mb else 0,
        "peer_mb_max": round(mb[-1], 2) if mb else 0,
        "blocks": sum(p.blocks for p in peers),
        "requests": sum(p.requests for p in peers),
        "rejects": sum(p.rejects for p in peers),
        "chokes": sum(p.chokes for p in peers),
        "server_sendq_bytes": sendq,
        "client_recvq_bytes": recvq,
        "server_end": end_status,
        "rss": rss,
    }
    print(json.dumps(result), flush=True)


def parse_args(argv):
    class Args:
        pass

    args = Args()
    target, args.torrent = argv[0], argv[1]
    args.host, port = target.rsplit(":", 1)
    args.port = int(port)
    args.connections, args.seconds, args.outstanding, args.rate = 100, 20.0, 64, 0
    args.while_choked, args.server_pid, args.ready_file, args.connect_parallel = "allowed", None, None, 64
    args.metrics_url, args.rcvbuf, args.pipeline_interested, args.trickle = None, 0, False, 0.0
    rest = argv[2:]
    while rest:
        flag = rest.pop(0)
        if flag == "--pipeline-interested":
            args.pipeline_interested = True
            continue
        value = rest.pop(0)
        if flag == "--connections":
            args.connections = int(value)
        elif flag == "--trickle":
            args.trickle = float(value)
        elif flag == "--seconds":
            args.seconds = float(value)
        elif flag == "--outstanding":
            args.outstanding = int(value)
        elif flag == "--rate":
            args.rate = float(value)
        elif flag == "--while-choked":
            assert value in ("wait", "allowed"), value
            args.while_choked = value
        elif flag == "--server-pid":
            args.server_pid = int(value)
        elif flag == "--ready-file":
            args.ready_file = value
        elif flag == "--rcvbuf":
            args.rcvbuf = int(value)
        elif flag == "--metrics-url":
            args.metrics_url = value
        elif flag == "--connect-parallel":
            args.connect_parallel = int(value)
        else:
            raise SystemExit(f"unknown flag {flag}")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args(sys.argv[1:])))
