#!/usr/bin/env bash
# walk_select.sh -- choosing what a directory walk does: --include and
# --exclude (scan and redact), and scan --incremental (files unchanged since
# the last run are skipped; the cache is written only after a complete
# report, never names a file that had an error, and a damaged cache is an
# error, not a silent rescan or skip), and redact --incremental (copies made
# again only when their input, the copy itself, or what shapes copies changed).
set -euo pipefail
# shellcheck source=tests/e2e/lib/harness.bash
source "$(dirname "$0")/lib/harness.bash"

T=$WORK/t
mkdir -p "$T/sub" "$T/node_modules" "$T/nginx/old"
for f in a.log b.txt sub/c.log node_modules/x.log nginx/n.log nginx/old/o.log; do
    printf 'phone 13812345678\n' >"$T/$f"
done
# File times in the past: a file changed in the last two seconds is never
# recorded by --incremental (same clock tick), which is tested below.
old() { touch -d '2024-01-01 00:00:00' "$@"; }
old "$T"/a.log "$T"/b.txt "$T"/sub/c.log "$T"/node_modules/x.log "$T"/nginx/n.log "$T"/nginx/old/o.log

paths() { jq -r 'select(.kind == "finding") | .path' "$1" | sed "s|^$T/||" | sort -u | tr '\n' ' '; }

