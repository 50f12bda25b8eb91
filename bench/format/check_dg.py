#!/usr/bin/python3
"""Reads a dgtools .dg file with the Python standard library only, proving the format is plain safetensors.

Prints "format N name NAME uuid UUID checksum ok|none", then one line per tensor: name dtype [shape] sha256-of-data.
The checksum (format 2, docs/model-format.md) is the SHA-256 of the whole file with the 64 hex digits of the
"dgtools.checksum" value replaced by ASCII '0'; a mismatch exits 1.
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
    checksum = "none"
    if "dgtools.checksum" in meta:
        value = meta["dgtools.checksum"].encode("ascii")
        needle = b'"' + value + b'"'
        assert value.startswith(b"sha256:") and data[8 : 8 + n].count(needle) == 1, "malformed checksum entry"
        zeroed = data.replace(needle, b'"sha256:' + b"0" * 64 + b'"', 1)
        if hashlib.sha256(zeroed).hexdigest().encode("ascii") != value[len(b"sha256:") :]:
            sys.exit(f"{path}: checksum mismatch")
        checksum = "ok"
    print(f"format {meta['dgtools.format']} name {model['name']} uuid {model['uuid']} checksum {checksum}")
    base = 8 + n
    for name in sorted(header):
        t = header[name]
        begin, end = t["data_offsets"]
        digest = hashlib.sha256(data[base + begin : base + end]).hexdigest()
        shape = ",".join(str(d) for d in t["shape"])
        print(f"{name} {t['dtype']} [{shape}] {digest}")


if __name__ == "__main__":
    main(sys.argv[1])
