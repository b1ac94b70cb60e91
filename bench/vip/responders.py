#!/usr/bin/env python3
"""Asks for an address by ARP from a client namespace, one request at a time, for a while, and reports the time
during which two or more MACs answered the same request (dual announcement) and none did. Unlike holders.py it
sees what the network sees: an address the kernel holds but no longer answers for (fenced) does not count.

usage: responders.py IP SECONDS NS      prints: "dual <ms> none <ms> samples <n>"
"""
import re, subprocess, sys, time

ip, seconds, namespace = sys.argv[1], float(sys.argv[2]), sys.argv[3]
dual = none = samples = 0
last = time.monotonic()
end = last + seconds
while True:
    now = time.monotonic()
    if now >= end:
        break
    # One request; wait up to 50 ms for a second answer to it.
    text = subprocess.run(["ip", "netns", "exec", namespace, "arping", "-c", "1", "-C", "2", "-w", "0.05", "-i", "eth0", ip],
                          capture_output=True, text=True).stdout
    macs = set(re.findall(r"from ([0-9a-f:]{17})", text))
    step = (now - last) * 1000
    last = now
    samples += 1
    if len(macs) >= 2:
        dual += step
    elif not macs:
        none += step
print(f"dual {dual:.0f} none {none:.0f} samples {samples}")
