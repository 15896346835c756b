#!/usr/bin/env bash
# make.sh -- regenerate the crafted hostile containers in corpora/hostile/
# and the realistic archives in corpora/archives/.  The outputs are
# committed, so tests need none of these tools; regenerating needs python3
# (tarfile, zipfile), gzip and `zip` (Debian package zip: python's zipfile
# cannot encrypt).  Timestamps are fixed so the files are reproducible.
#
# All personal data here is fake (test numbers from corpora/sample).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
arch=$root/corpora/archives
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC SOURCE_DATE_EPOCH=1700000000

python3 - "$here" "$arch" "$root/corpora/sample" <<'PY'
import gzip, io, os, random, sys, tarfile, time, zipfile
hostile, arch, sample = sys.argv[1:4]
T = 1700000000
PII = b"user phone 13812345678 mail zhang.wei@example.com\n"

def tar_add(tf, name, data=b"", **kw):
    ti = tarfile.TarInfo(name)
    ti.size = len(data); ti.mtime = T; ti.mode = kw.pop("mode", 0o644)
    for k, v in kw.items():
        setattr(ti, k, v)
    tf.addfile(ti, io.BytesIO(data) if data else None)

def gz(data, name=""):
    b = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=b, mtime=T) as g:
        g.write(data)
    return b.getvalue()

def zinfo(name):
    zi = zipfile.ZipInfo(name, date_time=time.gmtime(T)[:6])
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    return zi

# zip bomb: 32 MiB of zeros in about 32 KiB, then a normal member.
with zipfile.ZipFile(os.path.join(hostile, "bomb.zip"), "w") as z:
    z.writestr(zinfo("zeros.bin"), b"\0" * (32 << 20), compresslevel=9)
    z.writestr(zinfo("after.txt"), PII)

# names that escape an extraction directory
with tarfile.open(os.path.join(hostile, "traversal.tar"), "w", format=tarfile.PAX_FORMAT) as tf:
    tar_add(tf, "../../etc/x", PII)
    tar_add(tf, "/abs/path", PII)
    tar_add(tf, "ok.txt", PII)

# links
with tarfile.open(os.path.join(hostile, "links.tar"), "w", format=tarfile.PAX_FORMAT) as tf:
    tar_add(tf, "data.txt", PII)
    tar_add(tf, "link", type=tarfile.SYMTYPE, linkname="/etc/passwd")
    tar_add(tf, "hard", type=tarfile.LNKTYPE, linkname="data.txt")

# truncated .tar.gz: the second member's data is cut off
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tf:
    tar_add(tf, "first.txt", PII)
    # compressible enough to stay small, not so much that libarchive's
    # first 64 KiB of read-ahead reaches the cut
    rnd = random.Random(5)
    noise = "".join("row %06d status=%s\n" % (i, rnd.choice(("ok", "fail", "retry"))) for i in range(20000)).encode()
    tar_add(tf, "second.txt", PII + noise)
whole = gz(b.getvalue())
open(os.path.join(hostile, "truncated.tar.gz"), "wb").write(whole[: len(whole) // 2])

# corrupt zip: the deflate data of the only member is overwritten
b = io.BytesIO()
with zipfile.ZipFile(b, "w") as z:
    z.writestr(zinfo("broken.txt"), PII * 200)
data = bytearray(b.getvalue())
start = 30 + len("broken.txt")
for i in range(start + 4, start + 40):
    data[i] = 0xff
open(os.path.join(hostile, "corrupt.zip"), "wb").write(bytes(data))

# nesting 6 containers deep: tar > zip > tar > zip > tar > zip > deep.txt
def tar_of(name, data):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tf:
        tar_add(tf, name, data)
    return b.getvalue()
def zip_of(name, data):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr(zinfo(name), data)
    return b.getvalue()
inner = zip_of("deep.txt", PII)
inner = tar_of("l5.zip", inner)
inner = zip_of("l4.tar", inner)
inner = tar_of("l3.zip", inner)
inner = zip_of("l2.tar", inner)
open(os.path.join(hostile, "deep.tar"), "wb").write(tar_of("l1.zip", inner))

# multi-member gzip (as made by `cat a.gz b.gz` or log rotation appends)
open(os.path.join(hostile, "multi.log.gz"), "wb").write(
    gz(b"first member 13812345678\n", "multi.log") + gz(b"second member 13912345678\n"))

# ---- realistic archives ----
def sample_bytes(rel):
    return open(os.path.join(sample, rel), "rb").read()

tb = io.BytesIO()
with tarfile.open(fileobj=tb, mode="w", format=tarfile.PAX_FORMAT) as tf:
    tar_add(tf, "logs/", type=tarfile.DIRTYPE, mode=0o755)
    tar_add(tf, "logs/nginx/access.log", sample_bytes("nginx/access.log"), mode=0o640)
    tar_add(tf, "logs/android/logcat.txt.gz", gz(sample_bytes("android/logcat.txt"), "logcat.txt"), mode=0o600)
    zb = io.BytesIO()
    with zipfile.ZipFile(zb, "w") as z:
        z.writestr(zinfo("exports/customers.csv"), sample_bytes("exports/customers.csv"))
        z.writestr(zinfo("chat/kefu.txt"), sample_bytes("chat/kefu.txt"))
    tar_add(tf, "logs/exports.zip", zb.getvalue())
open(os.path.join(arch, "logs.tar.gz"), "wb").write(gz(tb.getvalue(), "logs.tar"))
with zipfile.ZipFile(os.path.join(arch, "dumps.zip"), "w") as z:
    for rel in ("dumps/shop.sql", "dumps/pg_users.sql", "telemetry/events.jsonl", "config/app.ini"):
        zi = zinfo(rel)
        zi.external_attr = 0o600 << 16
        z.writestr(zi, sample_bytes(rel))
open(os.path.join(arch, "access.log.gz"), "wb").write(gz(sample_bytes("nginx/access.log"), "access.log"))
PY

# An encrypted member next to a plain one (traditional PKWARE encryption).
printf 'user phone 13812345678\n' >"$tmp/secret.txt"
printf 'nothing here\n' >"$tmp/plain.txt"
touch -d @1700000000 "$tmp/secret.txt" "$tmp/plain.txt"
rm -f "$here/encrypted.zip"
(cd "$tmp" && zip -q -X -P secret "$here/encrypted.zip" secret.txt && zip -q -X "$here/encrypted.zip" plain.txt)
ls -l "$here" "$arch"
