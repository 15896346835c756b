/*
 * struct_json.c -- a streaming JSON / JSON Lines tokenizer that knows the
 * key path of every value: {"user":{"phone":"..."}} -> user.phone, arrays
 * add "[]" (devices[].imei).  The elements of a top-level array are records,
 * like the lines of JSON Lines, so their paths do not start with "[]".
 *
 * String values are marked as JSON strings, numbers as bare JSON scalars,
 * keys as strings of no column.  A syntax error does not stop the scan: the
 * rest of the line is plain text and the next line starts afresh, which is
 * what a JSON Lines file with a corrupt line needs.  For format detection
 * the same tokenizer runs in strict mode: an error before the first value
 * is complete means the stream is not JSON.
 */
#include <string.h>

#include "struct_int.h"

enum { JS_VALUE, JS_KEY, JS_COLON, JS_AFTER, JS_STRING, JS_SCALAR, JS_SKIP };

void pii_json_init(pii_tracker *t)
{
    memset(&t->json, 0, sizeof t->json);
    t->json.st = JS_VALUE;
}

bool pii_json_between_records(const pii_tracker *t)
{
    const pii_json *j = &t->json;
    return j->st == JS_VALUE && j->depth == 0 && j->plen == 0;
}

/* Bytes that end a number, true, false or null. */
static const uint8_t SCALAR_END[256] = { [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
                                         [','] = 1, ['}'] = 1, [']'] = 1, [':'] = 1 };

static pii_json_level *top(pii_json *j) { return j->depth ? &j->lv[j->depth - 1] : NULL; }
/* j->kind and j->base are those of the innermost level again (after a
 * pop).  They are kept apart because every key and value read them, where
 * finding the level on the stack was 4% of the work on JSON Lines. */
static void inner_again(pii_json *j)
{
    const pii_json_level *l = top(j);
    j->kind = l ? l->kind : 0;
    j->base = l ? l->plen : 0;
}

static void append(pii_json *j, const char *s, size_t n)
{
    if (j->plen + n > PII_NAME_MAX)
        n = PII_NAME_MAX - j->plen;
    memcpy(j->path + j->plen, s, n);
    j->plen = (uint16_t)(j->plen + n);
}

/* The raw key (escapes as written) decoded onto the path; "手机" may be
 * written "\u624b\u673a". */
static void append_key(pii_json *j)
{
    const char *s = j->key;
    size_t n = j->klen;
    if (!j->kesc) {   /* most keys: as written (the loop below stops 4 short) */
        append(j, s, n < PII_NAME_MAX - 3 ? n : PII_NAME_MAX - 3);
        return;
    }
    char tmp[PII_NAME_MAX + 8];
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 <= PII_NAME_MAX;) {
        if (s[i] != '\\' || i + 1 >= n) {
            tmp[o++] = s[i++];
            continue;
        }
        char e = s[i + 1];
        size_t used = 0;
        long cp = e == 'u' ? pii_json_u((const unsigned char *)s, i + 1, n, &used) : -1;
        if (cp > 0) {   /* not \u0000, not a lone surrogate */
            o += pii_utf8_put((uint32_t)cp, (unsigned char *)tmp + o);
            i += 1 + used;
            continue;
        }
        tmp[o++] = e == 'n' ? '\n' : e == 't' ? '\t' : e;
        i += 2;
    }
    append(j, tmp, o);
}

/* Column of the value about to start in a container, from the current
 * path.  inline: GCC called it for every value otherwise, and the call
 * with its saved registers was 4% of the work on JSON Lines. */
static inline uint16_t value_col(pii_tracker *t)
{
    pii_json *j = &t->json;
    if (j->kind == '[') {
        j->plen = j->base;
        if (!(j->depth == 1 && j->base == 0))   /* elements of a top-level array are records */
            append(j, "[]", 2);
    }
    if (!j->plen)
        return PII_COL_NONE;
    /* A probe (format detection) has no columns, so its guess is none and
     * pii_tr_column_find answers PII_COL_NONE: no test of t->probe here. */
    return pii_tr_column(t, j->path, j->plen, PII_CLS_LAST_DOT, true);   /* path has 8 spare bytes */
}

/* A value that run_tokens did not take begins with b: an object or
 * array, or an error (a string or scalar at depth 0: records are objects
 * or arrays, a bare word is text).  false: error. */
