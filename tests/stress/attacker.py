#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""attacker.py - hostile clients of nesd's control socket, for
tests/stress/hostile-clients.sh. One mode a run; prints one result line.

  attacker.py SOCK hold N      open N connections from this one process,
                               print "open K of N" (K: those nesd kept
                               open), then hold them until stdin closes
  attacker.py SOCK longline MB a line of MB megabytes without a newline:
                               "closed ERROR" when nesd answered error 7
                               (line too long) and closed
  attacker.py SOCK random KB   KB kilobytes of random bytes, newlines
                               among them: "answered R errors E eof X
                               lines L" (L: the lines that are not empty)
  attacker.py SOCK nested N    arrays and objects nested N deep (under
                               the line limit): "errors E of 2"
  attacker.py SOCK utf8        requests with invalid UTF-8 (bad bytes,
                               overlong forms, surrogates, truncated):
                               "errors E of N"
  attacker.py SOCK flood S     hello requests for S seconds, never read:
                               "sent BYTES stalled 0|1", then hold until
                               stdin closes
"""
import json
import os
import socket
import sys
import threading
import time

HELLO = b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{}}\n'


def conn(path, timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def replies(s, want, timeout=10):
    """Read up to want reply lines; returns (lines, eof)."""
    buf, got, deadline = b"", [], time.monotonic() + timeout
    while len(got) < want and time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            b = s.recv(1 << 16)
        except socket.timeout:
            break
        except OSError:
            return got, True
        if not b:
            return got, True
        buf += b
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            got.append(json.loads(line))
    return got, False


def is_open(s):
    """The connection is still open on nesd's side (what it said before
    closing, such as error 8, is read and dropped)."""
    s.setblocking(False)
    try:
        while s.recv(1 << 16):
            pass
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        s.setblocking(True)


def hold(path, n):
    socks = []
    for _ in range(n):
        try:
            socks.append(conn(path))
        except OSError:
            break
    time.sleep(0.5)     # let nesd close what it closes
    print("open %d of %d" % (sum(map(is_open, socks)), n), flush=True)
    sys.stdin.read()


def longline(path, mb):
    s = conn(path)
    chunk = b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{"x":"' + \
        b"x" * 65536
    sent = 0
    try:
        while sent < mb << 20:
            s.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass        # nesd closed: read what it said
    got, eof = replies(s, 1)
    code = got[0]["error"]["code"] if got and "error" in got[0] else None
    print("closed %s" % code if eof or code else "open %s" % code,
          flush=True)


def rand(path, kb):
    s = conn(path)
    data = os.urandom(kb << 10)
    lines = sum(1 for l in (data + b"\n").split(b"\n")[:-1] if l)
    got, box = [], {}

    def reader():
        box["r"] = replies(s, lines, timeout=20)
    t = threading.Thread(target=reader)
    t.start()
    try:
        s.sendall(data + b"\n")
    except OSError:
        pass
    t.join()
    got, eof = box["r"]
    errs = sum(1 for r in got if "error" in r)
    print("answered %d errors %d eof %d lines %d" % (len(got), errs, eof,
                                                   lines), flush=True)


def nested(path, n):
    s = conn(path)
    arr = b"[" * n + b"]" * n
    obj = b'{"a":' * n + b"1" + b"}" * n
    for doc in (arr, obj):
        s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{"p":'
                  + doc + b"}}\n")
    got, _ = replies(s, 2)
    print("errors %d of 2" % sum(1 for r in got if "error" in r), flush=True)


def utf8(path):
    bad = [b"\xff\xfe", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80",
           b"\xf4\x90\x80\x80", b"\xc3", b"\xe2\x82", b"\x80",
           b"\xf8\x88\x80\x80\x80"]
    s = conn(path)
    for b in bad:
        s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"hello","params":'
                  b'{"client":"' + b + b'"}}\n')
        s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"h' + b + b'"}\n')
    got, _ = replies(s, 2 * len(bad))
    print("errors %d of %d" % (sum(1 for r in got if "error" in r),
                              2 * len(bad)), flush=True)


def flood(path, seconds):
    s = conn(path)
    s.setblocking(False)
    chunk = HELLO * 1000
    sent, stalled, start, last = 0, 0, time.monotonic(), time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            sent += s.send(chunk)
            last = time.monotonic()
        except BlockingIOError:
            if time.monotonic() - last > 2:
                stalled = 1
                break
            time.sleep(0.05)
        except OSError:
            break
    print("sent %d stalled %d" % (sent, stalled), flush=True)
    sys.stdin.read()


def main():
    path, mode = sys.argv[1], sys.argv[2]
    arg = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    {"hold": lambda: hold(path, arg), "longline": lambda: longline(path, arg),
     "random": lambda: rand(path, arg), "nested": lambda: nested(path, arg),
     "utf8": lambda: utf8(path), "flood": lambda: flood(path, arg)}[mode]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
