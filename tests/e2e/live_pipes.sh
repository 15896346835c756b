#!/usr/bin/env bash
# live_pipes.sh -- standard input that pauses, as `tail -f app.log |
# piiscan redact -` gives it: the lines sent so far come out at once
# (scan's findings, redact's copy), not when a 1 MiB window has filled or
# the writer has gone; and what comes out in the end is what the same
# bytes give from a file.
#
# The writer is this script, holding a FIFO open between bursts; every
# read of piiscan's output waits at most 20 s, far longer than a burst
# takes, so a slow machine does not fail it but a held-back line does.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
set -euo pipefail
# shellcheck source=tests/e2e/lib/harness.bash
source "$(dirname "$0")/lib/harness.bash"
require_binary

export PIISCAN_KEY=00112233445566778899aabbccddeeff
WAIT=20
BURSTS=("tel 13812345678 ok" "mail zhang.san@example.com" "id 11010519491231002X and 4111111111111111")

# start CMD...: CMD reads the FIFO in and writes the FIFO out; fds 3 (to
# it) and 4 (from it) are held here.
start() {
    rm -f "$WORK/in" "$WORK/out"
    mkfifo "$WORK/in" "$WORK/out"
    "$@" <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
    PID=$!
    exec 3>"$WORK/in" 4<"$WORK/out"
}
# stop: end the input, wait for the command; what else it wrote goes to FILE.
stop() {
    exec 3>&-
    cat <&4 >"$1"
    exec 4<&-
    set +e
    wait "$PID"
    RC=$?
    set -e
}
# next_line: one line of output within WAIT seconds, else "(nothing)".
next_line() { IFS= read -r -t "$WAIT" line <&4 || line="(nothing)"; printf '%s\n' "$line"; }

for t in 1 2; do
    # ---- redact -: each burst's copy comes out before the next is sent ----
    start "$PIISCAN" redact --threads "$t" -
    : >"$WORK/got"
    for b in "${BURSTS[@]}"; do
        printf '%s\n' "$b" >&3
        next_line >>"$WORK/got"
    done
    # --threads 1 is one thread (pipeline.c, solo): nothing but the
    # caller, which reads, redacts and writes.
    if [ "$t" = 1 ] && [ -d "/proc/$PID/task" ]; then
        n=$(find "/proc/$PID/task" -mindepth 1 -maxdepth 1 | wc -l)
        check "redact -, 1 thread: the process has one thread (got $n)" [ "$n" -eq 1 ]
    fi
    stop "$WORK/rest"
    check "redact -, $t thread(s): exit 0" [ "$RC" -eq 0 ]
    check "redact -, $t thread(s): nothing left at the end" [ ! -s "$WORK/rest" ]
    printf '%s\n' "${BURSTS[@]}" >"$WORK/all.txt"
    "$PIISCAN" redact --threads "$t" - <"$WORK/all.txt" >"$WORK/from_file"
    same_files "redact -, $t thread(s): each line out while the pipe waits, as from a file" \
        "$WORK/got" "$WORK/from_file"

    # ---- scan -f jsonl -: a burst's findings come out before the next ----
    start "$PIISCAN" scan --threads "$t" -f jsonl -
    printf '%s\n' "${BURSTS[0]}" >&3
    first=$(next_line)
    check "scan -, $t thread(s): the first line's finding at once" \
        jq_ok "$first" '.kind == "finding" and .type == "CN_MOBILE" and .start == 4'
    printf '%s\n' "${BURSTS[1]}" >&3
    second=$(next_line)
    check "scan -, $t thread(s): the second line's finding at once" \
        jq_ok "$second" '.kind == "finding" and .type == "EMAIL" and .start == 24'
    printf '%s\n' "${BURSTS[2]}" >&3
    stop "$WORK/rest"
    check "scan -, $t thread(s): exit 1 (findings)" [ "$RC" -eq 1 ]
    { printf '%s\n%s\n' "$first" "$second"; grep -v '"summary"' "$WORK/rest"; } >"$WORK/got"
    "$PIISCAN" scan --threads "$t" -f jsonl - <"$WORK/all.txt" | grep -v '"summary"' >"$WORK/from_file" || true
    same_files "scan -, $t thread(s): the same findings as from a file" "$WORK/got" "$WORK/from_file"
done

