/*
 * op_fpe.c -- the fpe operator: FF1 pseudonyms that still look real.
 *
 * The value is seen as its letters and digits (op_syms.c); separators,
 * "+86", parentheses and full-width forms stay where they are.  Per type a
 * fixed prefix stays (what makes the value plausible and is shared by many
 * people: network prefix, IIN, TAC, OUI, MCC+MNC, area code, document
 * letters), FF1 under the FPE sub-key permutes the rest over its own
 * alphabet, and check characters are recomputed so the result passes the
 * same validator.  The tweak is the type name plus the kept prefix, so equal
 * tails under different prefixes do not encrypt alike.
 *
 * Check characters keep their "error offset": new check = correct check of
 * the new value + (old check - correct check of the old value).  A valid
 * input (offset 0) gives a valid output, and an input with a wrong check
 * character (some UnionPay cards) still round-trips exactly.
 *
 * Where only part of the FF1 range is acceptable (allocated mobile
 * prefixes, local numbers not starting 0/1/9, unicast MACs, the resident-ID
 * domain) FF1 is applied again until the result is acceptable: cycle
 * walking, which keeps the map a permutation of the acceptable values, so
 * reveal walks back the same way.
 *
 * Letter case of hex and alphanumeric values: the encrypted letters take
 * the case of the value (upper when its encrypted letters are all upper
 * case; lower otherwise).  When that case could not be read back from the
 * output -- because the output's encrypted part has no letters and the kept
 * part suggests the other case -- cycle walking also requires a letter.
 * Mixed-case values come back in lower case.
 *
 * IP addresses are handled on their text (bottom of the file): the output
 * has exactly the input's shape (octet widths; IPv6 groups, leading zeros,
 * "::", case, zone), so reveal gives back the exact input bytes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "op_int.h"
#include "validate.h"

#define CYCLE_MAX 10000

typedef struct fpe_job fpe_job;
struct fpe_job {
    piiscan_type t;
    char s[PII_SYM_MAX];        /* the value's symbols */
    size_t n;
    uint8_t e[PII_SYM_MAX];     /* positions FF1 changes, in order */
    size_t ne;
    bool changed[PII_SYM_MAX];  /* e plus recomputed check positions */
    unsigned radix;
    uint8_t tweak[64];
    size_t tlen;
    bool upper, need_letter;
    size_t aux;                 /* per-type: country-code length, ... */
    bool (*ok)(const fpe_job *j, const char *s);
    void (*fix)(const fpe_job *j, const char *src, char *dst);
};

/* ---- small helpers ----------------------------------------------------- */

static bool is_dig(char c) { return c >= '0' && c <= '9'; }
static bool is_up(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_low(char c) { return c >= 'a' && c <= 'z'; }

static bool digits(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_dig(s[i]))
            return false;
    return to > from;
}

static int sym_val(char c)
{
    if (is_dig(c))
        return c - '0';
    if (is_low(c))
        return c - 'a' + 10;
    if (is_up(c))
        return c - 'A' + 10;
    return 99;
}

static char sym_chr(unsigned v, bool upper)
{
    if (v < 10)
        return (char)('0' + v);
    return (char)((upper ? 'A' : 'a') + (int)v - 10);
}

static unsigned num(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

static void encrypt_range(fpe_job *j, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        j->e[j->ne++] = (uint8_t)i;
        j->changed[i] = true;
    }
}

/* Tweak = type name, '|', the kept prefix in lower case. */
static void set_tweak(fpe_job *j, const char *prefix, size_t pl)
{
    const char *name = piiscan_type_name(j->t);
    size_t nl = strlen(name);
    memcpy(j->tweak, name, nl);
    j->tlen = nl;
    if (pl == 0)
        return;
    j->tweak[j->tlen++] = '|';
    for (size_t i = 0; i < pl && j->tlen < sizeof j->tweak; i++)
        j->tweak[j->tlen++] = (uint8_t)(is_up(prefix[i]) ? prefix[i] + 32 : prefix[i]);
}

/* ---- check characters (error offset kept, see top) --------------------- */

static void fix_luhn(const fpe_job *j, const char *src, char *dst)
{
    size_t c = j->n - 1;
    int off = (src[c] - pii_luhn_digit(src, c) + 10) % 10;
    dst[c] = (char)('0' + (pii_luhn_digit(dst, c) - '0' + off) % 10);
}

static unsigned hexv(char c) { return (unsigned)sym_val(c); }

/* MEID check: Luhn in base 16 over the 14-digit body (3GPP2 S.R0048). */
static unsigned meid_check(const char *s)
{
    unsigned sum = 0;
    for (int i = 13; i >= 0; i--) {
        unsigned v = hexv(s[i]);
        if ((13 - i) % 2 == 0) {
            v *= 2;
            v = v / 16 + v % 16;
        }
        sum += v;
    }
    return (16 - sum % 16) % 16;
}

static void fix_meid(const fpe_job *j, const char *src, char *dst)
{
    unsigned off = (hexv(src[14]) + 16 - meid_check(src)) % 16;
    dst[14] = sym_chr((meid_check(dst) + off) % 16, j->upper);
}

