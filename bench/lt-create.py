"""Create a single-file torrent with libtorrent (the reference implementation of v2/hybrid).

usage: /usr/bin/python3 lt-create.py FILE PIECE_LENGTH OUT [v1|v2|hybrid]
"""
import os
import sys

import libtorrent as lt

path, piece_length, out = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
fmt = sys.argv[4] if len(sys.argv) > 4 else "hybrid"
flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[fmt]
fs = lt.file_storage()
lt.add_files(fs, path)
t = lt.create_torrent(fs, piece_length, flags=flags)
t.add_tracker("http://127.0.0.1:6969/announce")
lt.set_piece_hashes(t, os.path.dirname(path))
with open(out, "wb") as f:
    f.write(lt.bencode(t.generate()))
