#!/usr/bin/python3
"""Many slow HTTP readers of one object, for bench/10-slow-readers.sh.

usage: slow-readers.py HOST PORT PATH --readers N --rate BYTES_PER_S --never N --seconds S --probe URL --pid PID

Opens --readers connections that GET PATH and read --rate bytes/s each (SO_RCVBUF 16 KiB, so what they do not read
stays in the server's socket buffers and pending writes) and --never connections that GET PATH and read nothing;
holds them --seconds while, every 0.25 s, it times (with curl, its own process) an anonymous GET of --probe (a small object, new connection each)
and samples the server's VmRSS. Prints one JSON line: connections opened, slow readers still receiving at the end,
connections the server still holds open at the end (ss, server side), bytes read by the slow readers, the probe's latency (median, p99, max ms, failures) and the server's RSS
(start, max, end, kB).
"""
import asyncio
import json
import socket
import sys
import time
import subprocess

args = sys.argv[1:]
host, port, path = args[0], int(args[1]), args[2]
opts = dict(zip(args[3::2], args[4::2]))
readers, rate, never = int(opts["--readers"]), int(opts["--rate"]), int(opts["--never"])
seconds, probe, pid = float(opts["--seconds"]), opts["--probe"], opts["--pid"]


def server_connections():
    """Established connections on the server's side of PORT (ss): what the server still holds open."""
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def rss():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def gc_figures():
    """The server's own view of its memory at the end (/_metrics): resident, managed heap, GC-committed bytes."""
    base = probe.split("/", 3)
    try:
        text = subprocess.run(["curl", "-s", "--max-time", "5", f"{base[0]}//{base[2]}/_metrics"], capture_output=True,
                              text=True).stdout
    except OSError:
        return {}
    names = ("process_resident_memory_bytes", "dotnet_gc_heap_size_bytes", "dotnet_gc_committed_bytes")
    return {line.split()[0]: int(line.split()[1]) for line in text.splitlines() if line.split(" ")[0] in names}


class Conn:
    def __init__(self):
        self.read = 0
        self.closed = False


async def reader(conn, per_second, stop):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    try:
        await loop.sock_connect(sock, (host, port))
        await loop.sock_sendall(sock, f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        while not stop.is_set():
            await asyncio.sleep(1)
            if per_second == 0:
                # peek without reading: has the server closed the connection?
                try:
                    if sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"" :
                        conn.closed = True
                        return
                except BlockingIOError:
                    pass
                continue
            want = per_second
            while want > 0:
                try:
                    data = sock.recv(min(want, 65536), socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                if not data:
                    conn.closed = True
                    return
                conn.read += len(data)
                want -= len(data)
    except (ConnectionError, OSError):
        conn.closed = True
    finally:
        sock.close()


async def main():
    stop = asyncio.Event()
    conns = [Conn() for _ in range(readers + never)]
    tasks = []
    for i, conn in enumerate(conns):
        tasks.append(asyncio.create_task(reader(conn, rate if i < readers else 0, stop)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    rss_start = rss()
    rss_max = rss_start
    latencies, failures, slow_probes = [], 0, []
    start = time.time()
    while time.time() - start < seconds:
        # Timed by curl, a process of its own: a probe in this process would time the load generator's own event
        # loop and GIL too (1,000 connections in one Python process take most of a core).
        proc = await asyncio.create_subprocess_exec(
            "curl", "-s", "-o", "/dev/null", "--max-time", "5", "-w", "%{http_code} %{time_total}", probe,
            stdout=asyncio.subprocess.PIPE)
        out, _ = await proc.communicate()
        code, _, took = out.decode().partition(" ")
        if code == "200":
            latencies.append(float(took) * 1000)
            if latencies[-1] > 50:
                slow_probes.append([round(time.time() - start, 1), round(latencies[-1])])
        else:
            failures += 1
        rss_max = max(rss_max, rss())
        await asyncio.sleep(0.25)
    open_readers = sum(1 for c in conns[:readers] if not c.closed)
    server_open = server_connections()
    rss_end = rss()
    gc = gc_figures()
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1) if latencies else None
    print(json.dumps({"connections": len(conns), "slow_open": open_readers, "server_open": server_open,
                      "slow_bytes_read": sum(c.read for c in conns[:readers]),
                      "probe_ms_median": pick(0.5), "probe_ms_p99": pick(0.99), "probe_ms_max": pick(1.0),
                      "probe_failures": failures, "probes": len(latencies), "rss_kb_start": rss_start,
                      "rss_kb_max": rss_max, "rss_kb_end": rss_end,
                      "slow_probes_s_ms": slow_probes, "gc_at_end": gc}))


asyncio.run(main())