/* HKID: weighted sum of letters (space = 36) and digits; the check makes
 * the total divisible by 11 and is written 0-9 or A (10). */
static unsigned hkid_required(const char *s, size_t n)
{
    size_t nl = n - 7;
    unsigned sum = nl == 1 ? 36 * 9 : (unsigned)(s[0] - 'A' + 10) * 9;
    sum += (unsigned)(s[nl - 1] - 'A' + 10) * 8;
    for (size_t i = 0; i < 6; i++)
        sum += (unsigned)(s[nl + i] - '0') * (unsigned)(7 - i);
    return (11 - sum % 11) % 11;
}

static unsigned hkid_val(char c) { return c == 'A' ? 10 : (unsigned)(c - '0'); }

static void fix_hkid(const fpe_job *j, const char *src, char *dst)
{
    unsigned off = (hkid_val(src[j->n - 1]) + 11 - hkid_required(src, j->n)) % 11;
    unsigned c = (hkid_required(dst, j->n) + off) % 11;
    dst[j->n - 1] = c == 10 ? 'A' : (char)('0' + c);
}

/* Taiwan ID: letter code (two digits) + weighted digits, total % 10 == 0. */
static unsigned twid_required(const char *s)
{
    static const int letter[26] = {
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
        22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
    };
    int v = letter[s[0] - 'A'];
    unsigned sum = (unsigned)(v / 10 + (v % 10) * 9);
    for (int i = 1; i <= 8; i++)
        sum += (unsigned)(s[i] - '0') * (unsigned)(9 - i);
    return (10 - sum % 10) % 10;
}

static void fix_twid(const fpe_job *j, const char *src, char *dst)
{
    (void)j;
    unsigned off = ((unsigned)(src[9] - '0') + 10 - twid_required(src)) % 10;
    dst[9] = (char)('0' + (twid_required(dst) + off) % 10);
}

/* ---- acceptance predicates (cycle walking) ----------------------------- */

static bool ok_mobile(const fpe_job *j, const char *s) { return pii_cn_mobile_ok(s + j->aux); }

static bool ok_landline(const fpe_job *j, const char *s)
{
    char c = s[j->e[0]];
    return c >= '2' && c <= '8';
}

static bool ok_mac(const fpe_job *j, const char *s)
{
    (void)j;
    uint8_t oct[6];
    for (int i = 0; i < 6; i++)
        oct[i] = (uint8_t)(hexv(s[2 * i]) * 16 + hexv(s[2 * i + 1]));
    return pii_mac_ok(oct);
}

static bool ok_hex_body(const fpe_job *j, const char *s)
{
    for (size_t k = 0; k < j->ne; k++)
        if (!is_dig(s[j->e[k]]))
            return true;
    return false;
}

/* ---- per-type plans ---------------------------------------------------- */

static int plan_mobile(fpe_job *j)
{
    const char *s = j->s;
    size_t cc = j->n == 13 && s[0] == '8' && s[1] == '6' ? 2
              : j->n == 15 && memcmp(s, "0086", 4) == 0 ? 4 : 0;
    if (j->n - cc != 11 || !digits(s, 0, j->n) || !pii_cn_mobile_ok(s + cc))
        return -1;
    j->aux = cc;
    encrypt_range(j, cc + 3, j->n);
    set_tweak(j, s + cc, 3);
    j->ok = ok_mobile;
    return 0;
}

static int plan_landline(fpe_job *j, bool plus)
{
    const char *s = j->s;
    if (!digits(s, 0, j->n))
        return -1;
    size_t cc = j->n >= 4 && memcmp(s, "0086", 4) == 0 ? 4
              : plus && j->n >= 2 && s[0] == '8' && s[1] == '6' ? 2 : 0;
    char d[24] = {0};
    size_t dl = 0, trunk = 0;
    if (cc > 0 && j->n > cc && s[cc] != '0') {
        d[dl++] = '0';
        trunk = 1;
    }
    if (j->n - cc + dl > sizeof d)
        return -1;
    memcpy(d + dl, s + cc, j->n - cc);
    dl += j->n - cc;
    int area = pii_cn_area_code_len(d, dl);
    if (area == 0 || !pii_cn_landline_ok(d, dl))
        return -1;
    encrypt_range(j, cc + (size_t)area - trunk, j->n);
    set_tweak(j, d, (size_t)area);
    j->ok = ok_landline;
    return 0;
}

static int plan_card(fpe_job *j)
{
    if (j->n < 13 || j->n > 19 || !digits(j->s, 0, j->n))
        return -1;
    encrypt_range(j, 6, j->n - 1);
    j->changed[j->n - 1] = true;
    set_tweak(j, j->s, 6);
    j->fix = fix_luhn;
    return 0;
}

/* IMEI (14 digits, 15 with Luhn) and IMEISV (16, the SVN kept): the 8-digit
 * TAC names the model, the 6-digit serial the handset. */
