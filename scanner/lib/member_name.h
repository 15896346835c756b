/*
 * member_name.h -- an archive member's name, as UTF-8 where it can be.
 *
 * libarchive hands out names in the LC_CTYPE locale's character set (the
 * piiscan command makes that UTF-8, see cli_utf8_ctype).  Zip files made
 * on Chinese Windows store names in the ANSI code page (GBK) without the
 * zip's UTF-8 flag; libarchive passes those bytes through, and reports and
 * redacted copies would show mojibake.  pii_member_name reads such a name
 * as GB18030 (a superset of GBK) and puts the UTF-8 form in the entry, so
 * scan reports the real name and the redacted zip stores it readably (as
 * UTF-8, with the flag).
 */
#ifndef PII_MEMBER_NAME_H
#define PII_MEMBER_NAME_H

#include <stdbool.h>

#include <archive.h>
#include <archive_entry.h>

/* The name of the entry just read from a: valid UTF-8, else (a zip
 * member whose bytes are GB18030) converted in e, else its bytes as they
 * are (tar names are bytes; they are written back unchanged).  NULL when
 * libarchive has no name for it: a zip that flags a name as UTF-8 which is
 * not.  Call it right after archive_read_next_header. */
const char *pii_member_name(struct archive *a, struct archive_entry *e);

#endif
