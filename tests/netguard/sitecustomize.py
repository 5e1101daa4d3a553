"""Imported by Python at start-up when this folder is on PYTHONPATH (tests/browser/test_no_outbound_browser.py):
every network contact that is not loopback — a connection, a datagram, a name lookup — is refused and written
to the file named by ``SINERGI_NETLOG`` with the stack that asked for it. Unix sockets and loopback
addresses pass; so do the wildcard addresses a server binds to."""

from __future__ import annotations

import ipaddress
import os
import socket
import traceback

_LOG = os.environ.get("SINERGI_NETLOG", "")
_LOCAL_NAMES = {"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip("[]").split("%")[0]
    if name.lower() in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False  # a name: resolving it would ask a DNS server
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def _refuse(what: str, target: object) -> None:
    if _LOG:
        stack = "".join(traceback.format_stack()[:-2])
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(f"pid {os.getpid()}: {what} {target!r}\n{stack}---\n")


def _check(sock: socket.socket, address: object, what: str) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and not _local(address[0]):
        _refuse(what, address)
        raise ConnectionRefusedError(f"refused by the test's network guard: {what} {address!r}")


_connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto


def connect(self, address):
    _check(self, address, "connect")
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address, "connect_ex")
    return _connect_ex(self, address)


def sendto(self, data, *args):
    _check(self, args[-1], "sendto")
    return _sendto(self, data, *args)


def _lookup(fn, what):
    def guarded(host, *args, **kwargs):
        if not _local(host):
            _refuse(what, host)
            raise socket.gaierror(socket.EAI_NONAME, f"refused by the test's network guard: {what} {host!r}")
        return fn(host, *args, **kwargs)

    return guarded


socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.getaddrinfo = _lookup(socket.getaddrinfo, "getaddrinfo")
socket.gethostbyname = _lookup(socket.gethostbyname, "gethostbyname")
socket.gethostbyname_ex = _lookup(socket.gethostbyname_ex, "gethostbyname_ex")
socket.gethostbyaddr = _lookup(socket.gethostbyaddr, "gethostbyaddr")
if _LOG:  # the log exists from the start, empty until something is refused: a test can tell the guard was there
    open(_LOG, "a").close()
