#!/usr/bin/env bash
# help_vs_man.sh -- the man page documents everything the --help texts list.
#
# For `piiscan --help` and the --help of every command:
# every long option (--xxx) and short option (-x) must appear in
# man/piiscan.1, and every command of the main help must appear in the man
# page's SYNOPSIS and COMMANDS.  The other way round, every long option in
# the man page's OPTIONS section must exist in some --help text, so the man
# page cannot document an option the program does not have.
#
# Env (set by ctest): PIISCAN = binary, SRCDIR = repository root.
set -uo pipefail

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PIISCAN=${PIISCAN:-$SRCDIR/build/piiscan}
man_page=$SRCDIR/man/piiscan.1

passed=0
failed=0
missing=()

check() { # description, then the test command
    local what=$1; shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); missing+=("$what")
    fi
}

finish() {
    for m in "${missing[@]}"; do echo "FAIL: $m"; done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

if [ ! -x "$PIISCAN" ]; then
    failed=1; missing+=("binary $PIISCAN is not executable"); finish
fi
if [ ! -r "$man_page" ]; then
    failed=1; missing+=("man page $man_page is missing"); finish
fi

# Plain text of the man page: roff's \- is a real hyphen, font and
# hyphenation escapes disappear, \(dq is a double quote.
man_text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\%//g' -e 's/\\&//g' \
               -e 's/\\(dq/"/g' "$man_page")

# The text of one .SH section (name as written after .SH, without quotes).
man_section() {
    printf '%s\n' "$man_text" | awk -v want="$1" '
        /^\.SH / { name = substr($0, 5); gsub(/"/, "", name); on = (name == want); next }
        on'
}

# shellcheck disable=SC2317  # called through check()
# Whole-option match: not preceded or followed by a letter, digit or dash,
# so "-f" is not satisfied by "--format" and "--type" not by "--types".
# A here-string, not a pipe: grep -q exits at the first match, and with
# pipefail the writer's SIGPIPE would turn a match into a failure.
has_option() { # text option
    grep -qE -- "(^|[^-[:alnum:]])$2([^-[:alnum:]]|\$)" <<<"$1"
}

help_main=$("$PIISCAN" --help 2>&1);        rc_main=$?
help_scan=$("$PIISCAN" scan --help 2>&1);   rc_scan=$?
help_types=$("$PIISCAN" types --help 2>&1); rc_types=$?
help_redact=$("$PIISCAN" redact --help 2>&1); rc_redact=$?
help_reveal=$("$PIISCAN" reveal --help 2>&1); rc_reveal=$?
help_keygen=$("$PIISCAN" keygen --help 2>&1); rc_keygen=$?
check "'piiscan --help' exits 0 (got $rc_main)" [ "$rc_main" -eq 0 ]
check "'piiscan scan --help' exits 0 (got $rc_scan)" [ "$rc_scan" -eq 0 ]
check "'piiscan types --help' exits 0 (got $rc_types)" [ "$rc_types" -eq 0 ]
check "'piiscan redact --help' exits 0 (got $rc_redact)" [ "$rc_redact" -eq 0 ]
check "'piiscan reveal --help' exits 0 (got $rc_reveal)" [ "$rc_reveal" -eq 0 ]
check "'piiscan keygen --help' exits 0 (got $rc_keygen)" [ "$rc_keygen" -eq 0 ]
check "'piiscan --help' mentions the scan command" has_option "$help_main" scan
all_help=$(printf '%s\n' "$help_main" "$help_scan" "$help_types" "$help_redact" "$help_reveal" "$help_keygen")

# Help text is read in terminals: keep it within 80 columns.
long_lines=$(printf '%s\n' "$all_help" | awk 'length > 79' | head -3)
check "help lines longer than 79 columns: $long_lines" [ -z "$long_lines" ]

long_opts=$(printf '%s\n' "$all_help" | grep -oE -- '--[[:alpha:]][[:alnum:]-]*[[:alnum:]]' | sort -u)
short_opts=$(printf '%s\n' "$all_help" |
    grep -oE -- '(^|[[:space:],[(|])-[[:alnum:]]([^-[:alnum:]]|$)' |
    grep -oE -- '-[[:alnum:]]' | sort -u)
check "--help texts list long options" [ -n "$long_opts" ]
check "--help texts list short options" [ -n "$short_opts" ]

for o in $long_opts $short_opts; do
    check "option $o (from --help) missing in man/piiscan.1" has_option "$man_text" "$o"
done

# Commands: the indented first words of the "Commands:" block of the main help.
commands=$(printf '%s\n' "$help_main" |
    awk '/^Commands:/ { on = 1; next } on && /^[^ ]/ { on = 0 }
         on && /^  [a-z]/ { print $1 }')
check "'piiscan --help' has a Commands: block" [ -n "$commands" ]
synopsis=$(man_section SYNOPSIS)
commands_sec=$(man_section COMMANDS)
for c in $commands; do
    check "command $c missing in the man page SYNOPSIS" has_option "$synopsis" "$c"
    check "command $c missing in the man page COMMANDS" has_option "$commands_sec" "$c"
done

# Reverse: the OPTIONS section documents no option the program lacks.
man_opts=$(man_section OPTIONS | grep -oE -- '--[[:alpha:]][[:alnum:]-]*[[:alnum:]]' | sort -u)
for o in $man_opts; do
    check "option $o (from the man page OPTIONS) is in no --help text" has_option "$all_help" "$o"
done

finish