static int plan_imei(fpe_job *j)
{
    if (j->n < 14 || j->n > 16 || !digits(j->s, 0, j->n))
        return -1;
    encrypt_range(j, 8, 14);
    set_tweak(j, j->s, 8);
    if (j->n == 15) {
        j->changed[14] = true;
        j->fix = fix_luhn;
    }
    return 0;
}

static int plan_meid(fpe_job *j)
{
    if ((j->n != 14 && j->n != 15) || !pii_all_hex(j->s, j->n))
        return -1;
    j->radix = 16;
    encrypt_range(j, 8, 14);
    set_tweak(j, j->s, 8);
    if (j->n == 15) {
        j->changed[14] = true;
        j->fix = fix_meid;
    }
    return 0;
}

static int plan_imsi(fpe_job *j)
{
    if (j->n != 15 || !digits(j->s, 0, 15))
        return -1;
    encrypt_range(j, 5, 15);
    set_tweak(j, j->s, 5);
    return 0;
}

/* ICCID: 8986 + 2-digit issuer kept.  An all-decimal body is permuted over
 * digits with the Luhn digit recomputed; a body with hex letters (China
 * Mobile) over hex, keeping at least one letter so the two cases stay
 * apart, and a vendor letter in last place is kept. */
static int plan_iccid(fpe_job *j)
{
    size_t n = j->n;
    if ((n != 19 && n != 20) || memcmp(j->s, "8986", 4) != 0 || !digits(j->s, 4, 6))
        return -1;
    set_tweak(j, j->s, 6);
    if (digits(j->s, 6, n - 1)) {
        encrypt_range(j, 6, n - 1);
        if (is_dig(j->s[n - 1])) {
            j->changed[n - 1] = true;
            j->fix = fix_luhn;
        }
        return 0;
    }
    if (!pii_all_hex(j->s + 6, n - 7))
        return -1;
    j->radix = 16;
    encrypt_range(j, 6, n - 1);
    j->ok = ok_hex_body;
    return 0;
}

static int plan_mac(fpe_job *j)
{
    if (j->n != 12 || !pii_all_hex(j->s, 12))
        return -1;
    j->radix = 16;
    encrypt_range(j, 6, 12);
    set_tweak(j, j->s, 6);
    j->ok = ok_mac;
    return 0;
}

/* Android ID, IDFA/IDFV/GAID, OAID: all hex.  A UUID keeps its version
 * nibble and variant nibble so it still reads as the same kind of UUID. */
static int plan_hex_id(fpe_job *j, bool uuid)
{
    if (!pii_all_hex(j->s, j->n))
        return -1;
    j->radix = 16;
    for (size_t i = 0; i < j->n; i++)
        if (!(uuid && j->n == 32 && (i == 12 || i == 16)))
            encrypt_range(j, i, i + 1);
    set_tweak(j, NULL, 0);
    return 0;
}

/* A passport or permit of two letters and seven digits ("EA1234567",
 * "CR2804591") has the shape of an HKID; one pseudonym in eleven would
 * carry a valid HKID check digit, the scanner would then find an HKID there
 * (it outranks a permit found by its hotword), and reveal would undo the
 * wrong operator.  So the walk keeps a value's HKID validity: the
 * pseudonyms of a document are documents. */
static bool ok_hkid_kept(const fpe_job *j, const char *s) { return pii_hkid_ok(s, j->n) == (j->aux != 0); }

/* Passports and permits: letters kept, digits permuted; the 2-digit
 * renewal count of an 11-character H/M permit is kept too. */
static int plan_document(fpe_job *j)
{
    size_t p = 0;
    while (p < j->n && is_up(j->s[p]))
        p++;
    if (p == 0 || !digits(j->s, p, j->n))
        return -1;
    size_t end = j->t == PIISCAN_HK_MACAU_PERMIT && j->n == 11 ? 9 : j->n;
    encrypt_range(j, p, end);
    set_tweak(j, j->s, p);
    j->aux = pii_hkid_ok(j->s, j->n);
    j->ok = ok_hkid_kept;
    return 0;
}

static int plan_hkid(fpe_job *j)
{
    size_t n = j->n, nl = n - 7;
    if ((n != 8 && n != 9) || !is_up(j->s[0]) || !is_up(j->s[nl - 1])
        || !digits(j->s, nl, nl + 6) || !(is_dig(j->s[n - 1]) || j->s[n - 1] == 'A'))
        return -1;
    encrypt_range(j, nl, nl + 6);
    j->changed[n - 1] = true;
    set_tweak(j, j->s, nl);
    j->fix = fix_hkid;
    return 0;
}

static int plan_twid(fpe_job *j)
{
    if (j->n != 10 || !is_up(j->s[0]) || !digits(j->s, 1, 10))
        return -1;
    encrypt_range(j, 2, 9);
    j->changed[9] = true;
    set_tweak(j, j->s, 2);
    j->fix = fix_twid;
    return 0;
}

/* E-mail: the letters and digits of the local part over [0-9a-z]; dots,
 * '+', '_' and the domain stay.  The domain joins the tweak. */
