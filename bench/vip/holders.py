#!/usr/bin/env python3
"""Samples, for a while, who announces an address, and reports the time during which two or more did at once (dual
announcement) and none did.

usage: holders.py IP SECONDS NS...         which namespaces hold the address, every 10 ms (read one after another
                                           within a few milliseconds)
       holders.py --arp IP SECONDS NS      which MACs answer one ARP request sent from client namespace NS, one
                                           request at a time: what the network sees, so an address a kernel holds
                                           but no longer answers for (fenced) does not count
prints: "dual <ms> none <ms> samples <n>"
"""
import re, subprocess, sys, time


def holders(ip, namespaces):
    return {ns for ns in namespaces
            if subprocess.run(["ip", "-n", ns, "-o", "addr", "show", "to", ip + "/32"],
                              capture_output=True, text=True).stdout.strip()}


def responders(ip, namespace):
    # One request; wait up to 50 ms for a second answer to it.
    text = subprocess.run(["ip", "netns", "exec", namespace, "arping", "-c", "1", "-C", "2", "-w", "0.05", "-i", "eth0", ip],
                          capture_output=True, text=True).stdout
    return set(re.findall(r"from ([0-9a-f:]{17})", text))


args = sys.argv[1:]
arp = args[0] == "--arp"
if arp:
    args = args[1:]
ip, seconds, namespaces = args[0], float(args[1]), args[2:]
sample = (lambda: responders(ip, namespaces[0])) if arp else (lambda: holders(ip, namespaces))
pause = 0.0 if arp else 0.01
dual = none = samples = 0
last = time.monotonic()
end = last + seconds
while True:
    now = time.monotonic()
    if now >= end:
        break
    seen = sample()
    step = (now - last) * 1000
    last = now
    samples += 1
    if len(seen) >= 2:
        dual += step
    elif not seen:
        none += step
    time.sleep(max(0.0, pause - (time.monotonic() - now)))
print(f"dual {dual:.0f} none {none:.0f} samples {samples}")
