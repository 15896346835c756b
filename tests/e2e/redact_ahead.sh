#!/usr/bin/env bash
# redact_ahead.sh -- `redact` with compressed files and archives read ahead
# by walker threads (--threads >= 2): the copies, the report, the messages
# (their order too) and the exit status are those of --threads 1, where
# the thread that feeds the pipeline reads every file itself.  A directory
# of sound, damaged, unwritable and unreadable inputs; archives: tar,
# tar.gz, zip, nested (.gz members in a tar, a tar.gz in a tar, a zip in a
# tar.gz), truncated, corrupt, with damaged members, empty, of many empty
# members; plain files and walk notes; -q; outputs that exist; an output
# that cannot grow (the copies of archives fail in their temporary files
# or in the archive).
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# bash -c programs are single-quoted on purpose.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

sample=$SRCDIR/corpora/sample
for tool in gzip xz tar python3; do
    command -v "$tool" >/dev/null || { skip "$tool not installed (scripts/install-deps.sh)"; finish; }
done
export PIISCAN_KEY=0000000000000000000000000000000000000000000000000000000000000007

# root reads mode-000 files: as root everything runs as nobody, in a
# directory everyone may enter (as bad_input.sh does).
base=$WORK
runner=("$PIISCAN")
if [ "$(id -u)" -eq 0 ] && nobody_runner 0777; then
    base=$NOBODY_DIR
    runner=("${NOBODY[@]}")
fi
unreadable=yes
if [ "${runner[0]}" != setpriv ] && [ "$(id -u)" -eq 0 ]; then
    unreadable=
    skip "unreadable input: running as root without setpriv"
fi

# ---- the inputs --------------------------------------------------------------
in=$base/in
mkdir -p "$in/sub"
cp "$sample/nginx/access.log" "$in/a-plain.log"
gzip -c "$sample/nginx/access.log" >"$in/b.log.gz"
# more than the 1 MiB a walker holds, numbered lines so no two are alike
for _ in $(seq 200); do cat "$sample/nginx/access.log"; done | awk '{ print NR ": " $0 }' | gzip -1 >"$in/c-big.log.gz"
(gzip -c "$sample/android/logcat.txt"; cat "$in/b.log.gz") >"$in/d-multi.log.gz"
head -c $(($(stat -c %s "$in/c-big.log.gz") / 2)) "$in/c-big.log.gz" >"$in/e-trunc.log.gz"
cp "$in/c-big.log.gz" "$in/f-corrupt.log.gz"
printf '\377\377\377\377\377\377\377\377' | dd of="$in/f-corrupt.log.gz" bs=1 seek=200000 conv=notrunc status=none
cp "$in/b.log.gz" "$in/g-crc.log.gz"
printf '\0\0\0\0' | dd of="$in/g-crc.log.gz" bs=1 seek=$(($(stat -c %s "$in/b.log.gz") - 8)) conv=notrunc status=none
printf '\037\213 not gzip, tel 13812345678\n' >"$in/h-magic.log.gz"
gzip -c "$in/b.log.gz" >"$in/i-twice.log.gz.gz"
tar -C "$sample" -czf "$in/j-sample.tar.gz" .
xz -c "$sample/nginx/access.log" >"$in/k.log.xz"
cp "$sample/android/logcat.txt" "$in/sub/l-plain.txt"
for _ in $(seq 150); do cat "$sample/android/logcat.txt"; done | awk '{ print NR ": " $0 }' | gzip -1 >"$in/sub/m-big.log.gz"
ln -s ../a-plain.log "$in/sub/n-link.log"
printf 'secret 13812345678\n' | gzip -c >"$in/sub/o-unreadable.log.gz"
chmod 0000 "$in/sub/o-unreadable.log.gz"
cp "$SRCDIR/corpora/hostile/multi.log.gz" "$in/sub/p-hostile.log.gz"
# archives, nested and damaged
arch=$WORK/arch
mkdir -p "$arch/many"
cp "$in/b.log.gz" "$in/g-crc.log.gz" "$sample/chat/kefu.txt" "$arch/"
head -c 20000 "$in/c-big.log.gz" >"$arch/cut.log.gz"
(cd "$arch" && tar -cf "$in/q-members.tar" b.log.gz kefu.txt g-crc.log.gz cut.log.gz)
(cd "$arch" && tar -czf inner.tar.gz b.log.gz kefu.txt && tar -cf "$in/r-nested.tar" inner.tar.gz kefu.txt)
cp "$in/c-big.log.gz" "$arch/big.log.gz"
(cd "$arch" && tar -czf "$in/s-big.tar.gz" big.log.gz kefu.txt)
head -c $(($(stat -c %s "$in/s-big.tar.gz") / 2)) "$in/s-big.tar.gz" >"$in/t-trunc.tar.gz"
cp "$in/s-big.tar.gz" "$in/u-corrupt.tar.gz"
printf '\377\377\377\377\377\377\377\377' | dd of="$in/u-corrupt.tar.gz" bs=1 seek=150000 conv=notrunc status=none
tar -cf "$in/v-empty.tar" -T /dev/null
(cd "$arch/many" && seq 1300 | xargs touch) && tar -C "$arch" -czf "$in/w-many.tar.gz" many
if command -v zip >/dev/null; then
    (cd "$arch" && zip -q inner.zip b.log.gz kefu.txt && tar -czf "$in/x-zip.tar.gz" inner.zip kefu.txt)