static int plan_email(fpe_job *j, const pii_sym *sy, const uint8_t *raw, size_t n)
{
    const uint8_t *at = memchr(raw, '@', n);
    if (!at)
        return -1;
    size_t atoff = (size_t)(at - raw);
    j->radix = 36;
    for (size_t i = 0; i < j->n && sy[i].off < atoff; i++)
        encrypt_range(j, i, i + 1);
    set_tweak(j, (const char *)at + 1, n - atoff - 1);
    return j->ne > 0 ? 0 : -1;
}

static int plan(fpe_job *j, const pii_sym *sy, const uint8_t *raw, size_t n)
{
    j->radix = 10;
    switch (j->t) {
    case PIISCAN_CN_MOBILE:
        return plan_mobile(j);
    case PIISCAN_CN_LANDLINE:
        return plan_landline(j, j->n > 0 && memchr(raw, '+', sy[0].off) != NULL);
    case PIISCAN_BANK_CARD:
        return plan_card(j);
    case PIISCAN_IMEI:
        return plan_imei(j);
    case PIISCAN_MEID:
        return plan_meid(j);
    case PIISCAN_IMSI:
        return plan_imsi(j);
    case PIISCAN_ICCID:
        return plan_iccid(j);
    case PIISCAN_MAC:
        return plan_mac(j);
    case PIISCAN_ANDROID_ID:
    case PIISCAN_IDFA:
    case PIISCAN_IDFV:
    case PIISCAN_GAID:
    case PIISCAN_OAID:
        return plan_hex_id(j, memchr(raw, '-', n) != NULL);
    case PIISCAN_CN_PASSPORT:
    case PIISCAN_HK_MACAU_PERMIT:
        return plan_document(j);
    case PIISCAN_HKID:
        return plan_hkid(j);
    case PIISCAN_TW_ID:
        return plan_twid(j);
    case PIISCAN_EMAIL:
        return plan_email(j, sy, raw, n);
    default:
        return -1;
    }
}

/* ---- the generic run --------------------------------------------------- */

/* Case of the encrypted letters, and whether the output must contain one
 * for that case to be readable back (see the top comment). */
static void choose_case(fpe_job *j)
{
    bool eu = false, el = false, ku = false, kl = false;
    for (size_t i = 0; i < j->n; i++) {
        bool *u = j->changed[i] ? &eu : &ku, *l = j->changed[i] ? &el : &kl;
        *u = *u || is_up(j->s[i]);
        *l = *l || is_low(j->s[i]);
    }
    bool fallback = ku && !kl;
    j->upper = eu || el ? eu && !el : fallback;
    j->need_letter = j->radix > 10 && j->upper != fallback;
}

static bool acceptable(const fpe_job *j, const char *s)
{
    if (j->need_letter && !ok_hex_body(j, s))
        return false;
    return !j->ok || j->ok(j, s);
}

static int run(fpe_job *j, const pii_keyring *kr, bool decrypt, char *err, size_t errlen)
{
    char cur[PII_SYM_MAX] = {0};
    uint8_t x[PII_SYM_MAX] = {0};
    memcpy(cur, j->s, j->n);
    for (size_t k = 0; k < j->ne; k++) {
        int v = sym_val(cur[j->e[k]]);
        if (v >= (int)j->radix)
            return -1;
        x[k] = (uint8_t)v;
    }
    choose_case(j);
    if (!acceptable(j, cur))
        return -1;
    for (int iter = 0;; iter++) {
        if (iter == CYCLE_MAX) {
            pii_op_err(err, errlen, "FPE cycle walk did not end");
            return -2;
        }
        if (pii_ff1(kr->k_fpe, sizeof kr->k_fpe, j->radix, j->tweak, j->tlen, x, j->ne, x,
                    decrypt, err, errlen) != 0)
            return -2;
        for (size_t k = 0; k < j->ne; k++)
            cur[j->e[k]] = sym_chr(x[k], j->upper);
        if (acceptable(j, cur))
            break;
    }
    if (j->fix)
        j->fix(j, j->s, cur);
    memcpy(j->s, cur, j->n);
    return 0;
}

/* ---- CN_RESIDENT_ID: one mixed-radix integer --------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil) and back. */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The birth-date range is fixed (not "until today") so that the mapping
 * never changes; IDs born outside it are refused. */
#define ID_FIRST_YEAR 1900
#define ID18_LAST_YEAR 2024
#define ID15_LAST_YEAR 1999

static void put_num(char *s, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        s[i] = (char)('0' + v % 10);
}

static const char ID_CHECK[] = "10X98765432";

static int id_check_index(char c)
{
    const char *p = strchr(ID_CHECK, c == 'x' ? 'X' : c);
    return c && p ? (int)(p - ID_CHECK) : -1;
}

/* Residue index (0..10) of the correct check character of d17. */
static int id_required(const char *d17) { return id_check_index(pii_cn_id_check_char(d17)); }

typedef struct id_parts {
    bool long_form;
    long first_day, days;
    uint64_t regions, domain;
} id_parts;

