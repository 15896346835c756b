#!/usr/bin/env bash
# test.sh -- build piiscan three ways and run every test against each build.
#
#   1. build-test/   Release optimisation with assertions kept, trained on
#                    sample data first as README's build is
#                    (scripts/build-release.sh); full ctest.
#   2. build-asan/   AddressSanitizer + UndefinedBehaviorSanitizer; the same
#                    ctest suite again, so memory errors in the CLI and the
#                    end-to-end paths are caught, not only in unit tests.
#   3. build-fuzz/   libFuzzer targets (clang only), run briefly by
#                    tests/fuzz/run.sh: FUZZ_SECONDS per target (default 15,
#                    10 when CI=true).
#   4. build-tsan/   ThreadSanitizer (clang only); the end-to-end tests that
#                    run walker, reader, worker and deflate threads together
#                    (archives, read-ahead, file reads, containers on stdin,
#                    GBK text decoded by the reader and encoded by the writer,
#                    many small files handed over in batches, JSON windows
#                    tracked by the workers and merged in order).
#                    Criterion cannot start under TSan (its fork arena), so
#                    the unit tests are not run here.
#
# Every stage runs even when an earlier one failed, so one run shows all
# breakage.  The last line is "N passed, M failed" (stages); the exit status
# is non-zero when any stage failed.
#
# Environment: CC (compiler of stage 1, default cc), ASAN_CC (stage 2,
# default clang when present, else gcc), FUZZ_SECONDS, JOBS (build jobs,
# default nproc), CTEST_JOBS (default 2).
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src" || exit 2

jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
ctest_jobs=${CTEST_JOBS:-2}
if [ "${CI:-}" = true ]; then fuzz_default=10; else fuzz_default=15; fi
FUZZ_SECONDS=${FUZZ_SECONDS:-$fuzz_default}

passed=0
failed=0
failed_names=()
skipped_names=()

stage_start() { printf '\n==> %s\n' "$1"; stage_t0=$(date +%s); }

stage_result() { # name status
    local dt=$(( $(date +%s) - stage_t0 ))
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1)); printf '==> %s: ok (%ss)\n' "$1" "$dt"
    else
        failed=$((failed + 1)); failed_names+=("$1"); printf '==> %s: FAILED (%ss)\n' "$1" "$dt"
    fi
}

stage_fail_unrun() { # name reason
    failed=$((failed + 1)); failed_names+=("$1"); printf '\n==> %s: FAILED (not run: %s)\n' "$1" "$2"
}

# Run a build command with its output in $dir/build.log, whose tail is
# shown on failure, so a green run stays short and a red one shows the error.
logged_build() { # dir command...
    local dir=$1; shift
    local log=$dir/build.log
    mkdir -p "$dir" || return 1
    "$@" >"$log" 2>&1
    local rc=$?
    if [ $rc -ne 0 ]; then
        echo "--- last 80 lines of $log ---"
        tail -n 80 "$log"
    fi
    return $rc
}

cmake_build() { # dir cc cmake-args...
    local dir=$1 cc=$2; shift 2
    cmake -S "$src" -B "$dir" -DCMAKE_C_COMPILER="$cc" "$@" && cmake --build "$dir" -j "$jobs"
}

# Configure and build into $dir.
build() { # dir cc cmake-args...
    logged_build "$1" cmake_build "$@"
}

# The same through scripts/build-release.sh: the build README's first
# command makes (trained on sample data first when cc is GCC).
build_trained() { # dir cc cmake-args...
    local dir=$1 cc=$2; shift 2
    logged_build "$dir" env CC="$cc" "$src/scripts/build-release.sh" "$dir" "$@"
}

# ctest's output goes to the terminal and to $dir/ctest.log; the summary
# at the end repeats the output of each failed test from there, because a
# CI record often keeps only the last lines of a run.
ctest_dirs=()
run_ctest() { # dir [ctest args...]
    local dir=$1; shift
    ctest_dirs+=("$dir")
    rm -f "$dir/Testing/Temporary/LastTestsFailed.log"   # a stale list from an earlier run
    # An empty suite is a broken build, not a pass.
    ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$ctest_jobs" "$@" \
        2>&1 | tee "$dir/ctest.log"
    return "${PIPESTATUS[0]}"
}

