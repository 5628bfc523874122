#!/usr/bin/python3
"""A raw BitTorrent peer on plain sockets (no libtorrent) for the seeder's robustness and authorization tests.

  raw_peer.py handshake HOST:PORT HEX...
      One connection per 40-hex info-hash: send a handshake, wait up to 5 s. Prints one JSON line per hash:
      {"info_hash", "local" (HOST:PORT of our socket), "reply" (a handshake with the same info-hash came back), "closed" (the server closed the
      socket), "bytes" (received before the close or the wait ended), "seconds"}.

  raw_peer.py misbehave HOST:PORT --info-hash HEX --data FILE --piece-length N [--only NAME,...]
      Every behaviour below on its own connection, all at once (threads). FILE holds the object's bytes (v1 or
      hybrid torrent: the last piece ends with the object). Prints one JSON line per behaviour:
      {"behaviour", "local" (HOST:PORT of our socket, to find the server's log line), "greeted" (the server's
      handshake came back), "closed", "seconds" (from the bad act to the close), "received" (message ids after the
      bad act), "served_after" (a valid request afterwards got the right bytes; null when not tried), "error"}.
      Exits 0 once every behaviour is finished (each has its own time limit).

  raw_peer.py hog HOST:PORT --info-hash HEX --connections N --seconds S --ready-file PATH
      N connections that handshake, say interested and then never request: for S seconds they read and drop
      whatever comes and send a keep-alive every 30 s. PATH is created once all are open. Prints one JSON line:
      {"connections" (opened), "unchoked" (how many the server unchoked), "closed" (how many it closed)}.
"""
import hashlib
import json
import os
import socket
import struct
import sys
import threading
import time

PROTOCOL = b"\x13BitTorrent protocol"
CHOKE, UNCHOKE, INTERESTED, NOT_INTERESTED, HAVE, BITFIELD, REQUEST, PIECE, CANCEL = range(9)
HAVE_ALL, REJECT, EXTENDED = 0x0E, 0x10, 20
BLOCK = 16 * 1024
TCP_ESTABLISHED = 1
PRINT_LOCK = threading.Lock()


class Closed(Exception):
    """The server closed the connection (end of stream or reset)."""


def reserved(fast=True, extensions=True):
    bits = bytearray(8)
    if extensions:
        bits[5] |= 0x10
    if fast:
        bits[7] |= 0x04
    return bytes(bits)


def peer_id(tag):
    return ("-RP0001-" + hashlib.sha1(tag.encode()).hexdigest())[:20].encode()


def message(msg_id, payload=b""):
    return struct.pack(">IB", 1 + len(payload), msg_id) + payload


def block_message(msg_id, index, begin, length):
    return message(msg_id, struct.pack(">III", index, begin, length))


