#!/usr/bin/python3
"""Reads a dgtools .dg file with the Python standard library only, proving the format is plain safetensors.

Prints "format N name NAME uuid UUID", then one line per tensor: name dtype [shape] sha256-of-data.
Usage: /usr/bin/python3 bench/format/check_dg.py MODEL.dg
"""
import hashlib
import json
import struct
import sys


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    meta = header.pop("__metadata__")
    model = json.loads(meta["dgtools.model"])
    print(f"format {meta['dgtools.format']} name {model['name']} uuid {model['uuid']}")
    base = 8 + n
    for name in sorted(header):
        t = header[name]
        begin, end = t["data_offsets"]
        digest = hashlib.sha256(data[base + begin : base + end]).hexdigest()
        shape = ",".join(str(d) for d in t["shape"])
        print(f"{name} {t['dtype']} [{shape}] {digest}")


if __name__ == "__main__":
    main(sys.argv[1])
