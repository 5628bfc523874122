"""Reference: how many 'write 4 KiB + fsync' operations per second this disk does with N threads.

usage: python3 fsync-floor.py DIR THREADS SECONDS
Peerbucket makes each PUT durable (blob fsync + SQLite synchronous=FULL commit); nginx WebDAV does not fsync.
"""
import os
import sys
import threading
import time

directory, threads, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
data = os.urandom(4096)
counts = [0] * threads
deadline = time.monotonic() + seconds


def work(i):
    n = 0
    while time.monotonic() < deadline:
        path = os.path.join(directory, f"f{i}-{n % 64}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        n += 1
    counts[i] = n


ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
start = time.monotonic()
for t in ts:
    t.start()
for t in ts:
    t.join()
print(f"RESULT ops={sum(counts)} ops_per_s={sum(counts) / (time.monotonic() - start):.0f}")
