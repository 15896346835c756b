# harness.bash -- shared set-up for the end-to-end scripts (sourced, not run;
# the .bash suffix keeps it out of the tests/e2e/*.sh glob that ctest runs).
#
# Env (set by ctest): PIISCAN = the binary, SRCDIR = repository root.
# Provides:
#   WORK            a private temporary directory, removed on exit (kept
#                   when KEEP=1 is set, for debugging a failure)
#   add_cleanup D   also remove directory D on exit
#   run OUT ERR CMD...  run CMD with stdout/stderr captured; exit status in RC
#                       (never trips set -e)
#   check WHAT CMD...   count CMD's success as a pass, else a failure
#   same_files WHAT A1 B1 [A2 B2 ...]  every pair of files is byte-equal;
#                       a failure prints the first differing lines of each
#                       pair that differs (a flaky failure says what it was)
#   pass WHAT / fail WHAT / skip WHAT
#   jq_ok JSON ARGS...  jq -e ARGS on the JSON text, quietly (for check)
#   jsonl_any FILE COND [JQ ARGS...]  some object of the JSON Lines FILE
#                       satisfies the jq condition COND
#   show FILE [N]   print the first N (default 40) lines of FILE, indented
#   stderr_well_formed ERR  every stderr line reads "piiscan: PATH: message"
#   finish          print "N passed, M failed" and exit 0 only if none failed
# Tests print "ok", "FAIL" or "skip" per check, so a ctest log shows what
# broke without re-running.

# RC, WORK and the counters are used by the scripts that source this file.
# shellcheck disable=SC2034
SRCDIR=${SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
SRCDIR=${SRCDIR%/}
PIISCAN=${PIISCAN:-$SRCDIR/build/piiscan}
export LC_ALL=C

WORK=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-e2e.XXXXXX")
CLEANUP_DIRS=("$WORK")
cleanup() {
    local d
    if [ -n "${KEEP:-}" ]; then
        echo "kept ${CLEANUP_DIRS[*]} (KEEP is set)" >&2
        return 0
    fi
    for d in "${CLEANUP_DIRS[@]}"; do
        # Files made unreadable on purpose must not survive the run.
        chmod -R u+rwX "$d" 2>/dev/null || true
        rm -rf "$d"
    done
}
trap cleanup EXIT
add_cleanup() { CLEANUP_DIRS+=("$1"); }

PASSED=0
FAILED=0
SKIPPED=0
RC=0

pass() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$1"; }
skip() { SKIPPED=$((SKIPPED + 1)); printf 'skip %s\n' "$1"; }

check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

same_files() {
    local what=$1 ok=1
    shift
    while [ $# -ge 2 ]; do
        if ! cmp -s "$1" "$2"; then
            ok=0
            printf '     %s vs %s:\n' "$1" "$2"
            # diff exits 1 on a difference: under pipefail and set -e that
            # would end the script before the failure is counted.
            { diff "$1" "$2" 2>&1 || true; } | head -n 12 | sed 's/^/       /'
        fi
        shift 2
    done
    if [ "$ok" = 1 ]; then pass "$what"; else fail "$what"; fi
}

run() {
    local out=$1 err=$2
    shift 2
    RC=0
    "$@" >"$out" 2>"$err" || RC=$?
}

jq_ok() {
    local json=$1
    shift
    jq -e "$@" <<<"$json" >/dev/null 2>&1
}

# Slurped, because jq 1.6 -e judges only the output of the last input line.
jsonl_any() {
    local file=$1 cond=$2
    shift 2
    jq -e -s "$@" "any(.[]; $cond)" "$file" >/dev/null 2>&1
}

show() {
    local n=${2:-40}
    sed -n "1,${n}p" "$1" | sed 's/^/    | /'
}

stderr_well_formed() {
    # An empty stderr is well formed too.
    ! grep -qv '^piiscan: .*: .' "$1"
}

finish() {
    if [ "$SKIPPED" -gt 0 ]; then
        printf '(%d skipped)\n' "$SKIPPED"
    fi
    printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
    if [ "$FAILED" -eq 0 ]; then exit 0; fi
    exit 1
}

require_binary() {
    if [ ! -x "$PIISCAN" ]; then
        fail "PIISCAN=$PIISCAN is an executable"
        finish
    fi
}

# As root, mode-000 files are readable, so tests of unreadable input run
# piiscan as nobody.  nobody_runner MODE makes a fresh directory of that
# mode under /tmp holding a copy of the binary, and sets NOBODY_DIR to it
# and the array NOBODY to the command that runs the copy as nobody.
# Returns 1 (and sets nothing) when setpriv is missing or the copy cannot
# run there (a noexec /tmp).
nobody_runner() {
    command -v setpriv >/dev/null 2>&1 || return 1
    local dir
    dir=$(mktemp -d /tmp/piiscan-e2e-nobody.XXXXXX) || return 1
    add_cleanup "$dir"
    chmod "$1" "$dir"
    cp "$PIISCAN" "$dir/piiscan"
    chmod 0755 "$dir/piiscan"
    local cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "$dir/piiscan")
    "${cmd[@]}" --help >/dev/null 2>&1 || return 1
    NOBODY_DIR=$dir
    NOBODY=("${cmd[@]}")
}