fi
chmod -R a+rX "$in" 2>/dev/null || true
chmod 0000 "$in/sub/o-unreadable.log.gz"

# redact TAG THREADS [options...]: IN and one file named again on the
# command line into $base/TAG; RC, TAG.err, TAG.rep (report without its
# timing line), TAG.list (files), TAG.content (content of each, gzip
# inflated: the deflaters of 1 and of 2+ threads write other bytes).
redact() {
    local tag=$1 t=$2
    shift 2
    rm -rf "${base:?}/$tag"
    mkdir -p "$base/$tag"
    chmod 0777 "$base/$tag"
    run "$WORK/$tag.out" "$WORK/$tag.err" timeout 300 "${runner[@]}" redact --threads "$t" "$@" \
        --report "$base/$tag/../$tag.report" -o "$base/$tag" "$in" "$in/b.log.gz"
    grep -v '"kind":"summary"' "$base/$tag.report" >"$WORK/$tag.rep" 2>/dev/null || true
    echo "$RC" >"$WORK/$tag.rc"
    (cd "$base/$tag" && find . | sort) >"$WORK/$tag.list"
    content "$base/$tag" >"$WORK/$tag.content"
}

# content DIR: a checksum of each file's content, gzip inflated and
# archives unpacked (the deflaters of 1 and of 2+ threads write other
# bytes, so sizes of compressed members are left out), with the listing
# of each archive (modes, owners, times, names).
content() {
    (cd "$1" && find . -type f | sort | while read -r f; do
        case $f in
        *.tar | *.tar.gz)
            local x
            x=$(mktemp -d "$WORK/x.XXXX")
            tar -tvf "$f" | awk '{ print $1, $2, $4, $5, $6 }' | sed "s|^|$f: |"
            tar -xf "$f" -C "$x" && content "$x" | sed "s|^|$f: |"
            rm -rf "$x"
            ;;
        *.zip)
            x=$(mktemp -d "$WORK/x.XXXX")
            python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2])
for i in z.infolist(): print(i.filename, i.date_time, i.external_attr)' "$f" "$x" | sed "s|^|$f: |"
            content "$x" | sed "s|^|$f: |"
            rm -rf "$x"
            ;;
        *.gz) printf '%s %s\n' "$(gzip -dc <"$f" | cksum)" "$f" ;;
        *) printf '%s %s\n' "$(cksum <"$f")" "$f" ;;
        esac
    done)
}

same_run() { # what tag1 tag2: every artefact of the two runs is the same
    local k
    for k in rc err rep list content; do
        same_files "$1: $k the same as --threads 1" "$WORK/$2.$k" "$WORK/$3.$k"
    done
}

# ---- threads 1, 2, 4 -----------------------------------------------------------
for t in 1 2 4; do
    redact "t$t" "$t"
done
check "--threads 1: exit 2 (damaged and unreadable inputs; got $(cat "$WORK/t1.rc"))" [ "$(cat "$WORK/t1.rc")" -eq 2 ]
wants=("e-trunc.log.gz!/e-trunc.log: corrupt or truncated data after"
    "f-corrupt.log.gz!/f-corrupt.log: corrupt or truncated data after"
    "g-crc.log.gz: corrupt or truncated gzip data" "h-magic.log.gz: not valid compressed data"
    "i-twice.log.gz.gz: several layers of compression" "n-link.log: note: symbolic link not followed")
[ -z "$unreadable" ] || wants+=("o-unreadable.log.gz: Permission denied")
for want in "${wants[@]}"; do
    check "--threads 1 says: ${want%%:*}" grep -qF "$want" "$WORK/t1.err"
