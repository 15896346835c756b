#!/usr/bin/env bash
# archives.sh -- scanning inside archives and compressed files, the crafted
# hostile files of corpora/hostile/, and redact/reveal writing archives
# back in their own format.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

sample=$SRCDIR/corpora/sample
hostile=$SRCDIR/corpora/hostile
for tool in gzip tar unzip file; do
    command -v "$tool" >/dev/null || { skip "$tool not installed (scripts/install-deps.sh)"; finish; }
done

# (path, line, TYPE, value) of a JSONL report, prefix removed from paths
findings() { # report prefix
    jq -r --arg p "$2" 'select(.kind == "finding")
        | [(.path | ltrimstr($p)), (.line | tostring), .type, .value] | @tsv' "$1" | sort
}

# ---- the same findings inside archives as in the plain files ----------------
mkdir -p "$WORK/a"
tar -C "$sample" -czf "$WORK/a/sample.tar.gz" .
gzip -c "$sample/nginx/access.log" >"$WORK/a/access.log.gz"
run "$WORK/plain.jsonl" "$WORK/plain.err" "$PIISCAN" scan --format jsonl --show-values "$sample"
run "$WORK/tgz.jsonl" "$WORK/tgz.err" "$PIISCAN" scan --format jsonl --show-values "$WORK/a/sample.tar.gz"
check "scan of a .tar.gz exits 1 (got $RC)" [ "$RC" -eq 1 ]
findings "$WORK/plain.jsonl" "$sample/" >"$WORK/plain.tsv"
findings "$WORK/tgz.jsonl" "$WORK/a/sample.tar.gz!/./" >"$WORK/tgz.tsv"
check "the .tar.gz gives the plain files' $(wc -l <"$WORK/plain.tsv") findings, paths a.tar.gz!/member" \
    cmp -s "$WORK/plain.tsv" "$WORK/tgz.tsv"
run "$WORK/gz.jsonl" "$WORK/gz.err" "$PIISCAN" scan --format jsonl --show-values "$WORK/a/access.log.gz"
grep -P '^nginx/access.log\t' "$WORK/plain.tsv" | sed 's|^nginx/||' >"$WORK/plain_gz.tsv"
findings "$WORK/gz.jsonl" "$WORK/a/access.log.gz!/" >"$WORK/gz.tsv"
check "x.log.gz: findings as in x.log, path x.log.gz!/x.log" cmp -s "$WORK/plain_gz.tsv" "$WORK/gz.tsv"

# nested: the committed corpus, every level named
run "$WORK/nest.jsonl" "$WORK/nest.err" "$PIISCAN" scan --format jsonl "$SRCDIR/corpora/archives/logs.tar.gz"
check "nested gz and zip inside a .tar.gz are named with !/" jsonl_any "$WORK/nest.jsonl" \
    '.path | endswith("logs.tar.gz!/logs/exports.zip!/exports/customers.csv")'
check "nested .gz member is named without .gz" jsonl_any "$WORK/nest.jsonl" \
    '.path | endswith("logs.tar.gz!/logs/android/logcat.txt.gz!/logcat.txt")'
check "offsets are in the decompressed member" jq -e -s --arg f "$sample/android/logcat.txt" \
    '[.[] | select(.kind == "finding" and (.path | endswith("logcat.txt.gz!/logcat.txt")))] | length > 0' \
    "$WORK/nest.jsonl"
bad=0
while IFS=$'\t' read -r start end val; do
    got=$(dd if="$sample/android/logcat.txt" iflag=skip_bytes,count_bytes skip="$start" count=$((end - start)) \
        status=none)
    [ "$got" = "$val" ] || bad=$((bad + 1))
done < <("$PIISCAN" scan --format jsonl --show-values "$SRCDIR/corpora/archives/logs.tar.gz" |
    jq -r 'select(.kind == "finding" and (.path | endswith("logcat.txt"))) | [.start, .end, .value] | @tsv')
check "member offsets point at the value in the decompressed bytes ($bad wrong)" [ "$bad" -eq 0 ]

