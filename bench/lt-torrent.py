"""Prints facts about a .torrent and writes the variants bench/07-seeder.sh needs.

usage: /usr/bin/python3 lt-torrent.py IN.torrent PEERS_OUT.torrent WEBSEED_OUT.torrent
  PEERS_OUT:   url-list and trackers removed (only a directly dialed peer can serve it)
  WEBSEED_OUT: trackers removed, url-list kept (only the web seed can serve it)
Both live outside `info`, so the info-hash is unchanged. Prints: NAME PIECE_LENGTH PIECES V1_INFO_HASH URL_LIST
"""
import sys

import libtorrent as lt

src, peers_out, webseed_out = sys.argv[1:4]
data = lt.bdecode(open(src, "rb").read())
for key in (b"announce", b"announce-list"):
    data.pop(key, None)
webseed = dict(data)
data.pop(b"url-list", None)
open(peers_out, "wb").write(lt.bencode(data))
open(webseed_out, "wb").write(lt.bencode(webseed))

ti = lt.torrent_info(src)
urls = webseed.get(b"url-list", b"")
if isinstance(urls, list):
    urls = b",".join(urls)
print(ti.name(), ti.piece_length(), ti.num_pieces(), str(ti.info_hashes().v1), urls.decode() or "-")
