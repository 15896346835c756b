#!/usr/bin/env bash
# out_safety.sh -- no output of a run may replace or truncate an input, and
# bad input gets a clear error (exit 2) that names the files:
#   F1  -o / --report / --incremental that is a PATH, the key file, the
#       policy, or another output: refused, nothing written;
#   F2  redact does not follow a symbolic link planted below OUTDIR into an
#       input tree (with --force it replaced an input by another's copy);
#   F3  two inputs with one copy under OUTDIR: an error naming both, even
#       with --force; the same input named twice is copied once;
#   F14 the walk skips the run's own report and its temporary file;
#   F6  --types with an empty list or an empty element is a usage error;
#   F15 a control character in a path does not split a message in two.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
# The bash -c checks expand their arguments inside:
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary

cd "$WORK"
printf 'phone 13812345678\n' >x.log
cp x.log x.orig
"$PIISCAN" keygen -o k
cp k k.orig
printf 'default: mask\n' >p.yaml
cp p.yaml p.orig

# unchanged NAME ORIG: NAME still holds what ORIG does
unchanged() { cmp -s "$1" "$2"; }
# no_tmp: no temporary file of an output was left behind
no_tmp() { [ -z "$(find . -name '*.tmp.*' -print -quit)" ]; }

# ---- F1: outputs that are inputs ------------------------------------------
run out err "$PIISCAN" scan x.log -o x.log
check "F1 scan -o INPUT: exit 2 ($RC)" [ "$RC" -eq 2 ]
check "F1 scan -o INPUT: the input is intact" unchanged x.log x.orig
check "F1 scan -o INPUT: the message names it and says why" grep -q "^piiscan: x.log: the -o file is the input x.log" err

run out err "$PIISCAN" scan -o ./x.log "$WORK/x.log"
check "F1 scan -o INPUT spelt differently: exit 2, input intact" \
    bash -c '[ "$1" -eq 2 ] && cmp -s x.log x.orig' _ "$RC"

ln -s x.log link.log
run out err "$PIISCAN" scan link.log -o x.log
check "F1 scan -o INPUT through a symbolic link: exit 2, input intact" \
    bash -c '[ "$1" -eq 2 ] && cmp -s x.log x.orig' _ "$RC"

run out err "$PIISCAN" scan --key-file k -f jsonl -o k x.log
check "F1 scan -o KEYFILE: exit 2 ($RC)" [ "$RC" -eq 2 ]
check "F1 scan -o KEYFILE: the key is intact" unchanged k k.orig
check "F1 scan -o KEYFILE: the message names the key file" grep -q "^piiscan: k: .*--key-file" err

run out err "$PIISCAN" redact x.log -o odir --report x.log
check "F1 redact --report INPUT: exit 2 ($RC)" [ "$RC" -eq 2 ]
check "F1 redact --report INPUT: the input is intact" unchanged x.log x.orig
check "F1 redact --report INPUT: no OUTDIR made" [ ! -e odir ]

run out err "$PIISCAN" redact --policy p.yaml x.log -o out --report p.yaml
check "F1 redact --report POLICY: exit 2, policy intact" \
    bash -c '[ "$1" -eq 2 ] && cmp -s p.yaml p.orig' _ "$RC"
check "F1 redact --report POLICY: the message names the policy" grep -q "^piiscan: p.yaml: .*--policy" err

run out err "$PIISCAN" redact --key-file k --op CN_MOBILE=fpe x.log -o out --incremental k
check "F1 redact --incremental KEYFILE: exit 2, key intact" \
    bash -c '[ "$1" -eq 2 ] && cmp -s k k.orig' _ "$RC"

printf 'report of an earlier run\n' >r
cp r r.orig
run out err "$PIISCAN" scan -f jsonl -o r --incremental r x.log
check "F1 scan -o R --incremental R: exit 2 ($RC)" [ "$RC" -eq 2 ]
check "F1 scan -o R --incremental R: R untouched" unchanged r r.orig
check "F1 scan -o R --incremental R: the message names both options" grep -q "^piiscan: r: the --incremental file is also the output r (-o)" err
rm r r.orig

run out err "$PIISCAN" scan -f jsonl -o new.jsonl --incremental ./new.jsonl x.log
check "F1 two outputs, neither existing yet, the same file: exit 2, nothing made" \
    bash -c '[ "$1" -eq 2 ] && [ ! -e new.jsonl ]' _ "$RC"

mkdir -p tree
cp x.log tree/a.log
cp x.log tree/old.jsonl
run out err "$PIISCAN" scan -f jsonl -o tree/old.jsonl tree
check "F1 scan -o FILE that exists inside the walked directory (a report run again): exit 1 (got $RC)" \
    [ "$RC" -eq 1 ]
check "F1 ... the old file is replaced by the report, not read as an input" \
    bash -c 'grep -q "\"kind\":\"summary\",\"files\":1," tree/old.jsonl && ! grep -q "old.jsonl\",\"type" tree/old.jsonl' 
check "F1 no temporary file left by any refusal" no_tmp

run out err "$PIISCAN" scan -o /dev/null --incremental cache.inc x.log
check "F1 an output that is a device is not a clash (exit $RC)" [ "$RC" -eq 1 ]
rm -f cache.inc