# ---- hostile files -------------------------------------------------------------
hostile_case() { # what file expected-rc stderr-pattern [options]
    local what=$1 f=$2 want=$3 pat=$4
    shift 4
    run "$WORK/h.out" "$WORK/h.err" "$PIISCAN" scan -q "$@" "$hostile/$f"
    if [ "$RC" -eq "$want" ] && { if [ -z "$pat" ]; then [ ! -s "$WORK/h.err" ]; else grep -q -- "$pat" "$WORK/h.err"; fi; }; then
        pass "$what"
    else
        fail "$what (exit $RC, want $want)"
        show "$WORK/h.err"
    fi
}
hostile_case "zip bomb: --max-expansion stops it, exit 2" bomb.zip 2 \
    'bomb.zip!/zeros.bin: decompressed size limit of 1048576 bytes' --max-expansion 1M
hostile_case "zip bomb: --max-ratio stops the member, the next is scanned (exit 2)" bomb.zip 2 \
    'bomb.zip!/zeros.bin: expands more than 50 times' --max-ratio 50
run "$WORK/b.jsonl" "$WORK/b.err" "$PIISCAN" scan -q --format jsonl --max-ratio 50 "$hostile/bomb.zip"
check "zip bomb: the member after the bomb is still scanned" jsonl_any "$WORK/b.jsonl" \
    '.kind == "finding" and (.path | endswith("bomb.zip!/after.txt"))'
hostile_case "encrypted member: an error naming it" encrypted.zip 2 \
    'encrypted.zip!/secret.txt: encrypted member, not scanned'
hostile_case "truncated .tar.gz: an error naming the member" truncated.tar.gz 2 \
    'truncated.tar.gz!/second.txt: corrupt or truncated data'
hostile_case "corrupt zip: an error naming the member" corrupt.zip 2 \
    'corrupt.zip!/broken.txt: corrupt or truncated data'
hostile_case "nesting deeper than --max-depth: reported" deep.tar 2 \
    'l4.tar: tar container nested deeper than 4 levels'
hostile_case "deep nesting is followed with a higher --max-depth" deep.tar 1 '' --max-depth 6
hostile_case "multi-member gzip: scanned without a message" multi.log.gz 1 ''
check "multi-member gzip: finding in the second member" jq -e -s \
    '[.[] | select(.kind == "finding")] | length == 2' \
    <("$PIISCAN" scan --format jsonl "$hostile/multi.log.gz")
# ---- gzip through ISA-L (when built with it): many members, CRC-32 check ----
# 3 members from gzip itself, each larger than the inflater's buffers.
for i in 1 2 3; do cat "$sample/nginx/access.log" "$sample/android/logcat.txt"; done >"$WORK/three.log"
: >"$WORK/three.log.gz"
for i in 1 2 3; do
    cat "$sample/nginx/access.log" "$sample/android/logcat.txt" | gzip -c >>"$WORK/three.log.gz"
done
run "$WORK/p3.jsonl" "$WORK/p3.err" "$PIISCAN" scan --format jsonl --show-values "$WORK/three.log"
run "$WORK/g3.jsonl" "$WORK/g3.err" "$PIISCAN" scan --format jsonl --show-values "$WORK/three.log.gz"
check "3-member .gz: the same findings as the plain file (exit $RC)" \
    cmp -s <(findings "$WORK/p3.jsonl" "$WORK/three.log") <(findings "$WORK/g3.jsonl" "$WORK/three.log.gz!/three.log")