static int id_encode(const id_parts *p, const char *s, uint64_t *v)
{
    long region = pii_cn_region_index(num(s, 6));
    int y, m, d, seq;
    if (p->long_form) {
        y = (int)num(s + 6, 4), m = (int)num(s + 10, 2), d = (int)num(s + 12, 2);
        seq = (int)num(s + 14, 3);
    } else {
        y = 1900 + (int)num(s + 6, 2), m = (int)num(s + 8, 2), d = (int)num(s + 10, 2);
        seq = (int)num(s + 12, 3);
    }
    long day = days_from_civil(y, m, d) - p->first_day;
    int y2, m2, d2;
    civil_from_days(day + p->first_day, &y2, &m2, &d2);
    if (region < 0 || day < 0 || day >= p->days || y2 != y || m2 != m || d2 != d)
        return -1;
    *v = ((uint64_t)region * (uint64_t)p->days + (uint64_t)day) * 1000 + (uint64_t)seq;
    return 0;
}

static void id_decode(const id_parts *p, uint64_t v, char *s)
{
    unsigned seq = (unsigned)(v % 1000);
    v /= 1000;
    long day = (long)(v % (uint64_t)p->days);
    size_t region = (size_t)(v / (uint64_t)p->days);
    int y, m, d;
    civil_from_days(day + p->first_day, &y, &m, &d);
    put_num(s, pii_cn_region_at(region), 6);
    if (p->long_form) {
        put_num(s + 6, (unsigned)y, 4), put_num(s + 10, (unsigned)m, 2);
        put_num(s + 12, (unsigned)d, 2), put_num(s + 14, seq, 3);
    } else {
        put_num(s + 6, (unsigned)(y - 1900), 2), put_num(s + 8, (unsigned)m, 2);
        put_num(s + 10, (unsigned)d, 2), put_num(s + 12, seq, 3);
    }
}

/* v (< domain) through FF1 radix 10 over the decimal digits of domain - 1,
 * cycle walking until the result is below domain again. */
static int ff1_int(const pii_keyring *kr, const char *tweak, uint64_t *v, uint64_t domain,
                   bool decrypt, char *err, size_t errlen)
{
    size_t L = 0;
    for (uint64_t d = domain - 1; d > 0; d /= 10)
        L++;
    uint8_t x[20];
    uint64_t w = *v;
    for (size_t i = L; i-- > 0; w /= 10)
        x[i] = (uint8_t)(w % 10);
    for (int iter = 0;; iter++) {
        if (iter == CYCLE_MAX) {
            pii_op_err(err, errlen, "FPE cycle walk did not end");
            return -2;
        }
        if (pii_ff1(kr->k_fpe, sizeof kr->k_fpe, 10, (const uint8_t *)tweak, strlen(tweak), x,
                    L, x, decrypt, err, errlen) != 0)
            return -2;
        w = 0;
        for (size_t i = 0; i < L; i++)
            w = w * 10 + x[i];
        if (w < domain)
            break;
    }
    *v = w;
    return 0;
}

static int fpe_cn_id(fpe_job *j, const pii_keyring *kr, bool decrypt, char *err,
                     size_t errlen)
{
    id_parts p = {.long_form = j->n == 18};
    if ((j->n != 18 && j->n != 15) || !digits(j->s, 0, p.long_form ? 17 : 15)
        || (p.long_form && id_check_index(j->s[17]) < 0))
        return -1;
    p.first_day = days_from_civil(ID_FIRST_YEAR, 1, 1);
    p.days = days_from_civil((p.long_form ? ID18_LAST_YEAR : ID15_LAST_YEAR) + 1, 1, 1)
           - p.first_day;
    p.regions = pii_cn_region_count();
    p.domain = p.regions * (uint64_t)p.days * 1000;
    uint64_t v;
    if (p.regions == 0 || id_encode(&p, j->s, &v) != 0)
        return -1;
    const char *tw = p.long_form ? "CN_RESIDENT_ID" : "CN_RESIDENT_ID|15";
    if (ff1_int(kr, tw, &v, p.domain, decrypt, err, errlen) != 0)
        return -2;
    char out[18];
    id_decode(&p, v, out);
    if (p.long_form) {
        int off = (id_check_index(j->s[17]) - id_required(j->s) + 11) % 11;
        char c = ID_CHECK[(id_required(out) + off) % 11];
        out[17] = c == 'X' && j->s[17] == 'x' ? 'x' : c;
    }
    memcpy(j->s, out, j->n);
    return 0;
}

/* ---- IP addresses: exact text shape kept ------------------------------- */

/* The IPv4 first octets the detector never reports (0/8, loopback,
 * multicast and reserved 224/3) are neither accepted nor produced, so a
 * pseudonym is always an address the scanner would report again. */
static const unsigned OCT_LO[4] = {0, 0, 10, 100}, OCT_HI[4] = {0, 9, 99, 255};

/* How many values octet k may take when written with d digits (no leading
 * zeros): 0-9, 10-99 or 100-255, the first octet without 0, 127, 224+. */
