/*
 * usage.c -- help text of the piiscan command line.
 *
 * The text documents only what the program does today; man/piiscan.1 says
 * the same at length, and tests/e2e/help_vs_man.sh fails when an option or
 * command listed here is missing from the man page.  Each block stays well
 * below the 4095-character string literal that C11 guarantees to support.
 */
#include "usage.h"

#include "piiscan.h"

static const char main_text[] =
    "Usage: piiscan COMMAND [options] [ARGS]...\n"
    "Find personal data (Chinese resident IDs, phone numbers, device IDs,\n"
    "bank cards, e-mail and IP addresses, ...) in logs and data files.\n"
    "\n"
    "Commands:\n"
    "  scan [options] [PATH|-]...  find personal data in files, directories\n"
    "                              and standard input, and report it\n"
    "  types                       list every detector: type name, when it is\n"
    "                              reported, a fake example, description\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help and exit\n"
    "      --version  show the version and exit\n"
    "\n"
    "Run 'piiscan COMMAND --help' for the options of a command, and\n"
    "'man piiscan' for the full manual.\n";

static const char scan_head[] =
    "Usage: piiscan scan [options] [PATH|-]...\n"
    "Find personal data in files, directories (recursively; symbolic links\n"
    "inside directories are not followed) and standard input ('-', or no\n"
    "PATH when standard input is not a terminal).\n"
    "\n";

static const char scan_options[] =
    "Options:\n"
    "  -f, --format FMT         report format: summary (default), jsonl,\n"
    "                           json, sarif, csv\n"
    "  -o, --output FILE        write the report to FILE (through a temporary\n"
    "                           file in the same directory, renamed when\n"
    "                           complete; never a half-written report)\n"
    "      --min-confidence X   report findings with confidence >= X\n"
    "                           (0..1, default 0.5)\n"
    "      --types LIST         report only these types (comma-separated\n"
    "                           type names, see 'piiscan types')\n"
    "      --show-values        include raw values in the report (by default\n"
    "                           a report carries a masked preview and a keyed\n"
    "                           fingerprint, never the value)\n"
    "      --key-file FILE      key for fingerprints: 64 hex digits or at\n"
    "                           least 16 raw bytes; FILE must be mode 0600 or\n"
    "                           stricter. Without it: PIISCAN_KEY (hex);\n"
    "                           without either, a random key per run, so\n"
    "                           fingerprints group equal values only within\n"
    "                           one report\n"
    "      --window-size BYTES  scan window size (default 1048576, from 4096\n"
    "                           to 1024M; suffixes K and M)\n"
    "  -q, --quiet              do not print notes (skipped special files,\n"
    "                           binary, empty and non-UTF-8 files); errors\n"
    "                           are always printed\n"
    "  -h, --help               show this help and exit\n"
    "\n";

static const char scan_tail[] =
    "Exit status:\n"
    "  0  nothing found and every input scanned\n"
    "  1  personal data found\n"
    "  2  an error (an input could not be read or was a special file, a bad\n"
    "     option, an unreadable key file); 2 wins over 1\n"
    "\n"
    "Messages go to standard error, one line each: 'piiscan: PATH: message'.\n"
    "Binary files and files that are not valid UTF-8 are still scanned as\n"
    "bytes; FIFOs, devices and sockets are skipped and count as errors.\n"
    "\n"
    "Examples:\n"
    "  piiscan scan logs/\n"
    "  piiscan scan -f jsonl -o report.jsonl /var/log/app\n"
    "  zcat app.log.gz | piiscan scan --types CN_MOBILE,CN_RESIDENT_ID -\n";

static const char types_text[] =
    "Usage: piiscan types\n"
    "List every detector: the type name used in reports and\n"
    "in --types, when it is reported (always, or only under a key or after\n"
    "a hotword), a fake example, and a description.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help and exit\n";

void cli_usage_main(FILE *fp)
{
    fprintf(fp, "piiscan %s\n", PIISCAN_VERSION);
    fputs(main_text, fp);
}

void cli_usage_scan(FILE *fp)
{
    fputs(scan_head, fp);
    fputs(scan_options, fp);
    fputs(scan_tail, fp);
}

void cli_usage_types(FILE *fp)
{
    fputs(types_text, fp);
}
