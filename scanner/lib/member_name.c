/*
 * member_name.c -- an archive member's name, as UTF-8 where it can be
 * (member_name.h).
 *
 * Only zip names are converted: a zip without the UTF-8 flag has names in
 * whatever code page the machine that made it used, and in China that is
 * GBK; tar and cpio names are bytes by definition (POSIX), and a pax
 * header already says UTF-8.  UTF-8 is tried first because zips made on
 * macOS and Linux store UTF-8 without setting the flag, and a valid UTF-8
 * name read as GBK would turn into other, wrong characters.
 */
#include "member_name.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* name read as GB18030, in UTF-8 (malloc'd), or NULL when it is not. */
static char *from_gb18030(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t inleft = strlen(name);
    size_t cap = 2 * inleft + 1;   /* a GB18030 character of n bytes is at most 2n in UTF-8 */
    char *out = malloc(cap);
    char *in = (char *)name, *o = out;   /* iconv's prototype is not const */
    size_t outleft = cap - 1;
    if (!out || iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 || inleft) {
        free(out);
        out = NULL;
    } else {
        *o = '\0';
    }
    iconv_close(cd);
    return out;
}

const char *pii_member_name(struct archive *a, struct archive_entry *e)
{
    const char *name = archive_entry_pathname(e);
    if (!name || pii_utf8_valid(name) || (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP)
        return name;
    char *u = from_gb18030(name);
    if (!u)
        return name;
    archive_entry_copy_pathname(e, u);
    free(u);
    return archive_entry_pathname(e);
}
