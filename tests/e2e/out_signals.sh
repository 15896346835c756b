#!/usr/bin/env bash
# out_signals.sh -- what a signal or a private report leaves behind:
#   - SIGTERM or SIGHUP while a report (scan -o, redact --report) is being
#     written removes its temporary file, writes nothing under the final
#     name, and piiscan ends by that signal (exit 128 + N), as cron and
#     shells expect.  Redacted copies go through the same outfile.c list;
#     they are not held here because redact skips FIFO inputs, and a large
#     input would make the check a race;
#   - a reader that quits (`piiscan redact --report R - | head`) ends
#     piiscan by SIGPIPE (exit 141) and leaves no temporary report;
#   - a report that replaces a file keeps that file's permission bits (a
#     report made private with chmod 600 stays private), and a new report
#     of raw values (--show-values) is made 0600.
# piiscan is held mid-run by reading a pipe that stays open.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
set -euo pipefail
# shellcheck source=lib/harness.bash
. "$(dirname "${BASH_SOURCE[0]}")/lib/harness.bash"
require_binary
export PIISCAN_KEY=0000000000000000000000000000000000000000000000000000000000000007

# Start "$@" reading a pipe that gets one line and then stays open; wait
# until a temporary file (*.tmp.*) exists in dir; send sig; the command's
# exit status is left in RC and what was seen in TMP_SEEN.
hold_and_signal() { # sig dir cmd...
    local sig=$1 dir=$2; shift 2
    mkfifo "$WORK/fifo"
    "$@" <"$WORK/fifo" >/dev/null 2>"$WORK/sig.err" &
    local pid=$!
    exec 3>"$WORK/fifo"
    printf 'phone 13812345678\n' >&3
    for _ in $(seq 600); do   # up to 30 s: a loaded CI host, a cold database cache
        compgen -G "$dir/*.tmp.*" >/dev/null && break
        sleep 0.05
    done
    TMP_SEEN=$(compgen -G "$dir/*.tmp.*" || true)
    kill "-$sig" "$pid"
    set +e
    wait "$pid"
    RC=$?
    set -e
    exec 3>&-
    rm -f "$WORK/fifo"
}

for sig in TERM HUP; do
    n=$(kill -l "$sig")
    d=$WORK/scan-$sig
    mkdir -p "$d"
    hold_and_signal "$sig" "$d" "$PIISCAN" scan -q -f jsonl -o "$d/rep.jsonl" -
    check "scan -o: a temporary report exists while piiscan reads ($sig)" [ -n "$TMP_SEEN" ]
    check "scan -o, SIG$sig: exit $((128 + n)) (got $RC)" [ "$RC" -eq $((128 + n)) ]
    check "scan -o, SIG$sig: no temporary file left" bash -c '! compgen -G "$0/*.tmp.*" >/dev/null' "$d"
    check "scan -o, SIG$sig: no report under the final name" [ ! -e "$d/rep.jsonl" ]

    d=$WORK/redact-$sig
    mkdir -p "$d"
    hold_and_signal "$sig" "$d" "$PIISCAN" redact -q --report "$d/rep.jsonl" -
    check "redact --report: a temporary report exists while piiscan reads ($sig)" [ -n "$TMP_SEEN" ]
    check "redact --report, SIG$sig: exit $((128 + n)) (got $RC)" [ "$RC" -eq $((128 + n)) ]
    check "redact --report, SIG$sig: no temporary file left" bash -c '! compgen -G "$0/*.tmp.*" >/dev/null' "$d"
done

# A reader that quits: redact's copy goes to a closed pipe.  4 MiB is far
# more than the pipe and piiscan's output buffer hold.
awk 'BEGIN { for (i = 0; i < 65536; i++) print "phone 13812345678 and more text to fill" }' >"$WORK/big.log"
d=$WORK/pipe
mkdir -p "$d"
set +e
"$PIISCAN" redact -q --report "$d/rep.jsonl" - <"$WORK/big.log" 2>"$WORK/pipe.err" | head -c 10 >/dev/null
RC=${PIPESTATUS[0]}
set -e
check "redact --report R - | head: exit 141, SIGPIPE (got $RC)" [ "$RC" -eq 141 ]
check "redact --report R - | head: no temporary file left" bash -c '! compgen -G "$0/*.tmp.*" >/dev/null' "$d"
check "redact --report R - | head: no report under the final name" [ ! -e "$d/rep.jsonl" ]

# A replaced report keeps its permission bits; a new one gets 0666 & ~umask.
printf 'phone 13812345678\n' >"$WORK/in.log"
: >"$WORK/private.jsonl"
chmod 600 "$WORK/private.jsonl"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -q -f jsonl --show-values -o "$WORK/private.jsonl" "$WORK/in.log"
check "scan -o over a 0600 report: still 0600 (got $(stat -c %a "$WORK/private.jsonl"))" \
    [ "$(stat -c %a "$WORK/private.jsonl")" = 600 ]
check "scan -o over a 0600 report: the report was written" grep -q 13812345678 "$WORK/private.jsonl"
rm -f "$WORK/raw.jsonl"
run "$WORK/o" "$WORK/e" "$PIISCAN" scan -q -f jsonl --show-values -o "$WORK/raw.jsonl" "$WORK/in.log"
check "scan --show-values -o, a new report: 0600 (got $(stat -c %a "$WORK/raw.jsonl"))" \
    [ "$(stat -c %a "$WORK/raw.jsonl")" = 600 ]
(
    umask 027
    "$PIISCAN" scan -q -f jsonl -o "$WORK/new.jsonl" "$WORK/in.log" >/dev/null 2>&1 || true
)
check "scan -o, a new report under umask 027: 0640 (got $(stat -c %a "$WORK/new.jsonl"))" \
    [ "$(stat -c %a "$WORK/new.jsonl")" = 640 ]

finish
