#!/usr/bin/env python3
"""Median and worst of outage figures (one per line; ">=N" means it had not recovered after N ms)."""
import statistics, sys
raw = [l.strip() for l in sys.stdin if l.strip()]
unrecovered = [r for r in raw if not r.replace(".", "").isdigit()]
values = [float(r.lstrip(">=")) for r in raw if r != "no-replies"]
print(f"{len(raw)} rounds: median {statistics.median(values):.0f} ms, worst {max(values):.0f} ms"
      + (f"; {len(unrecovered)} not recovered within the window: {unrecovered}" if unrecovered else ""))
