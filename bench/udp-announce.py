"""UDP tracker (BEP 15) announce load generator: S sockets, each connects once, then announces in lockstep
(send one announce on every socket, then read every reply) for D seconds; peer_id/port vary per request.

usage: python3 udp-announce.py HOST PORT INFO_HASH_HEX SOCKETS SECONDS
Prints: RESULT announces=N per_s=R timeouts=T errors=E client_cpu_s=C
"""
import os
import random
import socket
import struct
import sys
import time

host, port, ih = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
nsock, seconds = int(sys.argv[4]), float(sys.argv[5])
addr = (host, port)
PROTOCOL_ID = 0x41727101980


def connect(s):
    while True:
        tid = random.getrandbits(32)
        s.send(struct.pack(">QII", PROTOCOL_ID, 0, tid))
        try:
            data = s.recv(2048)
        except socket.timeout:
            continue
        action, rtid, cid = struct.unpack(">IIQ", data[:16])
        if action == 0 and rtid == tid:
            return cid
        raise SystemExit(f"bad connect reply: {data!r}")


socks = []
for _ in range(nsock):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    s.connect(addr)
    socks.append([s, connect(s)])

done = timeouts = errors = 0
n = 0
cpu0 = time.process_time()
start = time.monotonic()
deadline = start + seconds
while time.monotonic() < deadline:
    tids = []
    for s, cid in socks:
        n += 1
        k = n % 5000
        tid = n & 0xFFFFFFFF
        tids.append(tid)
        peer_id = b"-BENCH0-" + b"%012d" % k
        s.send(struct.pack(">QII20s20sQQQIIIiH", cid, 1, tid, ih, peer_id, 0, (k % 2) * 1048576, 0, 2, 0, k, 50,
                           10000 + k))
    for (s, _), tid in zip(socks, tids):
        try:
            data = s.recv(2048)
        except socket.timeout:
            timeouts += 1
            continue
        action, rtid = struct.unpack(">II", data[:8])
        if action == 1 and rtid == tid:
            done += 1
        else:
            errors += 1
            if action == 3:
                print("error reply:", data[8:].decode(errors="replace"), file=sys.stderr)
elapsed = time.monotonic() - start
print(f"RESULT announces={done} per_s={done / elapsed:.0f} timeouts={timeouts} errors={errors} "
      f"client_cpu_s={time.process_time() - cpu0:.2f}")