class Connection:
    def __init__(self, host, port, tag, rcvbuf=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect((host, port))
        self.tag = tag
        self.buffer = b""

    @property
    def local(self):
        host, port = self.sock.getsockname()
        return f"{host}:{port}"

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        remaining = deadline - time.time()
        if remaining <= 0:
            raise socket.timeout()
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError) as error:
            raise Closed() from error
        if not chunk:
            raise Closed()
        self.buffer += chunk

    def read_exact(self, count, timeout):
        deadline = time.time() + timeout
        while len(self.buffer) < count:
            self._fill(deadline)
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_message(self, timeout):
        """(id, payload) of the next message; keep-alives come back as (None, b"")."""
        length = struct.unpack(">I", self.read_exact(4, timeout))[0]
        if length == 0:
            return None, b""
        body = self.read_exact(length, timeout)
        return body[0], body[1:]

    def handshake(self, info_hash, fast=True, extensions=True):
        """Sends ours, reads theirs (68 bytes); True when it names the same info-hash."""
        self.send(PROTOCOL + reserved(fast, extensions) + info_hash + peer_id(self.tag))
        reply = self.read_exact(68, 10)
        return reply[:20] == PROTOCOL and reply[28:48] == info_hash

    def read_greeting(self, timeout=2.0):
        """The seed's bitfield or have all, and its extension handshake: whatever comes within the timeout."""
        ids = []
        deadline = time.time() + timeout
        try:
            while time.time() < deadline:
                msg_id, _ = self.read_message(deadline - time.time())
                ids.append(msg_id)
        except socket.timeout:
            pass
        return ids

    def wait_closed(self, limit, received):
        """Reads (and drops) until the server closes; seconds taken, or None if still open after `limit`."""
        start = time.time()
        deadline = start + limit
        try:
            while True:
                msg_id, _ = self.read_message(deadline - time.time())
                received.append(msg_id)
        except Closed:
            return round(time.time() - start, 3)
        except socket.timeout:
            return None

    def wait_closed_without_reading(self, limit):
        """Polls the TCP state (never reads): seconds until it leaves ESTABLISHED, or None after `limit`."""
        start = time.time()
        while time.time() - start < limit:
            state = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
            if state != TCP_ESTABLISHED:
                return round(time.time() - start, 3)
            time.sleep(0.1)
        return None

    def drain(self):
        """Reads what has arrived without waiting; returns the ids of the complete messages buffered (None for a
        keep-alive). Raises Closed when the server closed."""
        self.sock.setblocking(False)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise Closed()
                self.buffer += chunk
        except BlockingIOError:
            pass
        except (ConnectionResetError, BrokenPipeError) as error:
            raise Closed() from error
        finally:
            self.sock.settimeout(10)
        ids = []
        while len(self.buffer) >= 4:
            length = struct.unpack(">I", self.buffer[:4])[0]
            if len(self.buffer) < 4 + length:
                break
            ids.append(self.buffer[4] if length else None)
            self.buffer = self.buffer[4 + length:]
        return ids

    def close(self):
        self.sock.close()


class Torrent:
    def __init__(self, info_hash, data, piece_length):
        self.info_hash = info_hash
        self.data = data
        self.piece_length = piece_length
        self.pieces = (len(data) + piece_length - 1) // piece_length

    def piece_size(self, index):
        return min(self.piece_length, len(self.data) - index * self.piece_length)


def serve_check(conn, torrent, index, received):
    """Interested, wait for unchoke, one valid request: True when the block comes back with the object's bytes.
    Then not interested (frees the unchoke slot) and two quiet seconds: the connection must still be open."""
    conn.send(message(INTERESTED))
    deadline = time.time() + 40
    while True:
        msg_id, _ = conn.read_message(deadline - time.time())
        received.append(msg_id)
        if msg_id == UNCHOKE:
            break
    length = min(BLOCK, torrent.piece_size(index))
    conn.send(block_message(REQUEST, index, 0, length))
    while True:
        msg_id, payload = conn.read_message(deadline - time.time())
        received.append(msg_id)
        if msg_id == PIECE and struct.unpack(">II", payload[:8]) == (index, 0):
            offset = index * torrent.piece_length
            ok = payload[8:] == torrent.data[offset:offset + length]
            break
    conn.send(message(NOT_INTERESTED))
    if conn.wait_closed(2.0, received) is not None:
        raise Closed()
    return ok


# Each behaviour: (fast bit, extension bit, act(conn, torrent) -> None, close limit in seconds or None when the
# behaviour is to be tolerated: then a valid request must still be served afterwards).
def act_oversized_request(conn, torrent):
    conn.send(block_message(REQUEST, 0, 0, 1024 * 1024))


def act_request_past_end(conn, torrent):
    last = torrent.pieces - 1
    conn.send(block_message(REQUEST, last, torrent.piece_size(last) - 100, BLOCK))


def act_request_bad_index(conn, torrent):
    conn.send(block_message(REQUEST, torrent.pieces, 0, BLOCK))


def act_huge_length_prefix(conn, torrent):
    conn.send(struct.pack(">IB", 2 ** 31, EXTENDED) + os.urandom(64))


def act_wrong_length_message(conn, torrent):
    conn.send(struct.pack(">IB", 5, CHOKE) + b"\x00\x00\x00\x00")


