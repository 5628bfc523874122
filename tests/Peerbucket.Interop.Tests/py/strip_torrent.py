#!/usr/bin/python3
"""Copies a .torrent without some of its top-level keys, by default its web seeds (url-list). Every key it can drop
lives outside the info dict, so the info-hash stays.
Usage: strip_torrent.py IN OUT [KEY...]   e.g. strip_torrent.py a.torrent b.torrent announce announce-list"""
import sys

import libtorrent as lt

data = lt.bdecode(open(sys.argv[1], "rb").read())
for key in sys.argv[3:] or ["url-list"]:
    if key == "info":
        sys.exit("strip_torrent.py: the info dict stays (the info-hash is its hash)")
    data.pop(key.encode(), None)
open(sys.argv[2], "wb").write(lt.bencode(data))
