/*
 * usage.h -- help text of the piiscan command line.
 *
 * Kept apart from option parsing so that the text, the man page and
 * tests/e2e/help_vs_man.sh can be checked against each other.
 */
#ifndef PIISCAN_CLI_USAGE_H
#define PIISCAN_CLI_USAGE_H

#include <stdio.h>

/* `piiscan --help`: commands and global options. */
void cli_usage_main(FILE *fp);
/* `piiscan scan --help`: every scan option, exit status. */
void cli_usage_scan(FILE *fp);
/* `piiscan types --help`. */
void cli_usage_types(FILE *fp);
/* `piiscan redact --help`, `reveal --help`, `keygen --help`. */
void cli_usage_redact(FILE *fp);
void cli_usage_reveal(FILE *fp);
void cli_usage_keygen(FILE *fp);

#endif