static bool value_start(pii_json *j, pii_tracker *t, uint8_t b)
{
    if ((b != '{' && b != '[') || j->depth == PII_JSON_DEPTH)
        return false;
    if (j->kind == '[')
        (void)value_col(t);   /* sets the element path */
    j->lv[j->depth++] = (pii_json_level){ .kind = b, .st = 0, .plen = j->plen };
    j->kind = b;
    j->base = j->plen;
    j->st = b == '{' ? JS_KEY : JS_VALUE;
    return true;
}

/* A string or scalar value begins with b at i, inside a container.
 * false: b begins neither (nothing is changed). */
static bool leaf_start(pii_tracker *t, uint8_t b, size_t i)
{
    pii_json *j = &t->json;
    if (b == '"') {
        pii_tr_count_mark(t, i + 1, value_col(t), PII_Q_JSON);
        j->is_key = false;
        j->esc = false;
        j->st = JS_STRING;
        return true;
    }
    if (b == '-' || (b >= '0' && b <= '9') || b == 't' || b == 'f' || b == 'n') {
        pii_tr_count_mark(t, i, value_col(t), PII_Q_JSON_BARE);
        j->st = JS_SCALAR;
        return true;
    }
    return false;
}

/* A value has ended: what may follow depends on the container. */
static void value_end(pii_json *j)
{
    j->st = j->depth ? JS_AFTER : JS_VALUE;
    j->records += j->depth == 0;
}

static bool close_level(pii_json *j, uint8_t b)
{
    pii_json_level *l = top(j);
    if (!l || (b != '}' && b != ']') || (b == '}') != (l->kind == '{'))
        return false;
    j->depth--;
    inner_again(j);
    j->plen = l->plen;
    value_end(j);
    return true;
}

static void recover(pii_tracker *t, size_t i)
{
    pii_json *j = &t->json;
    j->depth = 0;
    j->kind = 0;
    j->base = 0;
    j->plen = 0;
    j->st = JS_SKIP;
    pii_tr_mark(t, i, PII_COL_NONE, PII_Q_NONE);
}

/* Raw bytes of the key being read, up to PII_NAME_MAX. */
static void key_bytes(pii_json *j, const uint8_t *p, size_t n)
{
    if (!j->is_key)
        return;
    if (n > (size_t)(PII_NAME_MAX - j->klen))
        n = PII_NAME_MAX - j->klen;
    memcpy(j->key + j->klen, p, n);
    j->klen = (uint16_t)(j->klen + n);
}

/* A key ends; q[0,n) are its bytes in this window.  A key wholly in the
 * window and without a backslash goes onto the path from the input. */
static void key_end(pii_json *j, const uint8_t *q, size_t n)
{
    j->plen = j->base;
    if (j->plen)
        append(j, ".", 1);
    if (!j->klen && !j->kesc) {
        append(j, (const char *)q, n < PII_NAME_MAX - 3 ? n : PII_NAME_MAX - 3);   /* as append_key would */
    } else {
        key_bytes(j, q, n);
        append_key(j);
    }
    j->st = JS_COLON;
}

/* After a key (JS_COLON) or a string or scalar value (JS_AFTER: these are
 * never records) at p[i]: the ':' or ',' that usually follows at once is
 * taken here as the main loop would take it (a turn of that loop for each
 * was a fifth of the tokenizer's work on JSON Lines), by the code that
 * ended the token and so knows the state (testing it again cost 3%). */
static size_t colon_after(pii_json *j, const uint8_t *p, size_t i, size_t hi)
{
    if (i < hi && p[i] == ':') {
        j->st = JS_VALUE;
        i++;
    }
    return i;
}

static size_t comma_after(pii_json *j, const uint8_t *p, size_t i, size_t hi)
{
    if (i < hi && p[i] == ',') {
        j->st = j->kind == '{' ? JS_KEY : JS_VALUE;
        i++;
    }
    return i;
}

/* Inside a string from p[i]: returns where scanning goes on, past the
 * ':' or ',' that follows at once.  One search
 * finds the closing quote or a backslash, whose escaped byte is skipped;
 * a key without one is its own decoding. */