static unsigned oct_count(int k, size_t d)
{
    unsigned c = OCT_HI[d] - OCT_LO[d] + 1;
    if (k == 0)
        c -= d == 1 ? 1 : d == 3 ? 33 : 0;
    return c;
}

/* Index of v among those values, or -1. */
static long oct_index(int k, size_t d, unsigned v)
{
    if (v < OCT_LO[d] || v > OCT_HI[d] || (k == 0 && (v == 0 || v == 127 || v >= 224)))
        return -1;
    unsigned i = v - OCT_LO[d];
    if (k == 0 && (d == 1 || v > 127))
        i--;
    return (long)i;
}

static unsigned oct_value(int k, size_t d, unsigned i)
{
    unsigned v = OCT_LO[d] + i;
    if (k == 0 && (d == 1 || (d == 3 && v >= 127)))
        v++;
    return v;
}

/* Four dotted octets of 1-3 ASCII digits each, nothing else.  -2 with a
 * message for a leading zero: its digit count cannot be kept without
 * writing leading zeros, and dropping them would change the length. */
static int ipv4_parse(const uint8_t *raw, size_t n, size_t len[4], unsigned v[4], char *err,
                      size_t errlen)
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        size_t s = i;
        for (v[k] = 0; i < n && is_dig((char)raw[i]) && i - s < 4; i++)
            v[k] = v[k] * 10 + (unsigned)(raw[i] - '0');
        len[k] = i - s;
        if (len[k] == 0 || len[k] > 3 || (k < 3 && (i >= n || raw[i++] != '.')))
            return -1;
    }
    if (i != n)
        return -1;
    for (int k = 0; k < 4; k++)
        if (len[k] > 1 && v[k] < OCT_LO[len[k]]) {
            pii_op_err(err, errlen, "IPv4 octet %d has a leading zero; FPE keeps each octet's "
                       "digit count and never writes leading zeros, so it cannot reproduce "
                       "this spelling", k + 1);
            return -2;
        }
    return 0;
}

/* IPv4: each octet keeps its digit count.  The octets' indices within
 * their ranges form one mixed-radix integer below the product of the range
 * sizes; FF1 permutes it (cycle walking) under a tweak naming the digit
 * pattern, and it is decoded back into octets of the same widths. */