# The block ctest printed for each test in LastTestsFailed.log (lines
# "N:name"): from its "Test #N: name" status line to the next test's
# Start or status line, at most 60 lines each.
show_failed_tests() { # dir
    local dir=$1 list=$1/Testing/Temporary/LastTestsFailed.log
    [ -s "$list" ] || return 0
    local num name
    while IFS=: read -r num name; do
        printf '\n--- %s: failed test %s (from %s/ctest.log) ---\n' "${dir##*/}" "$name" "$dir"
        awk -v n="$num" '
            $0 ~ ("Test +#" n ": ") && !/^ *Start / { on = 1; print; next }
            on && (/^ *Start +[0-9]+: / || /Test +#[0-9]+: / || /tests passed/) { on = 0 }
            on { print }' "$dir/ctest.log" | head -n 60
    done <"$list"
}

# ---- 1. optimised build with assertions ------------------------------------
cc1=${CC:-cc}
stage_start "build (Release + asserts, trained, $cc1)"
# CMake's Release flags add -DNDEBUG; drop it so assert() guards stay live.
build_trained "$src/build-test" "$cc1" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O2 -g" -DPIISCAN_TESTS=ON -DPIISCAN_SANITIZE=OFF -DPIISCAN_FUZZ=OFF
rc=$?; stage_result "build-test" $rc
if [ $rc -eq 0 ]; then
    stage_start "ctest (Release + asserts)"
    run_ctest "$src/build-test"; stage_result "ctest" $?
else
    stage_fail_unrun "ctest" "build-test failed"
fi

# ---- 2. sanitizers -----------------------------------------------------------
if [ -n "${ASAN_CC:-}" ]; then cc2=$ASAN_CC
elif command -v clang >/dev/null 2>&1; then cc2=clang
else cc2=gcc; fi
stage_start "build (ASan + UBSan, $cc2)"
build "$src/build-asan" "$cc2" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DPIISCAN_TESTS=ON -DPIISCAN_SANITIZE=ON -DPIISCAN_FUZZ=OFF
rc=$?; stage_result "build-asan" $rc
if [ $rc -eq 0 ]; then
    stage_start "ctest (ASan + UBSan)"
    # Any report is a failure: UBSan halts instead of printing and going on.
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        run_ctest "$src/build-asan"
    stage_result "ctest-asan" $?
else
    stage_fail_unrun "ctest-asan" "build-asan failed"
fi

# ---- 3. fuzzing ------------------------------------------------------------
fuzz_cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$fuzz_cc" ]; then
    skipped_names+=("fuzz (no clang)")
elif [ ! -f "$src/tests/fuzz/CMakeLists.txt" ]; then
    skipped_names+=("fuzz (no tests/fuzz/CMakeLists.txt)")
else
    stage_start "build (libFuzzer, clang)"
    # Tests are not needed here; skipping them halves the build.
    build "$src/build-fuzz" "$fuzz_cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPIISCAN_FUZZ=ON -DPIISCAN_SANITIZE=OFF -DPIISCAN_TESTS=OFF
    rc=$?; stage_result "build-fuzz" $rc
    if [ ! -f "$src/tests/fuzz/run.sh" ]; then
        skipped_names+=("fuzz run (no tests/fuzz/run.sh)")
    elif [ $rc -eq 0 ]; then
        stage_start "fuzz (${FUZZ_SECONDS}s per target)"
        # run.sh BUILD_DIR SECONDS reconfigures with the same options
        # (a no-op here) and runs every target for SECONDS.
        CC="$fuzz_cc" bash "$src/tests/fuzz/run.sh" "$src/build-fuzz" "$FUZZ_SECONDS"
        stage_result "fuzz" $?
    else
        stage_fail_unrun "fuzz" "build-fuzz failed"
    fi
fi

# ---- 4. ThreadSanitizer --------------------------------------------------------
tsan_cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$tsan_cc" ]; then
    skipped_names+=("tsan (no clang)")
else
    stage_start "build (ThreadSanitizer, clang)"
    build "$src/build-tsan" "$tsan_cc" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DPIISCAN_TESTS=ON -DPIISCAN_TSAN=ON -DPIISCAN_SANITIZE=OFF -DPIISCAN_FUZZ=OFF
    rc=$?; stage_result "build-tsan" $rc
    if [ $rc -eq 0 ]; then
        stage_start "ctest (ThreadSanitizer, threaded end-to-end tests)"
        # A report aborts piiscan (exit 66), which every e2e check sees.
        TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$src/tests/tsan.supp} \
            run_ctest "$src/build-tsan" \
                -R '^e2e[.](archives|redact_ahead|file_reads|stdin_containers|gbk_text|small_batches|json_windows)$'
        stage_result "ctest-tsan" $?
    else
        stage_fail_unrun "ctest-tsan" "build-tsan failed"
    fi
fi

for d in "${ctest_dirs[@]}"; do show_failed_tests "$d"; done
echo
for s in "${skipped_names[@]}"; do echo "skipped: $s"; done
for s in "${failed_names[@]}"; do echo "failed: $s"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
