/* test_sniff.c -- binary / UTF-8 sniffing across read boundaries. */
#include <criterion/criterion.h>
#include <string.h>

#include "sniff.h"

static sniff feed(const char *s, size_t n, size_t chunk)
{
    sniff sn = { 0 };
    for (size_t i = 0; i < n; i += chunk)
        sniff_block(&sn, (const unsigned char *)s + i, n - i < chunk ? n - i : chunk);
    return sn;
}

Test(sniff, valid_utf8_split_at_every_position_is_valid)
{
    const char *s = "手机：13812345678，邮箱 a@b.cn 😀 end";
    size_t n = strlen(s);
    for (size_t chunk = 1; chunk <= n; chunk++) {
        sniff sn = feed(s, n, chunk);
        cr_expect(!sn.bad_utf8, "chunk %zu: bad at %zu", chunk, sn.bad_at);
        cr_expect(!sn.has_nul);
    }
}

Test(sniff, gbk_is_reported_with_its_file_offset)
{
    const char s[] = "abc\xca\xd6\xbb\xfa 138";   /* 手机 in GBK */
    for (size_t chunk = 1; chunk < sizeof s; chunk++) {
        sniff sn = feed(s, sizeof s - 1, chunk);
        cr_expect(sn.bad_utf8, "chunk %zu", chunk);
        cr_expect_eq(sn.bad_at, 3, "chunk %zu: at %zu", chunk, sn.bad_at);
    }
}

Test(sniff, a_file_cut_inside_a_character_is_still_utf8)
{
    const char cut[] = "\x89\x8b\xe6\x9c\xba\xe5\x8f\xb7 13812345678";   /* 手 cut to its last two bytes, then 机号 */
    const char four[] = "\x80\x80\x80\x80" "abc";
    const char gbk[] = "\xca\xd6\xbb\xfa 138";
    for (size_t chunk = 1; chunk < sizeof cut; chunk++) {
        sniff sn = feed(cut, sizeof cut - 1, chunk);
        cr_expect(!sn.bad_utf8, "chunk %zu: bad at %zu", chunk, sn.bad_at);
        sn = feed(four, sizeof four - 1, chunk < sizeof four ? chunk : 1);
        cr_expect(sn.bad_utf8 && sn.bad_at == 3, "four continuation bytes, chunk %zu: at %zu", chunk, sn.bad_at);
        sn = feed(gbk, sizeof gbk - 1, chunk < sizeof gbk ? chunk : 1);
        cr_expect(sn.bad_utf8 && sn.bad_at == 0, "GBK from the first byte, chunk %zu: at %zu", chunk, sn.bad_at);
    }
    cr_expect(feed("abc\x80", 4, 4).bad_utf8, "a continuation byte later on is an error");
}

Test(sniff, overlong_and_surrogates_are_invalid)
{
    cr_expect(feed("\xc0\xaf", 2, 2).bad_utf8);
    cr_expect(feed("\xed\xa0\x80", 3, 3).bad_utf8);
    cr_expect(feed("\xf4\x90\x80\x80", 4, 4).bad_utf8);
}

Test(sniff, nul_offset_is_absolute)
{
    const char s[] = "0123456789\0abc";
    sniff sn = feed(s, sizeof s - 1, 4);
    cr_expect(sn.has_nul);
    cr_expect_eq(sn.nul_at, 10);
}

/* Unicode's table of well-formed three-byte sequences (3-7). */
static bool well_formed3(unsigned a, unsigned b, unsigned c)
{
    unsigned lo = a == 0xE0 ? 0xA0 : 0x80, hi = a == 0xED ? 0x9F : 0xBF;
    return a >= 0xE0 && a <= 0xEF && b >= lo && b <= hi && c >= 0x80 && c <= 0xBF;
}

Test(sniff, every_three_byte_sequence_is_judged_as_unicode_says)
{
    /* Every lead and second byte; third bytes at the class edges. */
    static const unsigned THIRD[] = { 0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xE4, 0xFF };
    for (unsigned a = 0xE0; a <= 0xEF; a++)
        for (unsigned b = 0; b < 256; b++)
            for (size_t k = 0; k < sizeof THIRD / sizeof THIRD[0]; k++) {
                unsigned c = THIRD[k];
                const char s[] = { 'a', (char)a, (char)b, (char)c, 'z' };
                bool want_bad = !well_formed3(a, b, c);
                sniff whole = feed(s, sizeof s, sizeof s), bytes = feed(s, sizeof s, 1);
                bool ok = whole.bad_utf8 == want_bad && bytes.bad_utf8 == want_bad &&
                          (!want_bad || (whole.bad_at == 1 && bytes.bad_at == 1));
                if (!ok)
                    cr_expect(ok, "%02x %02x %02x: bad %d/%d at %zu/%zu, want bad %d", a, b, c, whole.bad_utf8,
                              bytes.bad_utf8, whole.bad_at, bytes.bad_at, want_bad);
            }
}

/* Only a mark at the very start of the file makes it UTF-16 text. */
Test(sniff, utf16_byte_order_mark_at_the_start_only)
{
    cr_assert(feed("\xff\xfe" "p\0h\0", 6, 6).utf16);
    cr_assert(feed("\xfe\xff" "\0p\0h", 6, 1).utf16, "the mark is judged on the first block");
    cr_assert(!feed("ab\xff\xfe", 4, 4).utf16);
    cr_assert(!feed("\xff", 1, 1).utf16);
    cr_assert(!feed("\xef\xbb\xbf" "abc", 6, 6).utf16, "a UTF-8 byte-order mark is UTF-8");
}