# ---- F2: a link below OUTDIR into an input ---------------------------------
mkdir -p f2/in f2/in2 f2/out
echo "orig 13812345678" >f2/in/a.log
echo "other 13912345678" >f2/in2/a.log
cp f2/in/a.log f2/a.orig
ln -s ../in f2/out/in2
run out err "$PIISCAN" redact --force f2/in f2/in2 -o f2/out
check "F2 redact --force through a link below OUTDIR: exit 2 ($RC)" [ "$RC" -eq 2 ]
check "F2 ... the input is intact" unchanged f2/in/a.log f2/a.orig
check "F2 ... nothing new in the input tree" [ "$(ls f2/in)" = "a.log" ]
check "F2 ... the message names the link" grep -q "^piiscan: f2/in2/a.log: .*symbolic link in2" err
check "F2 ... the other input is still copied" grep -q '138\*\*\*\*5678' f2/out/in/a.log
mkdir -p f2/in2/sub
echo "deep 13712345678" >f2/in2/sub/b.log
run out err "$PIISCAN" redact f2/in2 -o f2/out
check "F2 without --force: no directory made in the input tree" [ ! -e f2/in/sub ]

# ---- F3: two inputs, one copy ----------------------------------------------
mkdir -p f3/a f3/b
echo 13812345678 >f3/a/x.log
echo 13912345678 >f3/b/x.log
run out err "$PIISCAN" redact --force f3/a/x.log f3/b/x.log -o f3/out
check "F3 two inputs to one copy: exit 2 ($RC)" [ "$RC" -eq 2 ]
check "F3 ... the first input's copy is kept" grep -q '138\*\*\*\*5678' f3/out/x.log
check "F3 ... the message names both inputs" grep -q "^piiscan: f3/b/x.log: .*also the copy of f3/a/x.log" err
run out err "$PIISCAN" redact f3/a/x.log f3/a/x.log -o f3/o2
check "F3 the same input named twice: exit 0 ($RC)" [ "$RC" -eq 0 ]
check "F3 ... noted once, no talk of --force" \
    bash -c '[ "$(grep -c "named more than once" "$1")" -eq 1 ] && ! grep -q -- --force "$1"' _ err
check "F3 ... copied" grep -q '138\*\*\*\*5678' f3/o2/x.log
touch -d '2024-01-01 00:00:00' f3/a/x.log
run out err "$PIISCAN" redact --incremental f3/cache f3/a/x.log -o f3/o3
run out err "$PIISCAN" redact --force --incremental f3/cache f3/a/x.log f3/b/x.log -o f3/o3
check "F3 --incremental, first input's copy current: the second input is still refused (exit $RC)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "138\*\*\*\*5678" f3/o3/x.log' _ "$RC"

# ---- F14: the walk skips the run's outputs ---------------------------------
mkdir -p self
cp x.log self/a.log
run out err "$PIISCAN" scan -f jsonl -o self/rep.jsonl self
check "F14 scan -o DIR/new DIR: exit 1 ($RC)" [ "$RC" -eq 1 ]
check "F14 ... the report names only the input" \
    bash -c '[ "$(jq -r "select(.path) | .path" self/rep.jsonl | sort -u)" = "self/a.log" ]'
check "F14 ... the report's temporary file is noted as skipped" grep -q "self/rep.jsonl.tmp.* note: skipped: an output of this run" err
rm self/rep.jsonl
# Old enough to be recorded (a file changed in the last two seconds is not).
touch -d '2024-01-01 00:00:00' self/a.log
run out err "$PIISCAN" scan -f jsonl --incremental self/cache self
run out err "$PIISCAN" scan -f jsonl --incremental self/cache self
check "F14 an existing --incremental cache inside the walk: exit 0, skipped ($RC)" \
    bash -c '[ "$1" -eq 0 ] && grep -q "self/cache: note: skipped" "$2"' _ "$RC" err
mkdir -p rin
cp x.log rin/a.log
run out err "$PIISCAN" redact rin -o rout --report rin/rep.jsonl
check "F14 redact --report inside the walked directory: exit 0, not copied" \
    bash -c '[ "$1" -eq 0 ] && [ ! -e rout/rin/rep.jsonl ]' _ "$RC"
check "F14 ... no temporary file copied" [ "$(ls rout/rin)" = "a.log" ]

# ---- F6: --types with nothing in it -----------------------------------------
for t in '' ',' 'CN_MOBILE,,EMAIL' 'CN_MOBILE,'; do
    run out err "$PIISCAN" scan --types "$t" x.log
    check "F6 --types '$t': exit 2 ($RC)" [ "$RC" -eq 2 ]
done
check "F6 ... the message says what is wrong" grep -q "^piiscan: --types: empty type name" err

# ---- F15: control characters in paths ---------------------------------------
nl=$'bad\nname'
esc=$'esc\033[31mname'
mkdir -p "$nl" "$esc"
run out err "$PIISCAN" scan "$nl/missing" "$esc/missing"
check "F15 a newline in a path: one message line per error" [ "$(wc -l <err)" -eq 2 ]
check "F15 ... shown as '?'" grep -q '^piiscan: bad?name/missing: No such file' err
check "F15 an escape sequence in a path does not reach the terminal" \
    bash -c '! LC_ALL=C grep -q $'"'"'\033'"'"' "$1"' _ err
check "F15 stderr well formed" stderr_well_formed err
run out err "$PIISCAN" scan --key-file "$nl/key" x.log
check "F15 a newline in the key file's name: one line, exit 2 ($RC)" \
    bash -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "bad?name/key" "$2"' _ "$RC" err

finish