run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl "$T"
check "no globs: all six files" [ "$(paths "$WORK/o")" = "a.log b.txt nginx/n.log nginx/old/o.log node_modules/x.log sub/c.log " ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --include '*.log' --exclude node_modules/ "$T"
check "--include '*.log' --exclude node_modules/: names at any depth, the directory pruned" \
    [ "$(paths "$WORK/o")" = "a.log nginx/n.log nginx/old/o.log sub/c.log " ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --include 'nginx/*' "$T"
check "a glob with '/' matches the path below the named directory, '*' not crossing '/'" \
    [ "$(paths "$WORK/o")" = "nginx/n.log " ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --exclude 'b.*' --exclude '*/old' "$T/"
check "several --exclude, a trailing '/' on the directory argument" \
    [ "$(paths "$WORK/o")" = "a.log nginx/n.log node_modules/x.log sub/c.log " ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --exclude '*.log' "$T/sub/c.log"
check "a file named on the command line is scanned whatever the globs" [ "$RC" -eq 1 ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --exclude sub/ --exclude a.log/ "$T"
check "a directory-only --exclude leaves a file of that name alone" grep -q 'FILES' "$WORK/o"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --exclude a.log/ "$T"
check "... the file a.log is still scanned" jsonl_any "$WORK/o" '.path | endswith("/a.log")'
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --include 'sub/' "$T"
check "--include of directories only is refused with exit 2" [ "$RC" -eq 2 ]
check "... and the message says how to write it" grep -q "write 'sub/\*'" "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --exclude '' "$T"
check "an empty --exclude is refused with exit 2" [ "$RC" -eq 2 ]

# redact: excluded files are not written to OUTDIR.
run "$WORK/o" "$WORK/e" "$PIISCAN" redact -q --include '*.log' --exclude 'old/' -o "$WORK/out" "$T"
check "redact with globs: exit 0" [ "$RC" -eq 0 ]
got=$(cd "$WORK/out" && find . -type f | sort | tr '\n' ' ')
check "redact with globs: only the kept files are written ($got)" \
    [ "$got" = "./t/a.log ./t/nginx/n.log ./t/node_modules/x.log ./t/sub/c.log " ]
check "redact with globs: the kept files are redacted" grep -q '138\*\*\*\*5678' "$WORK/out/t/sub/c.log"
run "$WORK/o" "$WORK/e" "$PIISCAN" reveal --include '*.log' -o "$WORK/rv" "$WORK/out"
check "reveal refuses --include" [ "$RC" -eq 2 ]

# --incremental
C=$WORK/cache
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" "$T"
check "incremental, first run: exit 1" [ "$RC" -eq 1 ]
check "incremental, first run: everything scanned" [ "$(paths "$WORK/o" | wc -w)" -eq 6 ]
check "incremental, first run: the cache holds six files" [ "$(grep -c '^18 ' "$C")" -eq 6 ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" "$T"
check "second run: nothing found, exit 0" [ "$RC" -eq 0 ]
check "second run: nothing scanned" [ -z "$(paths "$WORK/o")" ]
check "second run: a note tells how many files were skipped" grep -q 'note: 6 files unchanged since the last run' "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -q -f jsonl --incremental "$C" "$T"
check "-q: no note" [ ! -s "$WORK/e" ]
printf 'mail li@example.com\n' >>"$T/sub/c.log"
old "$T/sub/c.log"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" "$T"
check "a changed file (same mtime as before, new size) is scanned again, alone" [ "$(paths "$WORK/o")" = "sub/c.log " ]
cp -p "$T/b.txt" "$T/b.tmp" && mv "$T/b.tmp" "$T/b.txt"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" "$T"
check "a file replaced by another (same size and mtime, new inode) is scanned again" [ "$(paths "$WORK/o")" = "b.txt " ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" --types CN_MOBILE "$T"
check "other --types: every file is scanned again" [ "$(paths "$WORK/o" | wc -w)" -eq 6 ]
check "... and a note says why" grep -q 'every file is scanned again' "$WORK/e"
# A file changed within two seconds of its scan is not recorded.  Its mtime
# is set an hour ahead (as on a host whose clock is behind the file
# server's), which is "not two seconds old" however slow this run is.
printf 'tel 13912345678\n' >"$T/new.log"
touch -d "$(date -d '+1 hour' '+%F %T')" "$T/new.log"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" --types CN_MOBILE "$T"
check "a file changed just now is scanned ..." [ "$(paths "$WORK/o")" = "new.log " ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" --types CN_MOBILE "$T"
check "... and again next time (not recorded within two seconds of a change)" [ "$(paths "$WORK/o")" = "new.log " ]
rm "$T/new.log"

# Files with an error are never recorded; the others are.
mkdir "$WORK/e2"
printf 'x\n' >"$WORK/e2/ok.log"
printf '\037\213\010\000\000\000\000\000\000\003broken' >"$WORK/e2/bad.gz"
# An archive whose member is damaged: the error names the member
# (arch.tar!/bad.gz), and the archive itself must not be recorded.
cp "$WORK/e2/bad.gz" "$WORK/bad.gz"
tar -C "$WORK" -cf "$WORK/e2/arch.tar" bad.gz t/a.log
old "$WORK/e2"/*
C2=$WORK/cache2
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -q --incremental "$C2" "$WORK/e2"
check "errors: exit 2" [ "$RC" -eq 2 ]
check "errors: the sound file is recorded" grep -q 'e2/ok.log$' "$C2"
check "errors: the corrupt .gz is not" bash -c "! grep -q 'bad.gz' '$C2'"
check "errors: an archive with a corrupt member is not" bash -c "! grep -q 'arch.tar' '$C2'"
check "errors: (the member's error was reported)" grep -q 'arch.tar!/bad.gz' "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -q --incremental "$C2" "$WORK/e2"
check "errors: the corrupt file is reported again next run" grep -q 'bad.gz' "$WORK/e"

# A report that cannot be written leaves the cache as it was.
cp "$C" "$WORK/cache.before"
printf 'phone 13712345678\n' >"$T/late.log"
old "$T/late.log"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" --types CN_MOBILE -o /dev/full "$T"
check "report to /dev/full: exit 2" [ "$RC" -eq 2 ]
check "report to /dev/full: the cache is unchanged" cmp -s "$C" "$WORK/cache.before"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" --types CN_MOBILE "$T"
check "... so the next run still reports the new file" [ "$(paths "$WORK/o")" = "late.log " ]

# A damaged cache is an error naming it, and nothing is scanned.
cp "$C" "$WORK/cache.good"
sed -i '2s/^18 /19 /' "$C"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -f jsonl --incremental "$C" "$T"
check "an edited cache: exit 2" [ "$RC" -eq 2 ]
check "an edited cache: the message names the file" grep -q "$C: not a piiscan incremental cache, or damaged" "$WORK/e"
check "an edited cache: nothing scanned" [ ! -s "$WORK/o" ]
head -c 60 "$WORK/cache.good" >"$C"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --incremental "$C" "$T"
check "a cut-short cache: exit 2" [ "$RC" -eq 2 ]
printf 'hello\n' >"$C"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --incremental "$C" "$T"
check "some other file: exit 2" [ "$RC" -eq 2 ]
check "a directory as cache: exit 2" bash -c "'$PIISCAN' scan --incremental '$WORK' '$T' >/dev/null 2>&1; [ \$? -eq 2 ]"

# Odd names survive the round trip (escaped in the cache).
mkdir "$WORK/odd"
printf 'phone 13812345678\n' >"$WORK/odd/$(printf 'new\nline')"
printf 'phone 13812345678\n' >"$WORK/odd/back\\slash x"
old "$WORK/odd"/*
rm -f "$C"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --incremental "$C" "$WORK/odd"
check "odd names: first run finds both" [ "$RC" -eq 1 ]
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --incremental "$C" "$WORK/odd"
check "odd names: second run skips both" grep -q 'note: 2 files unchanged' "$WORK/e"

# redact --incremental: a copy is made again only when its input changed,
# the copy itself was changed or removed, or the options, policy or key
# that shape copies changed; a copy the cache names is replaced without
# --force, any other existing file is not.
R=$WORK/r
mkdir -p "$R/in/sub"
printf 'phone 13812345678\n' >"$R/in/a.log"
printf 'phone 13912345678\n' >"$R/in/sub/b.log"
old "$R/in/a.log" "$R/in/sub/b.log"
printf 'default: mask\n' >"$R/policy.yaml"
RC_=$R/cache
red() { run "$WORK/o" "$WORK/e" env PIISCAN_KEY=00112233445566778899aabbccddeeff "$PIISCAN" redact --incremental "$RC_" "$@" -o "$R/out" "$R/in"; }
stamp() { stat -c %Y.%i "$R/out/in/a.log" "$R/out/in/sub/b.log" | tr '\n' ' '; }
red
check "redact --incremental, first run: exit 0" [ "$RC" -eq 0 ]
check "first run: copies written" grep -q '139\*\*\*\*5678' "$R/out/in/sub/b.log"
check "first run: inputs and copies recorded" [ "$(grep -c '/in/' "$RC_")" -eq 4 ]
before=$(stamp)   # a copy made again is a new file (temporary + rename): a new inode
red
check "second run: exit 0" [ "$RC" -eq 0 ]
check "second run: the note counts the two inputs" grep -q 'note: 2 files unchanged since the last run, not redacted again' "$WORK/e"
check "... and the copies were not touched" [ "$(stamp)" = "$before" ]
printf 'mail li@example.com\n' >>"$R/in/a.log"
old "$R/in/a.log"
red
check "a changed input: exit 0, no --force needed for its own copy" [ "$RC" -eq 0 ]
check "... its copy is made again" grep -q 'l\*@example.com\|li\*\*\|\*\*\*@example.com' "$R/out/in/a.log"
check "... the other is skipped" grep -q 'note: 1 file unchanged' "$WORK/e"
printf 'tampered\n' >"$R/out/in/sub/b.log"
red
check "a copy changed by someone else is made again" grep -q '139\*\*\*\*5678' "$R/out/in/sub/b.log"
rm "$R/out/in/sub/b.log"
red
check "a removed copy is made again" grep -q '139\*\*\*\*5678' "$R/out/in/sub/b.log"
red --op CN_MOBILE=replace
check "another --op: every copy made again, exit 0" [ "$RC" -eq 0 ]
check "... with the new operator" grep -q 'CN_MOBILE' "$R/out/in/sub/b.log"
check "... and a note says why" grep -q 'every file is redacted again' "$WORK/e"
red --op CN_MOBILE=mask
check "another value of --op: copies made again" grep -q '139\*\*\*\*5678' "$R/out/in/sub/b.log"
red --op CN_MOBILE=hash
h1=$(cat "$R/out/in/sub/b.log")
run "$WORK/o" "$WORK/e" env PIISCAN_KEY=99112233445566778899aabbccddeeff "$PIISCAN" redact --incremental "$RC_" --op CN_MOBILE=hash -o "$R/out" "$R/in"
check "another key: copies made again" [ "$(cat "$R/out/in/sub/b.log")" != "$h1" ]
red --policy "$R/policy.yaml"
cp "$R/out/in/sub/b.log" "$WORK/b.before"
printf 'default: mask\ntypes:\n  CN_MOBILE: replace\n' >"$R/policy.yaml"
red --policy "$R/policy.yaml"
check "an edited policy file: copies made again" [ "$(cat "$R/out/in/sub/b.log")" != "$(cat "$WORK/b.before")" ]
run "$WORK/o" "$WORK/e" "$PIISCAN" redact --incremental "$WORK/fresh.cache" -o "$R/out" "$R/in"
check "existing copies that no cache names: still refused without --force" [ "$RC" -eq 2 ]
check "... saying so" grep -q 'exists (use --force to replace it)' "$WORK/e"
run "$WORK/o" "$WORK/e" "$PIISCAN" reveal --incremental "$RC_" -o "$WORK/rv" "$R/out"
check "reveal refuses --incremental" [ "$RC" -eq 2 ]

# A cache path that is a directory: its own reason, not "Input/output error".
mkdir -p "$WORK/cachedir"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan --incremental "$WORK/cachedir" "$T"
check "a directory as the cache: exit 2, 'Is a directory'" \
    bash -c '[ '"$RC"' -eq 2 ] && grep -q "cachedir: cannot read the incremental cache: Is a directory" "$0"' "$WORK/e"

finish
