"""The libtorrent session settings every test script uses: loopback only, no DHT, LSD, UPnP, NAT-PMP or uTP."""

OFFLINE = {
    "listen_interfaces": "127.0.0.1:0",
    "enable_dht": False,
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_incoming_utp": False,
    "enable_outgoing_utp": False,
}


def offline(**extra):
    """OFFLINE plus script-specific settings (alert masks, connection rules)."""
    return {**OFFLINE, **extra}

