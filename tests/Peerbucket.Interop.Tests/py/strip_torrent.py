#!/usr/bin/python3
"""Copies a .torrent without its web seeds (url-list lives outside info, so the info-hash stays).
Usage: strip_torrent.py IN OUT"""
import sys

import libtorrent as lt

data = lt.bdecode(open(sys.argv[1], "rb").read())
data.pop(b"url-list", None)
open(sys.argv[2], "wb").write(lt.bencode(data))