static size_t in_string(pii_tracker *t, const uint8_t *p, size_t i, size_t hi)
{
    pii_json *j = &t->json;
    if (j->esc) {   /* the previous window ended after a backslash */
        key_bytes(j, p + i, 1);
        j->esc = false;
        i++;
    }
    size_t s = i;
    for (;;) {
        size_t e = pii_find2(p, i, hi, '"', '\\');
        if (e < hi && p[e] == '"') {
            if (j->is_key) {
                key_end(j, p + s, e - s);
                return colon_after(j, p, e + 1, hi);
            }
            j->st = JS_AFTER;   /* value_end: a string value is never a record */
            return comma_after(j, p, e + 1, hi);
        }
        if (e + 1 >= hi) {
            key_bytes(j, p + s, hi - s);
            j->esc = e < hi;
            j->kesc |= e < hi;
            return hi;
        }
        j->kesc = true;
        i = e + 2;
    }
}

/* A key's opening quote at i. */
static void key_start(pii_tracker *t, size_t i)
{
    pii_json *j = &t->json;
    pii_tr_mark(t, i + 1, PII_COL_NONE, PII_Q_JSON);
    j->is_key = true;
    j->esc = false;
    j->kesc = false;
    j->klen = 0;
    j->st = JS_STRING;
}

/* Index of the first non-blank byte in p[i,hi), or hi. */
static size_t skip_blanks(const uint8_t *p, size_t i, size_t hi)
{
    while (i < hi && p[i] <= ' ' && pii_json_blank(p[i]))   /* JSON Lines: no blank, one test */
        i++;
    return i;
}

/* Keys, string values and scalars one after another, with the ':' or ','
 * right after each (colon_after, comma_after) and the blanks before the
 * next, until anything else comes (a container, a closing bracket, a ':'
 * or ',' after blanks, an error, the end of the bytes): the main loop
 * takes that byte.  A record is mostly such a run, and a turn of the main loop's
 * two dispatches for every key, punctuation and value was a third of the
 * tokenizer's work on JSON Lines.  The only place a key or leaf value
 * starts, so that the compiler inlines them.  Never called in JS_SKIP. */
static size_t run_tokens(pii_tracker *t, const uint8_t *p, size_t i, size_t hi)
{
    pii_json *j = &t->json;
    for (;;) {
        if (j->st == JS_STRING) {
            i = in_string(t, p, i, hi);
        } else if (j->st == JS_SCALAR) {
            i = pii_scan_to(p, i, hi, SCALAR_END);
            if (i >= hi)
                return hi;
            j->st = JS_AFTER;   /* value_end: nor is a scalar */
            i = comma_after(j, p, i, hi);
        }
        i = skip_blanks(p, i, hi);
        if (i >= hi)
            return hi;
        uint8_t b = p[i];
        if (j->st == JS_KEY && b == '"')
            key_start(t, i);
        else if (!(j->st == JS_VALUE && j->depth && leaf_start(t, b, i)))
            return i;
        i++;
    }
}

bool pii_json_feed(pii_tracker *t, const uint8_t *p, size_t lo, size_t hi, bool strict)
{
    pii_json *j = &t->json;
    size_t i = lo;
    while (i < hi) {
        if (j->st == JS_SKIP) {
            const uint8_t *nl = memchr(p + i, '\n', hi - i);
            if (!nl)
                return true;
            j->st = JS_VALUE;
            i = (size_t)(nl - p) + 1;
            continue;
        }
        i = run_tokens(t, p, i, hi);
        if (i >= hi)
            break;
        /* Not blank; a key's quote or a leaf value would have been taken. */
        uint8_t b = p[i];
        bool ok = true;
        switch (j->st) {
        case JS_VALUE:
            ok = (b == ']' && j->kind == '[') ? close_level(j, b) : value_start(j, t, b);
            break;
        case JS_KEY:
            ok = b == '}' && close_level(j, b);
            break;
        case JS_COLON:   /* after blanks */
            ok = b == ':';
            j->st = JS_VALUE;
            break;
        case JS_AFTER:
            if (b == ',')
                j->st = j->kind == '{' ? JS_KEY : JS_VALUE;
            else
                ok = close_level(j, b);
            break;
        default:
            break;
        }
        if (!ok) {
            if (strict)   /* a bad line after a good record: JSON Lines */
                return j->records > 0;
            recover(t, i);
        }
        i++;
    }
    return true;
}
