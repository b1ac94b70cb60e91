#!/usr/bin/env python3
"""Samples which namespaces hold an address, every 10 ms for a while, and reports the time during which two or
more held it at once (dual announcement) and none did. The namespaces of one sample are read one after another within a few milliseconds.

usage: holders.py IP SECONDS NS...      prints: "dual <ms> none <ms> samples <n>"
"""
import subprocess, sys, time

ip, seconds, namespaces = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
dual = none = samples = 0
last = time.monotonic()
end = last + seconds
while True:
    now = time.monotonic()
    if now >= end:
        break
    holders = {ns for ns in namespaces
               if subprocess.run(["ip", "-n", ns, "-o", "addr", "show", "to", ip + "/32"],
                                 capture_output=True, text=True).stdout.strip()}
    step = (now - last) * 1000
    last = now
    samples += 1
    if len(holders) >= 2:
        dual += step
    elif not holders:
        none += step
    time.sleep(max(0.0, 0.01 - (time.monotonic() - now)))
print(f"dual {dual:.0f} none {none:.0f} samples {samples}")