# ---- GBK text (Excel's CSV, old Windows logs): live once it is judged ------
# The encoding is judged on 64 bytes after the first non-ASCII one, so the
# first burst is two lines; each burst after it comes out on its own.
gbk() { printf '%s\n' "$1" | iconv -f UTF-8 -t GBK; }
if gbk '测试' >/dev/null 2>&1; then
    G1=$(gbk '客户资料：用户张三的手机号是13812345678，请尽快联系他确认订单。')
    G2=$(gbk '备注：李四的邮箱是li.si@example.com，身份证11010519491231002X。')
    G3=$(gbk '王五 电话 13900001111')
    printf '%s\n' "$G1" "$G2" "$G3" >"$WORK/gbk.txt"
    "$PIISCAN" redact - <"$WORK/gbk.txt" >"$WORK/gbk_file" 2>/dev/null
    start "$PIISCAN" redact -
    printf '%s\n%s\n' "$G1" "$G2" >&3
    { next_line; next_line; } >"$WORK/got"
    printf '%s\n' "$G3" >&3
    next_line >>"$WORK/got"
    stop "$WORK/rest"
    check "GBK through a pipe: exit 0" [ "$RC" -eq 0 ]
    same_files "GBK through a pipe: each burst out while the pipe waits, as from a file" "$WORK/got" "$WORK/gbk_file"
else
    skip "GBK through a pipe (iconv cannot write GBK here)"
fi

# ---- reveal -: encrypt tokens given back line by line --------------------
"$PIISCAN" keygen -o "$WORK/key" >/dev/null 2>&1
chmod 600 "$WORK/key"
printf '%s\n' "${BURSTS[@]}" >"$WORK/all.txt"
"$PIISCAN" redact --default-op encrypt --key-file "$WORK/key" - <"$WORK/all.txt" >"$WORK/enc.txt"
check "reveal -: the tokens to give back are there" grep -q '_ENC_' "$WORK/enc.txt"
start "$PIISCAN" reveal --default-op encrypt --key-file "$WORK/key" -
: >"$WORK/got"
while IFS= read -r l; do
    printf '%s\n' "$l" >&3
    next_line >>"$WORK/got"
done <"$WORK/enc.txt"
stop "$WORK/rest"
check "reveal -: exit 0" [ "$RC" -eq 0 ]
same_files "reveal -: each line given back while the pipe waits" "$WORK/got" "$WORK/all.txt"

# ---- a live stream that fails is told while the writer waits ----------------
# (a token reveal cannot decrypt: the run ends with its error now, not when
# the writer quits)
# The first token's first character changed to another (swapping two, as
# before, changed nothing when they were equal: one key in 32 or so).
tok1=$(head -1 "$WORK/enc.txt")
c=$(printf '%s' "$tok1" | grep -o '_ENC_[A-Z2-7]' | head -1 | cut -c6)
if [ "$c" = A ]; then d=B; else d=A; fi
bad=$(printf '%s' "$tok1" | sed "s/_ENC_$c/_ENC_$d/")
check "reveal - of a damaged token: the token is damaged" [ -n "$c" -a "$bad" != "$tok1" ]
start "$PIISCAN" reveal --default-op encrypt --key-file "$WORK/key" -
printf '%s\n' "$bad" >&3
for _ in $(seq $((WAIT * 10))); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then ended=no; else ended=yes; fi
stop "$WORK/rest"
check "reveal - of a damaged token: ends while the writer waits ($ended)" [ "$ended" = yes ]
check "reveal - of a damaged token: exit 2 ($RC)" [ "$RC" -eq 2 ]
check "reveal - of a damaged token: says why" grep -q 'decrypt' "$WORK/err"

# ---- a window that fills just as the writer pauses: flushed all the same ---
# (the window is handed out full, not at the pause; the pause that follows
# finds nothing new to hand out and must still let its copy be seen)
line=$(printf 'tel 13812345678 %047d' 0 | tr 0 x)
for t in 1 2; do
    start "$PIISCAN" redact --threads "$t" --window-size 4096 -
    for i in $(seq 64); do printf '%s\n' "$line"; done >&3   # 64 x 64 bytes: one full window
    n=0
    while [ "$n" -lt 64 ] && IFS= read -r -t "$WAIT" l <&4; do n=$((n + 1)); done
    stop "$WORK/rest"
    check "a window full at the pause, $t thread(s): its 64 lines out while the pipe waits ($n)" [ "$n" -eq 64 ]
done

# ---- a line cut by a pause is not detected in halves ----------------------
start "$PIISCAN" redact -
printf 'tel 138123' >&3
sleep 0.3
printf '45678 end\nnext\n' >&3
first=$(next_line)
stop "$WORK/rest"
check "a pause inside a line: the line whole ($first)" [ "$first" = "tel 138****5678 end" ]

# ---- a head shorter than a tar block, then silence: not held back ---------
start "$PIISCAN" scan -f jsonl -
printf 'x\n' >&3
sleep 0.3
printf 'tel 13812345678\n' >&3
first=$(next_line)
stop "$WORK/rest"
check "two bytes, a pause, then a line: its finding at once" \
    jq_ok "$first" '.kind == "finding" and .type == "CN_MOBILE" and .start == 6'

