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
    "  redact [options] PATH... -o OUTDIR\n"
    "                              de-identify files into OUTDIR (same tree)\n"
    "  redact [options] -          filter standard input to standard output\n"
    "  reveal [options] ...        undo encrypt and fpe (needs the key)\n"
    "  keygen [-o FILE]            print or write a new random key\n"
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
    "PATH when standard input is not a terminal; a compressed file or an\n"
    "archive there is read like that file).\n"
    "\n";

static const char scan_options[] =
    "Options:\n"
    "  -f, --format FMT         report format: summary (default), jsonl,\n"
    "                           json, sarif, csv, columns (per file and\n"
    "                           CSV/JSON/SQL column: types, share of rows)\n"
    "  -o, --output FILE        write the report to FILE (through a temporary\n"
    "                           file in the same directory, renamed when\n"
    "                           complete; never a half-written report);\n"
    "                           refused (exit 2, nothing written) when FILE\n"
    "                           is an input, the key file or the\n"
    "                           --incremental file\n"
    "      --min-confidence X   report findings with confidence >= X\n"
    "                           (0..1, default 0.5)\n"
    "      --types LIST         report only these types (comma-separated\n"
    "                           type names, see 'piiscan types'; none\n"
    "                           empty)\n"
    "      --show-values        include raw values in the report (by default\n"
    "                           a report carries a masked preview and a keyed\n"
    "                           fingerprint, never the value; a new -o\n"
    "                           file is then made with mode 0600)\n"
    "      --key-file FILE      key for fingerprints: 64 hex digits or at\n"
    "                           least 16 raw bytes; FILE must be mode 0600 or\n"
    "                           stricter. Without it: PIISCAN_KEY (hex);\n"
    "                           without either, a random key per run, so\n"
    "                           fingerprints group equal values only within\n"
    "                           one report\n"
    "      --window-size BYTES  scan window size (default 1048576, from 4096\n"
    "                           to 1024M; suffixes K and M)\n"
    "      --max-depth N        containers followed inside containers\n"
    "                           (default 4; deeper ones are an error)\n"
    "      --max-expansion BYTES  decompressed bytes per input file (default\n"
    "                           64G; suffixes K, M, G, T)\n"
    "      --max-ratio R        stop a member that expands more than R times\n"
    "                           (default 1000): a decompression bomb\n"
    "      --threads N          detection threads (default 0: all CPUs); one\n"
    "                           large file or stdin is split over them too,\n"
    "                           and up to 4 archives are decompressed at once\n"
    "      --include GLOB       in directories, scan only files matching GLOB\n"
    "                           (repeatable; a GLOB without '/' matches names\n"
    "                           at any depth, one with '/' the path below the\n"
    "                           directory given); paths given are always read\n"
    "      --exclude GLOB       skip files and directories matching GLOB\n"
    "                           (repeatable; GLOB/ matches directories only)\n"
    "      --incremental FILE   skip files unchanged (size, times, inode)\n"
    "                           since the run that wrote FILE; FILE is then\n"
    "                           rewritten, after the report is complete,\n"
    "                           with the files scanned without error\n"
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
    "Messages go to standard error, one line each: 'piiscan: PATH: message'\n"
    "(control characters in PATH shown as '?').  An output is never an\n"
    "input: one in a directory scanned is skipped by the walk.\n"
    "Binary files and files that are not valid UTF-8 are still scanned as\n"
    "bytes; FIFOs, devices and sockets are skipped and count as errors.\n"
    "\n"
    "Examples:\n"
    "  piiscan scan logs/\n"
    "  piiscan scan -f jsonl -o report.jsonl /var/log/app\n"
    "  piiscan scan -q --incremental /var/lib/piiscan/app.cache \\\n"
    "      --exclude '*.png' -f jsonl -o new.jsonl /srv/exports\n"
    "  zcat app.log.gz | piiscan scan --types CN_MOBILE,CN_RESIDENT_ID -\n";

static const char types_text[] =
    "Usage: piiscan types\n"
    "List every detector: the type name used in reports and\n"
    "in --types, when it is reported (always, or only under a key or after\n"
    "a hotword), a fake example, and a description.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help and exit\n";

