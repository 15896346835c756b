/* cli.h -- the subcommands of the piiscan command line. */
#ifndef PIISCAN_CLI_H
#define PIISCAN_CLI_H

int cmd_scan(int argc, char **argv);
int cmd_types(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_reveal(int argc, char **argv);
int cmd_keygen(int argc, char **argv);

#include <stddef.h>
/* "1048576", "64K", "1M": 4096..1G bytes; 0 or -1. */
int cli_parse_size(const char *s, size_t *out);
/* A confidence from 0 to 1; 0 or -1. */
int cli_parse_confidence(const char *s, double *out);
/* "0".."256" (0: all online CPUs); 0 or -1. */
int cli_parse_threads(const char *s, int *out);
/* The option getopt_long just rejected ('?', or ':' with missing_value),
 * as the user wrote it: "-j" out of "-j1" or "-qj", "--thread".
 * optstring is the short options given to getopt_long. */
#include <stdbool.h>
const char *cli_bad_option(char **argv, const char *optstring, bool missing_value, char *buf, size_t len);

/* "piiscan: PATH: message" on stderr, path and message made safe for a
 * terminal (piiscan_put_safe): a name with a newline or an escape sequence
 * stays on its line and cannot act on the terminal.  path NULL: no PATH
 * part (the message names its file itself, as keyfile.c's do). */
void cli_say(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The canonical path that path will have, without creating anything:
 * realpath of its longest existing ancestor plus the missing components
 * (plain names).  out holds PATH_MAX bytes.  0, or -1 with errno set.
 * (An output directory is checked before it is made: making it first would
 * leave a directory inside an input that is then refused.) */
int cli_future_realpath(const char *path, char *out);

/* Make LC_CTYPE a UTF-8 locale whatever the environment says.  libarchive
 * converts member names between an archive's character set and LC_CTYPE;
 * in the "C" locale of cron jobs and containers it can convert no
 * non-ASCII name at all (a zip member 手机号.txt was reported without its
 * name, and redacting the zip crashed libarchive's writer), and under a
 * GB18030 locale names would come out in GB18030.  Reports are UTF-8, so
 * names must be too.  false: no UTF-8 locale exists (names stay bytes). */
bool cli_utf8_ctype(void);

#endif
