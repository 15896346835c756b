#!/usr/bin/env python3
"""Generate corpora/names/: zips whose member names are not ASCII.

    python3 corpora/gen/make_names.py [REPO_ROOT]

Member names are how a report says where personal data is, and how a
redacted archive keeps its layout.  Zips store names in one of two ways:
flagged UTF-8 (general purpose bit 11), or unflagged bytes in the code page
of the machine that made them -- GBK on Chinese Windows, UTF-8 on macOS and
Linux.  Python's zipfile cannot write unflagged non-ASCII names, so the
unflagged files (and one whose flag lies) are written by hand here.

The data is fake (a test mobile number).  Deterministic: re-running it
reproduces the committed files exactly.
"""
import os
import struct
import sys
import zlib

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
out = os.path.join(root, "corpora", "names")
os.makedirs(out, exist_ok=True)

DATA = "联系电话 13812345678\n".encode()
NAME = "客户资料/手机号.txt"
DOS_TIME, DOS_DATE = 0, (2023 - 1980) << 9 | 11 << 5 | 14   # 2023-11-14 00:00


def stored_zip(members, flag):
    """A zip of stored (uncompressed) members [(name bytes, data)], all
    with general purpose flags `flag`."""
    local, central = b"", b""
    for name, data in members:
        crc = zlib.crc32(data)
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flag, 0, DOS_TIME, DOS_DATE,
                           crc, len(data), len(data), len(name), 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flag, 0, DOS_TIME,
                               DOS_DATE, crc, len(data), len(data), len(name), 0, 0, 0, 0,
                               0o644 << 16, len(local)) + name
        local += head + name + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(local), 0)
    return local + central + end


def write(name, members, flag):
    with open(os.path.join(out, name), "wb") as f:
        f.write(stored_zip(members, flag))


UTF8_FLAG = 0x800
write("utf8-flagged.zip", [(NAME.encode(), DATA), (b"readme.txt", b"no personal data\n")], UTF8_FLAG)
# "中文" in UTF-8 is also valid GB18030 (two other characters): only
# trying UTF-8 first keeps this name right.
write("utf8-unflagged.zip", [(NAME.encode(), DATA), ("中文.txt".encode(), DATA)], 0)   # macOS / Info-ZIP
write("gbk-unflagged.zip", [(NAME.encode("gbk"), DATA)], 0)     # Chinese Windows
# The flag says UTF-8 but the bytes are not: no name can be read.
write("flag-lies.zip", [(b"bad\xc3\x28name.txt", DATA)], UTF8_FLAG)
