#!/usr/bin/env python3
"""Client-observed outage of a VIP from `ping -D -i INTERVAL` output: the longest run of missing replies,
including a run at the end that never recovered (reported with a leading >=)."""
import re, sys

def outage(text, interval_ms):
    seqs = [int(m.group(1)) for m in re.finditer(r"icmp_seq=(\d+)", text)]
    sent = re.search(r"(\d+) packets transmitted", text)
    if not seqs or not sent:
        return "no-replies"
    gaps = [b - a - 1 for a, b in zip(seqs, seqs[1:])]
    tail = int(sent.group(1)) - seqs[-1]
    worst = max([0] + gaps) * interval_ms
    if tail * interval_ms > max(worst, 100):
        return f">={tail * interval_ms:.0f}"
    return f"{worst:.0f}"

if __name__ == "__main__":
    print(outage(open(sys.argv[1]).read(), float(sys.argv[2]) if len(sys.argv) > 2 else 10))
