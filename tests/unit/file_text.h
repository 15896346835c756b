/*
 * file_text.h -- a test's small files: the whole of one read into a
 * static buffer (valid until the next call), and one written from a
 * string.  A file larger than the buffer fails the test rather than
 * being cut.
 */
#ifndef PIISCAN_TEST_FILE_TEXT_H
#define PIISCAN_TEST_FILE_TEXT_H

#include <criterion/criterion.h>
#include <stdio.h>

static inline char *file_text(const char *path, size_t *len)
{
    static char buf[1 << 20];
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot open %s", path);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    cr_assert(feof(fp), "%s is larger than the test buffer", path);
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static inline void file_put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp, "cannot create %s", path);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0, "%s", path);
}

#endif
