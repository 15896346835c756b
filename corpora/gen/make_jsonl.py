#!/usr/bin/env python3
"""Generate corpora/jsonl/late_columns.jsonl for tests/e2e/json_windows.sh.

    python3 corpora/gen/make_jsonl.py [REPO_ROOT]

JSON Lines whose key paths first appear far into the file, so that with
small windows (--window-size 4096) each window brings columns the earlier
ones did not have: the workers track windows on their own, with column
tables of their own, and the ids, value counts and column shares of the
reports must come out as if one reader had tracked the stream in order.
Every 40 records a new phase adds keys: plain ones (extra_N), telling ones
(手机, an escaped 手机号, contact.mobile, devices[].imei, idCard, email_addr),
which then stay.  "phone" holds a mobile in most records and "n/a" in
some; "maybe_phone", in every other record, holds one in every sixth of
them (a share that lowers the confidence, from the value ordinals); every other record ends in a telling key.  A few corrupt and
blank lines and a log line are mixed in, and three records are longer than
a 4 KiB window (two in a row), so that some windows start inside a record.
FAKE values from make_sample.py's generators; deterministic (fixed seed);
the generated file is committed.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sample as m  # noqa: E402  (its value generators)

m.R.seed(20240502)
R = m.R
ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "corpora", "jsonl")
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静"]


def record(i):
    phase = i // 40
    r = {"ts": 1710460800000 + i * 137, "seq": i, "extra_%d" % phase: "v%d" % i}
    r["phone"] = m.mobile() if i % 7 else "n/a"
    if i % 2 == 0:
        r["maybe_phone"] = m.mobile() if i % 12 == 0 else "unknown"
    if phase >= 2:
        r["手机"] = m.mobile()
    if phase >= 5:
        r["contact"] = {"mobile": m.mobile(), "name": R.choice(NAMES)}
    if phase >= 7:
        r["devices"] = [{"imei": m.imei(), "os": "android"}, {"imei": m.imei()}]
    if phase >= 9:
        r["idCard"] = m.id18()
    if phase >= 11:
        r["email_addr"] = m.email()
    if i in (250, 251, 450):
        r["note"] = " ".join(["filler words without numbers"] * 170)
    if i % 2:   # end in a telling key: the field the next window starts in
        r["phone"] = r.pop("phone")
    return r


def line(i):
    s = json.dumps(record(i), ensure_ascii=False, separators=(",", ":"))
    if i >= 160 and i < 200:   # phase 4: the key 手机号 written with escapes
        s = s.replace('"手机"', '"\\u624b\\u673a\\u53f7"')
    return s


def main():
    os.makedirs(OUT, exist_ok=True)
    out = []
    for i in range(600):
        out.append(line(i))
        if i % 97 == 13:
            out.append('{"broken": "13812345678, "phone": 1391')
        if i % 89 == 5:
            out.append("")
        if i % 113 == 7:
            out.append("2024-03-15 10:00:00 INFO login ok for %s from %s" % (m.mobile(), m.ipv4()))
    with open(os.path.join(OUT, "late_columns.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