# ---- a CSV whose writer pauses after the header: still read as CSV ----------
# (its format is judged from the first window, which a pause must not cut
# before the records that tell it; a CSV read as text leaks its names)
{
    echo "id,full_name,city,passport"
    for i in $(seq 1 20); do echo "$i,John Smith,Boston,E1234567$((i % 10))"; done
} >"$WORK/t.csv"
"$PIISCAN" redact - <"$WORK/t.csv" >"$WORK/csv_file"
check "CSV from a file: names redacted" [ "$(grep -c 'John Smith' "$WORK/csv_file")" -eq 0 ]
(head -1 "$WORK/t.csv"; sleep 0.5; tail -n +2 "$WORK/t.csv") | "$PIISCAN" redact - >"$WORK/csv_pipe"
same_files "CSV, a pause after its header: the same copy as from the file" "$WORK/csv_file" "$WORK/csv_pipe"
(head -3 "$WORK/t.csv"; sleep 0.5; tail -n +4 "$WORK/t.csv") | "$PIISCAN" redact - >"$WORK/csv_pipe"
same_files "CSV, a pause after two records: the same copy as from the file" "$WORK/csv_file" "$WORK/csv_pipe"

# ---- every sample, sent in bursts: the same copy and findings as the file --
# Pauses (60 ms, three times PIISCAN_PAUSE_MS) fall after a line, inside a
# line, inside the first lines, so that windows are cut where the writer
# paused; the result must not depend on where that was.
bursts() {   # FILE: the file in 6 pieces with a pause after each but the last
    local f=$1 size cuts k prev=0
    size=$(wc -c <"$f")
    # cuts: 3 line ends (the 2nd, a middle one, the one before last) and
    # 2 fixed byte offsets inside lines; sorted, unique, inside the file.
    cuts=$( { awk 'BEGIN { n = 0 } { n += length($0) + 1; e[NR] = n }
                   END { print e[2]; print e[int(NR / 2)]; print e[NR - 1] }' "$f"
              echo $((size / 3 + 7)); echo $((2 * size / 3 + 3)); } | sort -n -u | awk -v s="$size" '$1 > 0 && $1 < s')
    for k in $cuts; do
        tail -c +$((prev + 1)) "$f" | head -c $((k - prev))
        sleep 0.06
        prev=$k
    done
    tail -c +$((prev + 1)) "$f"
}
for f in exports/customers.csv dumps/shop.sql dumps/pg_users.sql telemetry/events.jsonl chat/kefu.txt android/logcat.txt; do
    in=$SRCDIR/corpora/sample/$f
    "$PIISCAN" redact - <"$in" >"$WORK/b_file" || true
    bursts "$in" | "$PIISCAN" redact - >"$WORK/b_pipe" || true
    same_files "$f in bursts: redact - writes what it writes for the file" "$WORK/b_file" "$WORK/b_pipe"
    "$PIISCAN" scan -f jsonl - <"$in" | grep -v '"summary"' >"$WORK/s_file" || true
    bursts "$in" | "$PIISCAN" scan -f jsonl - | grep -v '"summary"' >"$WORK/s_pipe" || true
    same_files "$f in bursts: scan - finds what it finds in the file" "$WORK/s_file" "$WORK/s_pipe"
done

# ---- standard input left non-blocking: waited on, not an error -------------
if command -v python3 >/dev/null; then
    printf 'tel 13812345678\n' >"$WORK/one.txt"
    for cmd in "redact -" "scan -f jsonl -"; do
        # shellcheck disable=SC2086   # cmd is split into arguments on purpose
        run "$WORK/o" "$WORK/e" python3 -c '
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[2:], stdin=r)
os.close(r)
time.sleep(0.5)
os.write(w, open(sys.argv[1], "rb").read())
os.close(w)
sys.exit(p.wait())' "$WORK/one.txt" "$PIISCAN" $cmd
        check "non-blocking standard input, $cmd: no error ($(head -c 200 "$WORK/e"))" [ ! -s "$WORK/e" ]
        check "non-blocking standard input, $cmd: found" grep -q '138\*\*\*\*5678' "$WORK/o"
    done
else
    skip "non-blocking standard input (no python3)"
fi

# ---- a file given as standard input is read as before (not live) -----------
printf '%s\n' "${BURSTS[@]}" >"$WORK/all.txt"
run "$WORK/o" "$WORK/e" "$PIISCAN" redact - <"$WORK/all.txt"
check "a redirected file: exit 0" [ "$RC" -eq 0 ]
check "a redirected file: redacted" grep -q '138\*\*\*\*5678' "$WORK/o"

finish
