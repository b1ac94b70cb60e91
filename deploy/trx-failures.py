#!/usr/bin/env python3
"""Prints the failed tests of a .trx file with their messages, so a red run says why."""
import sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    for result in root.iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") != "Failed":
            continue
        message = result.find(".//t:ErrorInfo/t:Message", ns)
        trace = result.find(".//t:ErrorInfo/t:StackTrace", ns)
        print(f"FAILED {result.get('testName')}")
        for line in ((message.text or "") if message is not None else "").splitlines()[:20]:
            print(f"    {line}")
        for line in ((trace.text or "") if trace is not None else "").splitlines()[:6]:
            print(f"    {line}")