static const char redact_text[] =
    "Usage: piiscan redact [options] PATH... -o OUTDIR\n"
    "       piiscan redact [options] -\n"
    "Copy files (directories recursively) into OUTDIR/NAME/... with every\n"
    "finding replaced by its operator; all other bytes are copied unchanged.\n"
    "'-' filters standard input to standard output (a compressed file or an\n"
    "archive there comes out in its own format).\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR      output directory (must not be or be inside an\n"
    "                           input); each file is written to a temporary\n"
    "                           name and renamed when complete\n"
    "      --policy FILE        YAML policy: default, min_confidence, types,\n"
    "                           keys (see piiscan(1) and corpora/policies/)\n"
    "      --op TYPE=OP         operator for TYPE (repeatable; overrides the\n"
    "                           policy): mask, replace, hash, encrypt, fpe,\n"
    "                           generalize, keep, with parameters such as\n"
    "                           mask:keep_first=3,keep_last=4,char=#\n"
    "      --default-op OP      operator for every type not named (default:\n"
    "                           mask)\n"
    "      --key-file FILE      key for hash, encrypt and fpe (mode 0600 or\n"
    "                           stricter); or PIISCAN_KEY (hex). Never on the\n"
    "                           command line\n"
    "      --report FILE        write the JSONL findings that were changed\n"
    "                           (previews and fingerprints, no raw values);\n"
    "                           refused when FILE is an input, the key, the\n"
    "                           policy or the --incremental file\n"
    "      --force              replace existing output files (never an\n"
    "                           input, nor another input's copy: two inputs\n"
    "                           with one copy are an error)\n"
    "      --min-confidence X   act on findings with confidence >= X\n"
    "      --window-size BYTES  scan window size (default 1048576)\n"
    "      --threads N          threads (default 0: all CPUs); a large file\n"
    "                           or stdin is split over them, and gzip output\n"
    "                           (.gz, .tar.gz) is compressed on them\n"
    "      --max-depth N, --max-expansion BYTES, --max-ratio R\n"
    "                           archive limits, as for scan\n"
    "      --include GLOB, --exclude GLOB\n"
    "                           which files of a directory are copied, as\n"
    "                           for scan; the others are not written\n"
    "      --incremental FILE   skip inputs unchanged since the run that\n"
    "                           wrote FILE whose copies are unchanged too;\n"
    "                           a copy FILE names is replaced without --force\n"
    "      --extract-unwritable when an archive's format cannot be written\n"
    "                           (rar), put its redacted members under\n"
    "                           OUTDIR/.../NAME.d/ instead of skipping it\n"
    "  -q, --quiet              do not print notes\n"
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 every input written, 2 an error (that file's output is\n"
    "not written: a value an operator cannot transform is never let through).\n";

static const char reveal_text[] =
    "Usage: piiscan reveal --key-file K [--policy FILE] [--op TYPE=OP]...\n"
    "                      PATH... -o OUTDIR\n"
    "       piiscan reveal --key-file K [--op TYPE=OP]... -\n"
    "       piiscan reveal --key-file K --type TYPE VALUE...\n"
    "Undo the reversible operators: encrypt tokens (TYPE_ENC_...) anywhere,\n"
    "and fpe values of the types whose operator (from the same --policy and\n"
    "--op options that produced the files) is fpe.\n"
    "\n"
    "Options: -o/--output, --policy, --op, --default-op, --key-file, --force,\n"
    "--min-confidence, --window-size, --threads, -q/--quiet as for\n"
    "redact, and\n"
    "      --type TYPE          reveal the VALUE arguments (tokens or fpe\n"
    "                           values of TYPE), one result per line\n"
    "  -h, --help               show this help and exit\n";

static const char keygen_text[] =
    "Usage: piiscan keygen [-o FILE]\n"
    "Print a new random 256-bit key (OpenSSL RAND_bytes) as 64 hex digits,\n"
    "or write it to a new FILE created with mode 0600.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  write the key to FILE (never overwrites)\n"
    "  -h, --help         show this help and exit\n";

void cli_usage_redact(FILE *fp) { fputs(redact_text, fp); }
void cli_usage_reveal(FILE *fp) { fputs(reveal_text, fp); }
void cli_usage_keygen(FILE *fp) { fputs(keygen_text, fp); }

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