def act_bitfield_wrong_length(conn, torrent):
    conn.send(message(BITFIELD, b"\xff" * ((torrent.pieces + 7) // 8 + 3)))


def act_malformed_extension_handshake(conn, torrent):
    conn.send(message(EXTENDED, b"\x00" + b"d1:m!!not bencode"))


def act_seed_bitfield(conn, torrent):
    bits = bytearray(b"\xff" * ((torrent.pieces + 7) // 8))
    if torrent.pieces % 8:
        bits[-1] = (0xFF << (8 - torrent.pieces % 8)) & 0xFF
    conn.send(message(BITFIELD, bytes(bits)))


def act_seed_have_all(conn, torrent):
    conn.send(message(HAVE_ALL))


def act_unknown_message(conn, torrent):
    conn.send(message(0x63, os.urandom(1000)) + message(0xFF, os.urandom(40)))


def act_request_while_choked(conn, torrent):
    conn.send(block_message(REQUEST, 1, 0, BLOCK))


def act_unsolicited_piece(conn, torrent):
    conn.send(message(PIECE, struct.pack(">II", 0, 0) + os.urandom(BLOCK)))


def act_cancel_unrequested(conn, torrent):
    conn.send(block_message(CANCEL, 2, 0, BLOCK))


def act_have_and_unknown_extension(conn, torrent):
    conn.send(message(HAVE, struct.pack(">I", 0)) + message(EXTENDED, b"\x63" + os.urandom(30)))


BEHAVIOURS = {
    "oversized_request": (True, True, act_oversized_request, 10),
    "request_past_end": (True, True, act_request_past_end, 10),
    "request_bad_index": (True, True, act_request_bad_index, 10),
    "huge_length_prefix": (True, True, act_huge_length_prefix, 10),
    "wrong_length_message": (True, True, act_wrong_length_message, 10),
    "bitfield_wrong_length": (False, True, act_bitfield_wrong_length, 10),
    "malformed_extension_handshake": (True, True, act_malformed_extension_handshake, 10),
    "seed_bitfield": (False, False, act_seed_bitfield, 10),
    "seed_have_all": (True, True, act_seed_have_all, 10),
    "unknown_message": (True, True, act_unknown_message, None),
    "request_while_choked": (True, True, act_request_while_choked, None),
    "request_while_choked_no_fast": (False, False, act_request_while_choked, None),
    "unsolicited_piece": (True, True, act_unsolicited_piece, None),
    "cancel_unrequested": (True, True, act_cancel_unrequested, None),
    "have_and_unknown_extension": (True, True, act_have_and_unknown_extension, None),
}


def run_behaviour(name, host, port, torrent):
    result = {"behaviour": name, "local": None, "greeted": False, "closed": False, "seconds": None,
              "received": [], "served_after": None, "error": None}
    conn = None
    try:
        if name == "garbage_handshake":
            conn = Connection(host, port, name)
            result["local"] = conn.local
            conn.send(b"GET /announce HTTP/1.1\r\nHost: x\r\n\r\n" + b"\x00" * 40)
            result["seconds"] = conn.wait_closed(10, result["received"])
            result["greeted"] = len(conn.buffer) > 0
        elif name == "stalled_handshake":
            conn = Connection(host, port, name)
            result["local"] = conn.local
            conn.send((PROTOCOL + reserved() + torrent.info_hash)[:40])
            result["seconds"] = conn.wait_closed(30, result["received"])
            result["greeted"] = len(conn.buffer) > 0
        elif name in ("flood_no_read", "stall_no_read"):
            conn = Connection(host, port, name, rcvbuf=4096)
            result["local"] = conn.local
            result["greeted"] = conn.handshake(torrent.info_hash)
            conn.read_greeting(0.5)
            conn.send(message(INTERESTED))
            deadline = time.time() + 40
            while conn.read_message(deadline - time.time())[0] != UNCHOKE:
                pass
            # flood: 12000 requests, far past the advertised reqq (2000), never another read: the server's sends stall.
            # stall: 200 requests (within reqq), never another read: the server's writes stall and time out.
            count = 12000 if name == "flood_no_read" else 200
            flood = b"".join(block_message(REQUEST, i % torrent.pieces, 0, min(BLOCK, torrent.piece_size(i % torrent.pieces)))
                             for i in range(count))
            conn.sock.settimeout(30)
            conn.send(flood)
            result["requests_sent"] = count
            result["seconds"] = conn.wait_closed_without_reading(85)
        else:
            fast, extensions, act, limit = BEHAVIOURS[name]
            conn = Connection(host, port, name)
            result["local"] = conn.local
            result["greeted"] = conn.handshake(torrent.info_hash, fast, extensions)
            conn.read_greeting()
            act(conn, torrent)
            if limit is not None:
                result["seconds"] = conn.wait_closed(limit, result["received"])
            else:
                # Tolerated: give the server a moment to (wrongly) close, then prove it still serves.
                if conn.wait_closed(1.0, result["received"]) is not None:
                    raise Closed()
                index = 3 + sorted(BEHAVIOURS).index(name) % max(1, torrent.pieces - 3)
                result["served_after"] = serve_check(conn, torrent, index, result["received"])
        result["closed"] = result["seconds"] is not None
    except Closed:
        result["closed"] = True
        result["error"] = "closed before the check finished"
    except (OSError, socket.timeout, struct.error) as error:
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        if conn is not None:
            conn.close()
    with PRINT_LOCK:
        print(json.dumps(result), flush=True)


def handshake_probe(host, port, hashes):
    for hex_hash in hashes:
        info_hash = bytes.fromhex(hex_hash)
        start = time.time()
        result = {"info_hash": hex_hash, "local": None, "reply": False, "closed": False, "bytes": 0, "seconds": None}
        conn = Connection(host, port, "probe-" + hex_hash)
        try:
            result["local"] = conn.local
            conn.send(PROTOCOL + reserved() + info_hash + peer_id(hex_hash))
            deadline = start + 5
            try:
                while len(conn.buffer) < 68:
                    conn._fill(deadline)
            except Closed:
                result["closed"] = True
            except socket.timeout:
                pass
            result["bytes"] = len(conn.buffer)
            result["reply"] = len(conn.buffer) >= 68 and conn.buffer[:20] == PROTOCOL and conn.buffer[28:48] == info_hash
            result["seconds"] = round(time.time() - start, 3)
        finally:
            conn.close()
        print(json.dumps(result), flush=True)


def hog(host, port, info_hash, count, seconds, ready_file):
    conns = []
    for i in range(count):
        conn = Connection(host, port, f"hog-{i}")
        conn.handshake(info_hash)
        conn.send(message(INTERESTED))
        conns.append(conn)
    open(ready_file, "w").close()
    unchoked, closed = set(), set()
    start = last_keepalive = time.time()
    while time.time() - start < seconds:
        keepalive = time.time() - last_keepalive > 30
        for i, conn in enumerate(conns):
            if i in closed:
                continue
            try:
                if UNCHOKE in conn.drain():
                    unchoked.add(i)
                if keepalive:
                    conn.send(struct.pack(">I", 0))
            except (Closed, OSError):
                closed.add(i)
        if keepalive:
            last_keepalive = time.time()
        time.sleep(0.2)
    for conn in conns:
        conn.close()
    print(json.dumps({"connections": len(conns), "unchoked": len(unchoked), "closed": len(closed)}), flush=True)


def main():
    args = sys.argv[1:]
    command, (host, port) = args.pop(0), args.pop(0).rsplit(":", 1)
    port = int(port)
    if command == "handshake":
        handshake_probe(host, port, args)
        return
    info_hash, data, piece_length, only = None, None, None, None
    connections, seconds, ready_file = 0, 0.0, None
    while args:
        flag = args.pop(0)
        if flag == "--connections":
            connections = int(args.pop(0))
        elif flag == "--seconds":
            seconds = float(args.pop(0))
        elif flag == "--ready-file":
            ready_file = args.pop(0)
        elif flag == "--info-hash":
            info_hash = bytes.fromhex(args.pop(0))
        elif flag == "--data":
            data = open(args.pop(0), "rb").read()
        elif flag == "--piece-length":
            piece_length = int(args.pop(0))
        elif flag == "--only":
            only = args.pop(0).split(",")
    if command == "hog":
        hog(host, port, info_hash, connections, seconds, ready_file)
        return
    torrent = Torrent(info_hash, data, piece_length)
    names = only or ["garbage_handshake", "stalled_handshake", "flood_no_read", "stall_no_read", *BEHAVIOURS]
    threads = [threading.Thread(target=run_behaviour, args=(name, host, port, torrent)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
