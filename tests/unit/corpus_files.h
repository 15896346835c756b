/*
 * corpus_files.h -- a test's walk over the text files of corpora/: each
 * file up to 4 MiB, read whole, handed to a callback; returns how many.
 */
#ifndef PIISCAN_TEST_CORPUS_FILES_H
#define PIISCAN_TEST_CORPUS_FILES_H

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*corpus_fn)(const char *path, const uint8_t *p, size_t n);
static corpus_fn corpus_each_fn;
static size_t corpus_each_files;

static int corpus_each_file(const char *path, const struct stat *st, int kind, struct FTW *ftw)
{
    (void)ftw;
    if (kind != FTW_F || st->st_size == 0 || st->st_size > (4 << 20))
        return 0;
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    uint8_t *buf = malloc((size_t)st->st_size);
    cr_assert_not_null(buf);
    size_t n = fread(buf, 1, (size_t)st->st_size, f);
    fclose(f);
    corpus_each_fn(path, buf, n);
    corpus_each_files++;
    free(buf);
    return 0;
}

static size_t corpus_each(corpus_fn fn)
{
    corpus_each_fn = fn;
    corpus_each_files = 0;
    cr_assert_eq(nftw(PIISCAN_SOURCE_DIR "/corpora", corpus_each_file, 16, FTW_PHYS), 0);
    cr_assert_gt(corpus_each_files, 40, "the corpora were read");
    return corpus_each_files;
}

#endif
