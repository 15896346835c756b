#!/usr/bin/env bash
# redact_ab.sh A B [WORKDIR] -- `piiscan redact` of two builds compared
# byte for byte over hostile archives and compressed files: the copies, the
# messages and their order, the --report and the exit status, at --threads
# 1, 2 and 4, with limits, existing outputs, --extract-unwritable and an
# output device that fills up.  Prints one line per difference and a
# summary; exits 1 if anything differs.
#
#   scripts/redact_ab.sh /tmp/main/build/piiscan build/piiscan
set -uo pipefail
A=$(realpath "$1")
B=$(realpath "$2")
W=${3:-$(mktemp -d /tmp/redact_ab.XXXX)}
SRC=$(cd "$(dirname "$0")/.." && pwd)
export PIISCAN_KEY=00000000000000000000000000000000000000000000000000000000000000a7
export TZ=UTC
mkdir -p "$W"
in=$W/in
sample=$SRC/corpora/sample

# ---- inputs -------------------------------------------------------------------
make_inputs() {
    rm -rf "$in" "$W/t"
    mkdir -p "$in" "$W/t/sub" "$W/t/deep"
    cp "$SRC"/corpora/archives/* "$SRC"/corpora/hostile/*.{zip,tar,gz} "$in/"
    local t=$W/t
    cp "$sample/nginx/access.log" "$t/a.log"
    cp "$sample/android/logcat.txt" "$t/sub/b.txt"
    for _ in $(seq 60); do cat "$sample/nginx/access.log"; done | awk '{ print NR ": " $0 }' >"$t/big.log"
    gzip -c "$t/a.log" >"$t/sub/a.log.gz"
    xz -c "$t/sub/b.txt" >"$t/sub/b.txt.xz"
    bzip2 -c "$t/a.log" >"$t/sub/a.log.bz2"
    ln -s a.log "$t/link.log"
    ln "$t/a.log" "$t/hard.log"
    mkdir -p "$t/emptydir"
    (cd "$t" && tar -cf "$in/plain.tar" a.log sub emptydir link.log hard.log)
    (cd "$t" && tar -czf "$in/nested.tar.gz" a.log sub big.log)
    (cd "$t" && tar -cJf "$in/nested.tar.xz" a.log sub)
    (cd "$t" && tar -cjf "$in/nested.tar.bz2" a.log sub)
    (cd "$t" && tar --zstd -cf "$in/nested.tar.zst" a.log sub)
    (cd "$t" && tar --format=pax -czf "$in/pax.tar.gz" a.log sub)
    (cd "$t" && zip -qr "$in/plain.zip" a.log sub big.log)
    (cd "$t" && zip -qr "$t/inner.zip" a.log sub)
    (cd "$t" && tar -czf "$in/zip-in.tar.gz" inner.zip a.log)
    (cd "$t" && tar -czf "$t/inner.tar.gz" a.log sub/a.log.gz)
    (cd "$t" && zip -q "$in/targz-in.zip" inner.tar.gz a.log)
    (cd "$t" && tar -cf "$t/deep/l1.tar" inner.tar.gz && tar -cf "$t/deep/l2.tar" -C deep l1.tar && tar -czf "$in/deep3.tar.gz" -C deep l2.tar)
    # big members one and two levels down (limits and a full device cut them there)
    (cd "$t" && gzip -1 -c big.log >big.log.gz && tar -czf big.tar.gz big.log a.log && zip -q big.zip big.log)
    (cd "$t" && tar -cf "$in/bignest.tar" big.tar.gz a.log && tar -czf "$in/bigzip-in.tar.gz" big.zip a.log)
    (cd "$t" && tar -cf "$in/biggz-in.tar" a.log big.log.gz sub/b.txt)
    # damaged
    head -c $(($(stat -c %s "$in/nested.tar.gz") / 2)) "$in/nested.tar.gz" >"$in/trunc.tar.gz"
    cp "$in/nested.tar.gz" "$in/corrupt.tar.gz"
    printf '\377\377\377\377\377\377\377\377' | dd of="$in/corrupt.tar.gz" bs=1 seek=30000 conv=notrunc status=none
    cp "$in/nested.tar.gz" "$in/crc.tar.gz"
    printf '\0\0\0\0' | dd of="$in/crc.tar.gz" bs=1 seek=$(($(stat -c %s "$in/nested.tar.gz") - 8)) conv=notrunc status=none
    head -c $(($(stat -c %s "$in/plain.zip") - 100)) "$in/plain.zip" >"$in/trunc.zip"
    cp "$t/sub/a.log.gz" "$t/crcm.log.gz"
    printf '\0\0\0\0' | dd of="$t/crcm.log.gz" bs=1 seek=$(($(stat -c %s "$t/crcm.log.gz") - 8)) conv=notrunc status=none
    head -c 3000 "$t/sub/a.log.gz" >"$t/truncm.log.gz"
    (cd "$t" && tar -cf "$in/damaged-members.tar" a.log crcm.log.gz truncm.log.gz sub/b.txt)
    gzip -c "$t/sub/a.log.gz" >"$t/twice.log.gz.gz"
    (cd "$t" && tar -cf "$in/twice-in.tar" a.log twice.log.gz.gz sub/b.txt)
    # empty and odd
    tar -cf "$in/empty.tar" -T /dev/null
    tar -czf "$in/empty.tar.gz" -T /dev/null
    python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1], "w").close()' "$in/empty.zip"
    head -c 512 "$in/plain.tar" >"$in/header-only.tar"
    (cd "$t" && mkdir -p many && for i in $(seq 1500); do : >"many/f$i"; done && tar -czf "$in/many-empty.tar.gz" many)
    (cd "$t" && truncate -s 2M sparse.bin && printf 'tel 13812345678\n' | dd of=sparse.bin bs=1 seek=1000000 conv=notrunc status=none && tar --sparse -czf "$in/sparse.tar.gz" sparse.bin)
    printf 'PK\003\004 not really a zip 13812345678\n' >"$in/fake.zip"
    printf 'secret 13812345678\n' | gzip -c >"$in/one.log.gz"
    chmod -R a+rX "$in"
}

# ---- runs ---------------------------------------------------------------------
# run BIN TAG THREADS [opts...]: redact $in into $W/out/TAG; RC, err, report, list, sums
run() {
    local bin=$1 tag=$2 t=$3
    shift 3
    local o=$W/out/$tag
    [ -n "${KEEP:-}" ] || rm -rf "$o"
    mkdir -p "$o"
    (cd "$W" && timeout 300 "$bin" redact --threads "$t" "$@" --report "$o.report" -o "$o/x" "$in") \
        >"$o.stdout" 2>"$o.err"
    echo $? >"$o.rc"
    grep -v '"kind":"summary"' "$o.report" >"$o.rep" 2>/dev/null
    (cd "$o/x" 2>/dev/null && find . -printf '%y %p\n' | sort) >"$o.list"
    (cd "$o/x" 2>/dev/null && find . -type f -print0 | sort -z | xargs -0 -r md5sum) >"$o.sums"
    sed -i "s|$W/out/$tag/|OUT/|g" "$o.err" "$o.rep"
}

ndiff=0
ncmp=0
# With --max-ratio, where a member is cut depends on the sizes of the
# reads the ratio is checked at: a walker's (256 KiB) are not the
# pipeline's, so the byte count in the message and the findings reported
# before the cut may differ (the file fails either way; bench/README.md).
mask_ratio() {
    sed -i -E 's/\(([0-9]+) bytes so far\)/(N bytes so far)/' "$1.err"
    : >"$1.rep"
}

same() { # tag: A's and B's runs alike
    local k
    case $1 in ratio-t[24]) mask_ratio "$W/out/A-$1" && mask_ratio "$W/out/B-$1" ;; esac
    for k in rc err rep list sums stdout; do
        ncmp=$((ncmp + 1))
        if ! cmp -s "$W/out/A-$1.$k" "$W/out/B-$1.$k"; then
            echo "DIFF $1 $k"
            diff "$W/out/A-$1.$k" "$W/out/B-$1.$k" | head -5
            ndiff=$((ndiff + 1))
        fi
    done
}

both() { # tag threads [opts]
    local tag=$1
    shift
    run "$A" "A-$tag" "$@"
    run "$B" "B-$tag" "$@"
    same "$tag"
}

make_inputs
echo "inputs: $(find "$in" -type f | wc -l)"
for t in 1 2 4; do
    both "plain-t$t" "$t"
    both "ratio-t$t" "$t" --max-ratio 3
    both "expansion-t$t" "$t" --max-expansion 300K
    both "depth-t$t" "$t" --max-depth 2
    both "extract-t$t" "$t" --extract-unwritable
    both "quiet-t$t" "$t" -q
    # outputs that exist: a second run into the first one's directory
    run "$A" "A-exist-t$t" "$t"
    run "$B" "B-exist-t$t" "$t"
    KEEP=1 both "exist-t$t" "$t"
    # an output device that fills up: writes past 400 KiB fail (EFBIG)
    for r in A B; do
        bin=$A
        [ $r = B ] && bin=$B
        o=$W/out/$r-full-t$t
        rm -rf "$o" && mkdir -p "$o"
        (cd "$W" && bash -c 'trap "" XFSZ; ulimit -f 400; exec "$@"' _ "$bin" redact --threads "$t" -o "$o/x" "$in") \
            >"$o.stdout" 2>"$o.err"
        echo $? >"$o.rc"
        sed -i "s|$o/|OUT/|g" "$o.err"
        : >"$o.rep"
        (cd "$o/x" && find . -printf '%y %p\n' | sort) >"$o.list"
        (cd "$o/x" && find . -type f -print0 | sort -z | xargs -0 -r md5sum) >"$o.sums"
    done
    same "full-t$t"
done
echo "compared $ncmp artefacts over $(find "$in" -type f | wc -l) inputs: $ndiff differ"
[ "$ndiff" -eq 0 ]
