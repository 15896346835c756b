/*
 * test_member_name.c -- archive member names as UTF-8 (member_name.c):
 * the zips of corpora/names/ (flagged UTF-8, unflagged UTF-8, unflagged
 * GBK, a lying flag), a tar whose name is Latin-1 bytes, and the UTF-8
 * validity check the conversion rests on.
 */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "member_name.h"
#include "report_int.h"

#define NAMES PIISCAN_SOURCE_DIR "/corpora/names/"
#define WANT "客户资料/手机号.txt"

/* libarchive converts names to LC_CTYPE; the piiscan command sets C.UTF-8
 * (cli_utf8_ctype), so the tests do as it does. */
static void utf8_locale(void)
{
    cr_assert_not_null(setlocale(LC_CTYPE, "C.UTF-8"));
}

/* The next member's name as pii_member_name gives it ("" for NULL). */
static void first_name(struct archive *a, char *out, size_t cap)
{
    struct archive_entry *e;
    int r = archive_read_next_header(a, &e);
    cr_assert(r == ARCHIVE_OK || r == ARCHIVE_WARN, "header: %s", archive_error_string(a));
    const char *n = pii_member_name(a, e);
    snprintf(out, cap, "%s", n ? n : "");
    /* The entry holds the converted name: what a rewrite writes back. */
    const char *again = archive_entry_pathname(e);
    if (n)
        cr_expect_str_eq(again, n);
}

/* The name of member k (0: the first) of a zip. */
static void zip_name(const char *file, int k, char *out, size_t cap)
{
    struct archive *a = archive_read_new();
    archive_read_support_format_zip(a);
    cr_assert_eq(archive_read_open_filename(a, file, 4096), ARCHIVE_OK, "%s", file);
    for (int i = 0; i <= k; i++)
        first_name(a, out, cap);
    archive_read_free(a);
}


TestSuite(member_name, .init = utf8_locale);

/* Each zip of corpora/names/: member k's name as it must come out ("":
 * none can be read). */
Test(member_name, zips_of_every_kind)
{
    static const struct {
        const char *file;
        int k;
        const char *want;
    } cases[] = {
        { NAMES "utf8-flagged.zip", 0, WANT },
        { NAMES "utf8-unflagged.zip", 0, WANT },
        /* Read as GBK these bytes would be two other, valid characters. */
        { NAMES "utf8-unflagged.zip", 1, "中文.txt" },
        { NAMES "gbk-unflagged.zip", 0, WANT },
        { NAMES "flag-lies.zip", 0, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char n[256];
        zip_name(cases[i].file, cases[i].k, n, sizeof n);
        cr_expect_str_eq(n, cases[i].want, "%s member %d", cases[i].file, cases[i].k);
    }
}

/* A ustar header with one member named "caf\xe9.txt" (Latin-1): tar names
 * are bytes, and a tar copy must keep them. */
Test(member_name, tar_bytes_are_kept)
{
    static unsigned char tar[1024];
    memset(tar, 0, sizeof tar);
    memcpy(tar, "caf\xe9.txt", 8);
    memcpy(tar + 100, "0000644", 7);
    memcpy(tar + 108, "0000000", 7);
    memcpy(tar + 116, "0000000", 7);
    memcpy(tar + 124, "00000000000", 11);
    memcpy(tar + 136, "00000000000", 11);
    tar[156] = '0';
    memcpy(tar + 257, "ustar", 6);
    memcpy(tar + 263, "00", 2);
    memset(tar + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += tar[i];
    snprintf((char *)tar + 148, 8, "%06o", sum);
    struct archive *a = archive_read_new();
    archive_read_support_format_tar(a);
    cr_assert_eq(archive_read_open_memory(a, tar, sizeof tar), ARCHIVE_OK);
    char n[256];
    first_name(a, n, sizeof n);
    archive_read_free(a);
    cr_expect_str_eq(n, "caf\xe9.txt");
}

Test(member_name, utf8_validity)
{
    cr_expect(pii_utf8_valid(""));
    cr_expect(pii_utf8_valid("plain.txt"));
    cr_expect(pii_utf8_valid(WANT));
    cr_expect(pii_utf8_valid("\xf0\x9f\x98\x80"));        /* U+1F600 */
    cr_expect_not(pii_utf8_valid("\xc3\x28"));            /* bad continuation */
    cr_expect_not(pii_utf8_valid("\xc0\xaf"));            /* overlong '/' */
    cr_expect_not(pii_utf8_valid("\xed\xa0\x80"));        /* surrogate D800 */
    cr_expect_not(pii_utf8_valid("\xe6\x89"));            /* cut short */
    cr_expect_not(pii_utf8_valid("\xbf\xcd\xbb\xa7"));    /* 客户 in GBK */
}