done
check "--threads 1: the sound copies are written, the damaged ones are not" \
    bash -c 'grep -q "c-big.log.gz$" "$0" && grep -q "m-big.log.gz$" "$0" && ! grep -q "e-trunc" "$0"' "$WORK/t1.list"
check "--threads 1: the sound archives are written, nested too; the damaged ones are not" \
    bash -c 'grep -q "r-nested.tar$" "$0" && grep -q "s-big.tar.gz$" "$0" && grep -q "v-empty.tar$" "$0" &&
        grep -q "w-many.tar.gz$" "$0" && ! grep -q -e q-members -e t-trunc -e u-corrupt "$0"' "$WORK/t1.list"
check "--threads 1: the nested copy holds the redacted members" \
    bash -c 'grep -q "r-nested.tar: .*inner.tar.gz: .*b.log.gz" "$0" && grep -q "w-many.tar.gz: .*many/1300" "$0"' \
    "$WORK/t1.content"
check "--threads 1 says what is wrong in the archives" \
    bash -c 'grep -q "q-members.tar!/g-crc.log.gz: corrupt or truncated gzip data" "$0" &&
        grep -q "t-trunc.tar.gz!/big.log.gz" "$0"' "$WORK/t1.err"
for t in 2 4; do
    same_run "--threads $t" t1 "t$t"
done
check "--threads 2: the big copies are one gzip member each, testing good" \
    bash -c 'gzip -t "$0/in/c-big.log.gz" "$0/in/sub/m-big.log.gz"' "$base/t2"
run "$WORK/scan.out" "$WORK/scan.err" "$PIISCAN" scan -q "$base/t2"
check "a scan of the --threads 2 copies finds nothing (exit $RC)" [ "$RC" -eq 0 ]

# ---- -q: notes go, errors stay ---------------------------------------------------
redact q1 1 -q
redact q2 2 -q
same_run "-q --threads 2" q1 q2
check "-q: no note, the errors are still told" \
    bash -c '! grep -q "note:" "$0" && grep -q "e-trunc" "$0"' "$WORK/q2.err"

# ---- outputs that exist: every turn refused in order, nothing read ahead is left --
run "$WORK/x1.out" "$WORK/x1.err" "${runner[@]}" redact --threads 1 -o "$base/t1" "$in"
echo "$RC" >"$WORK/x1.rc"
run "$WORK/x2.out" "$WORK/x2.err" timeout 300 "${runner[@]}" redact --threads 2 -o "$base/t2" "$in"
echo "$RC" >"$WORK/x2.rc"
sed -i "s|$base/t2/|$base/t1/|g" "$WORK/x2.err"
check "outputs exist (no --force): refused" grep -q "c-big.log.gz exists" "$WORK/x2.err"
same_files "outputs exist (no --force): the same messages and exit status with --threads 2" \
    "$WORK/x1.err" "$WORK/x2.err" "$WORK/x1.rc" "$WORK/x2.rc"

# ---- an output that cannot grow (a full device, as far as the writer knows) --------
# A file size limit: every write past it fails (EFBIG); the big copies fail,
# the small ones after them are still written.
for t in 1 2 4; do
    rm -rf "${base:?}/f$t"
    mkdir -p "$base/f$t"
    chmod 0777 "$base/f$t"
    run "$WORK/f$t.out" "$WORK/f$t.err" timeout 300 bash -c 'trap "" XFSZ; ulimit -f 600; exec "$@"' _ \
        "${runner[@]}" redact --threads "$t" -o "$base/f$t" "$in"
    echo "$RC" >"$WORK/f$t.rc"
    (cd "$base/f$t" && find . | sort) >"$WORK/f$t.list"
done
check "output limit: exit 2, the big copies fail for it" \
    bash -c '[ "$(cat "$0")" -eq 2 ] && grep -q "c-big.log.gz!/c-big.log: write error: File too large" "$1"' \
    "$WORK/f1.rc" "$WORK/f1.err"
check "output limit: no copy of the big file, not even a temporary one; the files after it are written" \
    bash -c '! grep -q -e c-big -e "\.tmp\." "$0" && grep -q "d-multi.log.gz$" "$0"' "$WORK/f1.list"
for t in 2 4; do
    same_files "output limit, --threads $t: the same messages, exit status and files as --threads 1" \
        "$WORK/f1.err" "$WORK/f$t.err" "$WORK/f1.rc" "$WORK/f$t.rc" "$WORK/f1.list" "$WORK/f$t.list"
done

finish
