/*
 * test_public_text.c -- the public text helpers the command line uses in
 * place of library internals (piiscan.h): piiscan_sniff_block tells
 * binary, non-UTF-8 and UTF-16 streams across block boundaries, and
 * piiscan_put_safe keeps outside text from acting on a terminal.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"

static piiscan_sniff feed(const char *s, size_t n, size_t chunk)
{
    piiscan_sniff sn;
    memset(&sn, 0, sizeof sn);
    for (size_t i = 0; i < n; i += chunk)
        piiscan_sniff_block(&sn, s + i, n - i < chunk ? n - i : chunk);
    return sn;
}

Test(public_text, sniff_finds_gbk_nul_and_utf16_across_blocks)
{
    const char gbk[] = "abc\xca\xd6\xbb\xfa 138";
    const char bin[] = "abcdef\0gh";
    const char u16[] = "\xff\xfet\0e\0l\0";
    const char utf8[] = "手机 13812345678";
    for (size_t chunk = 1; chunk < 8; chunk++) {
        piiscan_sniff a = feed(gbk, sizeof gbk - 1, chunk);
        cr_expect(a.bad_utf8 && a.bad_at == 3 && !a.has_nul, "chunk %zu: %d at %zu", chunk, a.bad_utf8, a.bad_at);
        piiscan_sniff b = feed(bin, sizeof bin - 1, chunk);
        cr_expect(b.has_nul && b.nul_at == 6 && !b.utf16, "chunk %zu", chunk);
        piiscan_sniff c = feed(u16, sizeof u16 - 1, chunk);
        cr_expect(c.utf16, "chunk %zu", chunk);
        piiscan_sniff d = feed(utf8, sizeof utf8 - 1, chunk);
        cr_expect(!d.bad_utf8 && !d.has_nul && !d.utf16, "chunk %zu", chunk);
    }
}

Test(public_text, put_safe_neutralises_control_characters)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cr_assert_not_null(fp);
    size_t w = piiscan_put_safe(fp, "a\nb\x1b[31mc");
    cr_assert_eq(fclose(fp), 0);
    cr_assert_null(strchr(buf, '\n'), "%s", buf);
    cr_assert_null(strchr(buf, '\x1b'), "%s", buf);
    cr_assert_eq(w, strlen(buf));
    cr_assert_eq(piiscan_put_safe(NULL, "手机"), 4, "CJK counts two columns each");
    free(buf);
}
