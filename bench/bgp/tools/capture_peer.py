#!/usr/bin/env python3
"""Minimal BGP listener that records every message a real daemon sends, as hex lines.
Used once to capture the byte-for-byte fixtures of tests/Fabric.Vip.Tests/Bgp/CapturedMessages.cs.
usage: capture_peer.py BIND_ADDR MY_AS BGP_ID SECONDS OUT [two-byte]"""
import socket, struct, sys, time

addr, my_as, bgp_id, seconds, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
two_byte = len(sys.argv) > 6

def msg(t, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), t) + body

caps = b"\x01\x04\x00\x01\x00\x01" + b"\x01\x04\x00\x02\x00\x01" + b"\x02\x00"
if not two_byte:
    caps += b"\x41\x04" + struct.pack("!I", my_as)
opt = b"\x02" + bytes([len(caps)]) + caps
open_msg = msg(1, struct.pack("!BHH4sB", 4, my_as if my_as < 65536 else 23456, 90, socket.inet_aton(bgp_id), len(opt)) + opt)

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((addr, 179)); srv.listen(1)
conn, _ = srv.accept()
conn.sendall(open_msg + msg(4, b""))
conn.settimeout(0.5)
buf = b""; end = time.time() + seconds
with open(out, "w") as f:
    while time.time() < end:
        try:
            d = conn.recv(65536)
            if not d: break
            buf += d
        except socket.timeout:
            pass
        while len(buf) >= 19:
            length = struct.unpack("!H", buf[16:18])[0]
            if len(buf) < length: break
            m, buf = buf[:length], buf[length:]
            f.write(m.hex() + "\n"); f.flush()
            if m[18] == 4: conn.sendall(msg(4, b""))