static ssize_t fpe_ipv4(const uint8_t *raw, size_t n, const pii_keyring *kr, bool decrypt,
                        uint8_t *out, size_t cap, char *err, size_t errlen)
{
    size_t len[4];
    unsigned v[4];
    int rc = ipv4_parse(raw, n, len, v, err, errlen);
    if (rc != 0)
        return rc;
    uint64_t domain = 1, x = 0;
    for (int k = 0; k < 4; k++) {
        long i = oct_index(k, len[k], v[k]);
        if (i < 0)
            return -1;
        domain *= oct_count(k, len[k]);
        x = x * oct_count(k, len[k]) + (uint64_t)i;
    }
    char tweak[16];
    snprintf(tweak, sizeof tweak, "IPV4|%zu.%zu.%zu.%zu", len[0], len[1], len[2], len[3]);
    if (domain < 1000000) {
        pii_op_err(err, errlen, "FPE domain too small: IPv4 addresses with octet digit counts "
                   "%s have %llu values, fewer than 10^6 (NIST SP 800-38G Rev. 1); use "
                   "encrypt or hash instead", tweak + 5, (unsigned long long)domain);
        return -2;
    }
    if (ff1_int(kr, tweak, &x, domain, decrypt, err, errlen) != 0)
        return -2;
    if (n > cap) {
        pii_op_err(err, errlen, "output buffer too small");
        return -2;
    }
    char s[16];
    for (int k = 3; k >= 0; k--) {
        unsigned c = oct_count(k, len[k]);
        v[k] = oct_value(k, len[k], (unsigned)(x % c));
        x /= c;
    }
    snprintf(s, sizeof s, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
    memcpy(out, s, n);
    return (ssize_t)n;
}

/* IPv6 text: groups of 1-4 hex digits and at most one "::". */
typedef struct ip6_text {
    size_t ng, nleft;   /* groups; groups left of "::" (all of them without one) */
    size_t off[8], len[8];
    bool dcolon;
} ip6_text;

static bool is_hexc(uint8_t c) { return c < 128 && sym_val((char)c) < 16; }

static int ipv6_parse(const uint8_t *a, size_t al, ip6_text *t)
{
    size_t i = 0;
    *t = (ip6_text){0};
    if (al >= 2 && a[0] == ':' && a[1] == ':')
        t->dcolon = true, i = 2;
    while (i < al) {
        size_t s = i;
        while (i < al && is_hexc(a[i]))
            i++;
        if (i == s || i - s > 4 || t->ng == 8)
            return -1;
        t->off[t->ng] = s;
        t->len[t->ng++] = i - s;
        if (i == al)
            break;
        if (a[i++] != ':' || i == al)
            return -1;
        if (a[i] == ':') {
            if (t->dcolon)
                return -1;
            t->dcolon = true;
            t->nleft = t->ng;
            i++;
        }
    }
    if (!t->dcolon)
        t->nleft = t->ng;
    return t->dcolon ? (t->ng <= 7 ? 0 : -1) : (t->ng == 8 ? 0 : -1);
}

/* The hex digits written in the interface identifier (the groups that fall
 * in the last four of the eight 16-bit positions), and per such group the
 * letter case the output must keep.  A group without letters takes the
 * case of the routing prefix's letters (lower if it has none or both), so
 * "2001:DB8::8A2E:370:7334" stays all upper case. */
typedef struct ip6_iid {
    size_t nd, ng;
    uint8_t pos[16], grp[16]; /* byte offset and IID group of each digit */
    bool upper[4];            /* the group's letters are upper case */
    bool need_letter[4];      /* its case differs from the prefix's */
    uint8_t x[16];
} ip6_iid;

static size_t ip6_pos(const ip6_text *t, size_t g)
{
    return g < t->nleft ? g : 8 - (t->ng - t->nleft) + (g - t->nleft);
}

static void group_case(const ip6_text *t, const uint8_t *a, size_t g, bool *up, bool *low)
{
    for (size_t i = t->off[g]; i < t->off[g] + t->len[g]; i++) {
        *up = *up || is_up((char)a[i]);
        *low = *low || is_low((char)a[i]);
    }
}

static int ipv6_iid(const ip6_text *t, const uint8_t *a, ip6_iid *d, char *err,
                    size_t errlen)
{
    *d = (ip6_iid){0};
    bool pu = false, pl = false;
    for (size_t g = 0; g < t->ng && ip6_pos(t, g) < 4; g++)
        group_case(t, a, g, &pu, &pl);
    bool dflt = pu && !pl;
    for (size_t g = 0; g < t->ng; g++) {
        if (ip6_pos(t, g) < 4)
            continue;
        bool up = false, low = false;
        group_case(t, a, g, &up, &low);
        if (up && low) {
            pii_op_err(err, errlen, "IPv6 group \"%.*s\" mixes upper- and lower-case letters; "
                       "FPE keeps each group's case and cannot reproduce this spelling",
                       (int)t->len[g], (const char *)a + t->off[g]);
            return -2;
        }
        for (size_t i = t->off[g]; i < t->off[g] + t->len[g]; i++) {
            d->pos[d->nd] = (uint8_t)i;
            d->grp[d->nd] = (uint8_t)d->ng;
            d->x[d->nd++] = (uint8_t)sym_val((char)a[i]);
        }
        d->upper[d->ng] = up || low ? up : dflt;
        d->need_letter[d->ng++] = (up || low) && up != dflt;
    }
    return 0;
}

/* An interface identifier of zero is a prefix, not a host (the detector
 * skips it), and a group whose case differs from the prefix's needs a
 * letter, or its case could not be read back from the output. */
static bool iid_ok(const ip6_iid *d, const uint8_t *x)
{
    bool nonzero = false, letter[4] = {false, false, false, false};
    for (size_t k = 0; k < d->nd; k++) {
        nonzero = nonzero || x[k] != 0;
        letter[d->grp[k]] = letter[d->grp[k]] || x[k] >= 10;
    }
    for (size_t g = 0; g < d->ng; g++)
        if (d->need_letter[g] && !letter[g])
            return false;
    return nonzero;
}

/* Values iid_ok accepts, at least (capped at 10^12). */
static uint64_t iid_domain(const ip6_iid *d)
{
    uint64_t all = 1;
    for (size_t g = 0; g < d->ng; g++) {
        uint64_t h = 1, dec = 1;
        for (size_t k = 0; k < d->nd; k++)
            if (d->grp[k] == g)
                h *= 16, dec *= 10;
        all *= d->need_letter[g] ? h - dec : h;
        if (all > 1000000000000ull)
            all = 1000000000000ull;
    }
    return all - 1;
}

static int ipv6_check(const ip6_iid *d, char *err, size_t errlen)
{
    if (d->nd < 5) {
        pii_op_err(err, errlen, "FPE domain too small: the IPv6 interface identifier has %zu hex "
                   "digits written, fewer than 5 (16^5 is the first power above 10^6, NIST SP "
                   "800-38G Rev. 1); use encrypt or hash instead", d->nd);
        return -2;
    }
    uint64_t dom = iid_domain(d);
    if (dom < 1000000) {
        pii_op_err(err, errlen, "FPE domain too small: this IPv6 interface identifier's shape and "
                   "letter case leave %llu values, fewer than 10^6 (NIST SP 800-38G Rev. 1); "
                   "use encrypt or hash instead", (unsigned long long)dom);
        return -2;
    }
    return iid_ok(d, d->x) ? 0 : -1;
}

/* IPv6: the text keeps its shape -- the groups as written, leading zeros,
 * "::", letter case per group, any zone ("%eth0").  The /64 routing prefix
 * stays; the hex digits written in the interface identifier are permuted by
 * FF1 radix 16 (cycle walking, see iid_ok).  The tweak is the address text
 * with those digits blanked, so the prefix and the layout are bound in. */
static ssize_t fpe_ipv6(const uint8_t *raw, size_t n, const pii_keyring *kr, bool decrypt,
                        uint8_t *out, size_t cap, char *err, size_t errlen)
{
    const uint8_t *pct = memchr(raw, '%', n);
    size_t al = pct ? (size_t)(pct - raw) : n;
    if (memchr(raw, '.', al)) {
        pii_op_err(err, errlen, "IPv6 addresses with an embedded IPv4 part (::ffff:1.2.3.4) are "
                   "not supported by FPE; use encrypt or hash");
        return -2;
    }
    char a[INET6_ADDRSTRLEN];
    unsigned char bin[16];
    ip6_text t;
    ip6_iid d;
    if (al >= sizeof a)
        return -1;
    memcpy(a, raw, al);
    a[al] = '\0';
    if (inet_pton(AF_INET6, a, bin) != 1 || ipv6_parse(raw, al, &t) != 0)
        return -1;
    int rc = ipv6_iid(&t, raw, &d, err, errlen);
    if (rc == 0)
        rc = ipv6_check(&d, err, errlen);
    if (rc != 0)
        return rc;
    uint8_t tweak[5 + INET6_ADDRSTRLEN] = "IPV6|";
    memcpy(tweak + 5, raw, al);
    for (size_t k = 0; k < d.nd; k++)
        tweak[5 + d.pos[k]] = '_';
    for (int iter = 0;; iter++) {
        if (iter == CYCLE_MAX) {
            pii_op_err(err, errlen, "FPE cycle walk did not end");
            return -2;
        }
        if (pii_ff1(kr->k_fpe, sizeof kr->k_fpe, 16, tweak, 5 + al, d.x, d.nd, d.x, decrypt,
                    err, errlen) != 0)
            return -2;
        if (iid_ok(&d, d.x))
            break;
    }
    if (n > cap) {
        pii_op_err(err, errlen, "output buffer too small");
        return -2;
    }
    memcpy(out, raw, n);
    for (size_t k = 0; k < d.nd; k++)
        out[d.pos[k]] = (uint8_t)sym_chr(d.x[k], d.upper[d.grp[k]]);
    return (ssize_t)n;
}

/* ---- entry ------------------------------------------------------------- */

static ssize_t refuse(piiscan_type t, char *err, size_t errlen)
{
    const char *name = piiscan_type_name(t);
    if (t == PIISCAN_GPS || t == PIISCAN_BIRTH_DATE)
        pii_op_err(err, errlen, "no format-preserving encryption for %s: a pseudonymous "
                   "position or date is still a position or date; use generalize", name);
    else
        pii_op_err(err, errlen, "no format-preserving encryption for %s; use encrypt, hash "
                   "or replace", name);
    return -1;
}

ssize_t pii_op_fpe(piiscan_type t, const uint8_t *raw, size_t n, const pii_keyring *kr,
                   bool decrypt, uint8_t *out, size_t cap, char *err, size_t errlen)
{
    char tmp[200];
    ssize_t r;
    if (t == PIISCAN_IPV4 || t == PIISCAN_IPV6) {
        r = t == PIISCAN_IPV4 ? fpe_ipv4(raw, n, kr, decrypt, out, cap, tmp, sizeof tmp)
                              : fpe_ipv6(raw, n, kr, decrypt, out, cap, tmp, sizeof tmp);
    } else if (t == PIISCAN_GPS || t == PIISCAN_BIRTH_DATE || t == PIISCAN_CN_ADDRESS
               || t == PIISCAN_PERSON_NAME || (unsigned)t >= PIISCAN_TYPE_COUNT) {
        return refuse(t, err, errlen);
    } else {
        pii_sym sy[PII_SYM_MAX];
        fpe_job j = {.t = t};
        j.n = pii_syms(raw, n, sy, PII_SYM_MAX);
        if (j.n == (size_t)-1 || j.n == 0)
            r = -1;
        else {
            for (size_t i = 0; i < j.n; i++)
                j.s[i] = sy[i].c;
            if (t == PIISCAN_CN_RESIDENT_ID)
                r = fpe_cn_id(&j, kr, decrypt, tmp, sizeof tmp);
            else
                r = plan(&j, sy, raw, n) != 0 ? -1 : run(&j, kr, decrypt, tmp, sizeof tmp);
            if (r == 0) {
                r = pii_syms_write(raw, n, sy, j.n, j.s, out, cap);
                if (r < 0)
                    snprintf(tmp, sizeof tmp, "output buffer too small");
                r = r < 0 ? -2 : r;
            }
        }
    }
    if (r == -1)
        pii_op_err(err, errlen, "value is not a valid %s for FPE%s", piiscan_type_name(t),
                   decrypt ? " reveal" : "");
    else if (r < 0)
        pii_op_err(err, errlen, "%s", tmp);
    return r < 0 ? -1 : r;
}