# Not grep -q: it would stop reading, ldd would die of SIGPIPE, and
# pipefail would call the build one without ISA-L.
if ldd "$PIISCAN" 2>/dev/null | grep libisal >/dev/null; then
    # Flip one bit of the first member's CRC-32: libarchive's zlib filter
    # never checked it; ISA-L does.
    gzip -c "$sample/nginx/access.log" >"$WORK/crc.log.gz"
    n=$(stat -c %s "$WORK/crc.log.gz")
    b=$(od -An -tu1 -j $((n - 8)) -N1 "$WORK/crc.log.gz" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$WORK/crc.log.gz" bs=1 seek=$((n - 8)) conv=notrunc status=none
    run "$WORK/crc.out" "$WORK/crc.err" "$PIISCAN" scan -q "$WORK/crc.log.gz"
    check "gzip CRC-32 mismatch: exit 2, an error naming the file" \
        bash -c '[ '"$RC"' -eq 2 ] && grep -q "crc.log.gz.*: corrupt or truncated .*gzip CRC-32 or length check failed" "$0"' \
        "$WORK/crc.err"
    check "gzip CRC-32 mismatch: stderr well formed" stderr_well_formed "$WORK/crc.err"
else
    skip "gzip CRC-32 check: piiscan is built without ISA-L"
fi

run "$WORK/l.out" "$WORK/l.err" "$PIISCAN" scan "$hostile/links.tar"
check "links: noted, not followed, exit 1 (got $RC)" \
    bash -c '[ '"$RC"' -eq 1 ] && grep -q "links.tar!/link: note: symbolic link" "$0" &&
             grep -q "links.tar!/hard: note: hard link" "$0"' "$WORK/l.err"
run "$WORK/t.jsonl" "$WORK/t.err" "$PIISCAN" scan --format jsonl "$hostile/traversal.tar"
check "traversal names are reported as stored" jsonl_any "$WORK/t.jsonl" \
    '.kind == "finding" and (.path | endswith("traversal.tar!/../../etc/x"))'
stderr_well_formed "$WORK/t.err"

# ---- redact: same format back ------------------------------------------------------
arch=$SRCDIR/corpora/archives
run "$WORK/r.out" "$WORK/r.err" "$PIISCAN" redact -o "$WORK/red" "$arch"
check "redact of archives exits 0 (got $RC)" [ "$RC" -eq 0 ]
red=$WORK/red/archives
check ".gz stays gzip and tests good" gzip -t "$red/access.log.gz"
check ".gz keeps its stored name" bash -c 'file "$0" | grep -q "was \"access.log\""' "$red/access.log.gz"
check ".tar.gz stays a .tar.gz" bash -c 'file "$0" | grep -q "gzip compressed" && tar -tzf "$0" >/dev/null' \
    "$red/logs.tar.gz"
check "zip stays a zip" unzip -tq "$red/dumps.zip"
# names, order, modes and mtimes: tar -tv and unzip -Z lines without sizes
# (zip: permission bits only; python's zipfile stores no file-type bits)
tar_meta() { tar --full-time -tvzf "$1" | awk '{print $1, $4, $5, $6}'; }
zip_meta() { unzip -Z "$1" | awk 'NF >= 9 && $1 ~ /^[-?]/ {print substr($1, 2), $7, $8, $9}'; }
check "tar members: same names, order, modes, mtimes" cmp -s <(tar_meta "$arch/logs.tar.gz") <(tar_meta "$red/logs.tar.gz")
check "zip members: same names, order, modes, mtimes" cmp -s <(zip_meta "$arch/dumps.zip") <(zip_meta "$red/dumps.zip")
run "$WORK/rs.out" "$WORK/rs.err" "$PIISCAN" scan "$WORK/red"
check "a scan of the redacted archives finds nothing (exit $RC)" [ "$RC" -eq 0 ]

# reveal(encrypt(x)) and reveal(fpe(x)) give the original members back
"$PIISCAN" keygen -o "$WORK/key" >/dev/null 2>&1
chmod 600 "$WORK/key"
for op in encrypt fpe; do
    # positions, dates and small IP domains have no FPE (by design):
    # encrypt those; this is about archives, tests/e2e/redact.sh about FPE
    ops=(--default-op "$op" --op GPS=encrypt --op BIRTH_DATE=encrypt --op IPV4=encrypt --op IPV6=encrypt
        --op PERSON_NAME=encrypt)
    run "$WORK/e.out" "$WORK/e.err" "$PIISCAN" redact "${ops[@]}" --key-file "$WORK/key" -o "$WORK/$op" "$arch"
    check "$op redaction of archives exits 0 (got $RC)" [ "$RC" -eq 0 ]
    # reveal needs the operators that made the copies: fpe values look like
    # any other value, so only the types whose operator was fpe are undone.
    run "$WORK/v.out" "$WORK/v.err" "$PIISCAN" reveal "${ops[@]}" --key-file "$WORK/key" -o "$WORK/$op-rev" \
        "$WORK/$op/archives"
    rev=$WORK/$op-rev/archives
    ok=1
    cmp -s <(gzip -dc "$arch/access.log.gz") <(gzip -dc "$rev/access.log.gz") || ok=0
    for m in dumps/shop.sql dumps/pg_users.sql config/app.ini; do
        cmp -s <(unzip -p "$arch/dumps.zip" "$m") <(unzip -p "$rev/dumps.zip" "$m") || ok=0
    done
    # A JSON number replaced by a token became a string (the JSON stays
    # valid), so it comes back as a string: compare numbers as strings.
    m=telemetry/events.jsonl
    js='walk(if type == "number" then tostring else . end)'
    cmp -s <(unzip -p "$arch/dumps.zip" "$m" | jq -c "$js") <(unzip -p "$rev/dumps.zip" "$m" | jq -c "$js") || ok=0
    mkdir -p "$WORK/x-$op/a" "$WORK/x-$op/b"
    tar -xzf "$arch/logs.tar.gz" -C "$WORK/x-$op/a"
    tar -xzf "$rev/logs.tar.gz" -C "$WORK/x-$op/b"
    cmp -s "$WORK/x-$op/a/logs/nginx/access.log" "$WORK/x-$op/b/logs/nginx/access.log" || ok=0
    cmp -s <(gzip -dc "$WORK/x-$op/a/logs/android/logcat.txt.gz") <(gzip -dc "$WORK/x-$op/b/logs/android/logcat.txt.gz") || ok=0
    cmp -s <(unzip -p "$WORK/x-$op/a/logs/exports.zip") <(unzip -p "$WORK/x-$op/b/logs/exports.zip") || ok=0
    # The same round trip on a plain file separates an archive bug from an
    # operator bug (that one is tests/e2e/redact.sh's to report).
    mkdir -p "$WORK/p-$op"
    "$PIISCAN" redact "${ops[@]}" --key-file "$WORK/key" - \
        <"$sample/nginx/access.log" 2>/dev/null | "$PIISCAN" reveal "${ops[@]}" --key-file "$WORK/key" - \
        >"$WORK/p-$op/rt" 2>/dev/null || true
    if [ "$ok" -eq 1 ]; then
        pass "reveal of $op-redacted archives gives every member back byte for byte"
    elif ! cmp -s "$WORK/p-$op/rt" "$sample/nginx/access.log"; then
        fail "reveal of $op-redacted archives: the $op round trip fails on a plain file too (an operator bug)"
    else
        fail "reveal of $op-redacted archives gives every member back byte for byte"
    fi
done

# hostile input when writing: no output at all, and never a path outside OUTDIR
run "$WORK/he.out" "$WORK/he.err" "$PIISCAN" redact -o "$WORK/hr" "$hostile/encrypted.zip" "$hostile/truncated.tar.gz" \
    "$hostile/corrupt.zip" "$hostile/deep.tar"
check "unredactable archives: exit 2, nothing written" \
    bash -c '[ '"$RC"' -eq 2 ] && [ -z "$(find "$0" -type f)" ]' "$WORK/hr"
run "$WORK/ht.out" "$WORK/ht.err" "$PIISCAN" redact -o "$WORK/ht" "$hostile/traversal.tar"
check "traversal tar is rewritten with its names as stored" \
    bash -c 'tar -tf "$0" | grep -qx "../../etc/x"' "$WORK/ht/traversal.tar"
gzip -c "$hostile/multi.log.gz" >"$WORK/twice.log.gz.gz"
run "$WORK/u.out" "$WORK/u.err" "$PIISCAN" redact -o "$WORK/u" "$WORK/twice.log.gz.gz"
check "unwritable (two layers of gzip): exit 2, nothing written" \
    bash -c '[ '"$RC"' -eq 2 ] && [ ! -e "$0/twice.log.gz.gz" ]' "$WORK/u"
run "$WORK/u.out" "$WORK/u.err" "$PIISCAN" redact --extract-unwritable -o "$WORK/u2" "$WORK/twice.log.gz.gz"
check "--extract-unwritable writes the redacted member under NAME.d/" \
    bash -c 'grep -q "138\*\*\*\*5678" "$0"/twice.log.gz.gz.d/* && ! grep -q 13812345678 "$0"/twice.log.gz.gz.d/*' "$WORK/u2"

# ---- gzip output deflated on several threads -------------------------------------
# A few MB, so the member spans many of gz_parallel.c's 128 KiB blocks;
# numbered lines, so no block is a copy of the one before.
mkdir -p "$WORK/big"
for _ in $(seq 200); do cat "$sample/nginx/access.log"; done | awk '{ print NR ": " $0 }' >"$WORK/big/big.log"
(cd "$WORK/big" && gzip -k big.log && tar -czf big.tar.gz big.log)
for t in 1 2 4; do
    run "$WORK/g$t.out" "$WORK/g$t.err" "$PIISCAN" redact --threads "$t" -o "$WORK/g$t" "$WORK/big/big.log.gz" \
        "$WORK/big/big.tar.gz"
    check "redact --threads $t of a $(($(stat -c %s "$WORK/big/big.log") >> 20)) MB .gz and .tar.gz exits 0 (got $RC)" \
        [ "$RC" -eq 0 ]
done
for t in 2 4; do
    g=$WORK/g$t/big.log.gz
    check "--threads $t: the .gz tests good" gzip -t "$g"
    check "--threads $t: same content as --threads 1" cmp -s <(gzip -dc "$WORK/g1/big.log.gz") <(gzip -dc "$g")
    # Deflated in blocks with sync flushes: if these bytes equalled the
    # single-threaded ones, the parallel writer never ran.
    check "--threads $t: written by the parallel deflater" bash -c '! cmp -s "$0" "$1"' "$WORK/g1/big.log.gz" "$g"
    # One member: the last trailer's ISIZE is the whole content's size
    # (several members would end with the last one's).
    check "--threads $t: one gzip member (ISIZE of the trailer = content size)" \
        [ "$(tail -c 4 "$g" | od -An -tu4 | tr -d ' ')" = "$(gzip -dc "$g" | wc -c)" ]
    check "--threads $t: the .gz keeps its stored name" bash -c 'file "$0" | grep -q "was \"big.log\""' "$g"
    check "--threads $t: the .tar.gz tests good, same member as --threads 1" \
        bash -c 'gzip -t "$1" && cmp -s <(tar -xOzf "$0") <(tar -xOzf "$1")' "$WORK/g1/big.tar.gz" "$WORK/g$t/big.tar.gz"
done
# The man page promises the same gzip bytes for any number of threads >= 2:
# fixed-size blocks, not the threads, shape the stream.
check "--threads 2 and 4 write the same gzip bytes" cmp -s "$WORK/g2/big.log.gz" "$WORK/g4/big.log.gz"
# ---- gzip output at the level of the input ---------------------------------------
# The header's XFL byte (offset 8) says how a member was deflated: 4 for
# gzip -1, 2 for gzip -9, 0 otherwise.  The copy is deflated at the
# matching level (ISA-L's or zlib's) and states it the same way.
xfl() { od -An -tu1 -j 8 -N 1 "$1" | tr -d ' '; }
declare -A want_xfl=([1]=4 [6]=0 [9]=2)
for lvl in 1 6 9; do
    gzip -c -"$lvl" "$WORK/big/big.log" >"$WORK/big/l$lvl.log.gz"
    check "gzip -$lvl writes XFL ${want_xfl[$lvl]}" [ "$(xfl "$WORK/big/l$lvl.log.gz")" = "${want_xfl[$lvl]}" ]
done
for t in 1 2; do
    run "$WORK/l$t.out" "$WORK/l$t.err" "$PIISCAN" redact --threads "$t" -o "$WORK/l$t" \
        "$WORK/big/l1.log.gz" "$WORK/big/l6.log.gz" "$WORK/big/l9.log.gz"
    check "redact --threads $t of gzip -1, -6, -9 copies exits 0 (got $RC)" [ "$RC" -eq 0 ]
    for lvl in 1 6 9; do
        g=$WORK/l$t/l$lvl.log.gz
        check "--threads $t, gzip -$lvl input: XFL ${want_xfl[$lvl]} in the copy" [ "$(xfl "$g")" = "${want_xfl[$lvl]}" ]
        check "--threads $t, gzip -$lvl input: tests good, content as the default-level copy" \
            bash -c 'gzip -t "$0" && cmp -s <(gzip -dc "$0") <(gzip -dc "$1")' "$g" "$WORK/g1/big.log.gz"
    done
    check "--threads $t: the copy of gzip -9 is smaller than the copy of gzip -1" \
        [ "$(stat -c %s "$WORK/l$t/l9.log.gz")" -lt "$(stat -c %s "$WORK/l$t/l1.log.gz")" ]
done

# ---- containers read ahead by walker threads (--threads >= 2) --------------------
# A directory of containers, damaged ones and plain files in between: the
# report, the messages and the exit status are those of --threads 1, where
# the thread that feeds the pipeline walks every container itself.  big.gz
# inflates to more than the 1 MiB a walker may hold, so it waits for its
# reader; its neighbours are read ahead meanwhile.
mkdir -p "$WORK/ra/sub"
cp "$SRCDIR"/corpora/archives/* "$hostile/truncated.tar.gz" "$hostile/corrupt.zip" "$hostile/encrypted.zip" \
    "$hostile/multi.log.gz" "$hostile/links.tar" "$WORK/ra/"
cp "$sample/nginx/access.log" "$WORK/ra/plain1.log"
cp "$sample/android/logcat.txt" "$WORK/ra/sub/plain2.txt"
for _ in 1 2 3 4 5 6; do cat "$WORK/big/big.log"; done | gzip -1 >"$WORK/ra/sub/big.gz"
cp "$WORK/big/big.tar.gz" "$WORK/ra/sub/"
for t in 1 2 4; do
    run "$WORK/ra$t.out" "$WORK/ra$t.err" env PIISCAN_KEY=00112233445566778899aabbccddeeff \
        "$PIISCAN" scan -f jsonl --threads "$t" "$WORK/ra" "$hostile/multi.log.gz" "$WORK/ra/plain1.log"
    grep -v '"kind":"summary"' "$WORK/ra$t.out" >"$WORK/ra$t.jsonl"
    echo "$RC" >"$WORK/ra$t.rc"
done
check "read-ahead corpus: exit 2 (damaged members), $(grep -c '"kind":"finding"' "$WORK/ra1.jsonl") findings" \
    [ "$(cat "$WORK/ra1.rc")" -eq 2 ]
for t in 2 4; do
    check "--threads $t: the same report as --threads 1, in the same order" cmp -s "$WORK/ra1.jsonl" "$WORK/ra$t.jsonl"
    check "--threads $t: the same messages, in the same order" cmp -s "$WORK/ra1.err" "$WORK/ra$t.err"
    check "--threads $t: the same exit status" cmp -s "$WORK/ra1.rc" "$WORK/ra$t.rc"
done
run "$WORK/bl.jsonl" "$WORK/bl.err" "$PIISCAN" scan -f jsonl "$WORK/big/big.log"
nbig=$(grep -c '"kind":"finding"' "$WORK/bl.jsonl" || true)
check "the big .gz behind a full walker queue is scanned to its end (6 x $nbig findings)" \
    [ "$(grep -c '"path":"[^"]*sub/big.gz!/big"' "$WORK/ra4.jsonl")" -eq $((6 * nbig)) ]
# A report that cannot be written stops the walkers too: no hang.
run "$WORK/full.out" "$WORK/full.err" timeout 120 "$PIISCAN" scan -f jsonl --threads 4 "$WORK/ra" -o /dev/full
check "--threads 4, report to a full device: exit 2, no hang (got $RC)" [ "$RC" -eq 2 ]

run "$WORK/bs.out" "$WORK/bs.err" "$PIISCAN" scan "$WORK/big/big.log.gz"
check "the big .gz has findings before redaction (exit $RC)" [ "$RC" -eq 1 ]
run "$WORK/bs.out" "$WORK/bs.err" "$PIISCAN" scan "$WORK/g2"
check "a scan of the --threads 2 outputs finds nothing (exit $RC)" [ "$RC" -eq 0 ]

finish
