/*
 * fuzz_struct.c -- the structure trackers (CSV, JSON, SQL dumps) and the
 * escaping of replacements on arbitrary bytes.  The first input byte picks a
 * prefix that makes the rest look like a CSV export, JSON Lines, a
 * mysqldump INSERT or a pg_dump COPY block, so that format detection lets
 * the fuzzer reach the trackers.  Checked: no crash; scanning the same bytes
 * as a buffer and as a chunked stream gives the same findings; redaction
 * with a replacement full of characters that need escaping either succeeds
 * or fails closed (-2), and when it succeeds every byte outside the findings
 * is copied unchanged and in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "violated: %s\n", #c); abort(); } } while (0)

static const char *const prefixes[] = {
    "name,phone,id_card,mobile,address\n",
    "姓名;手机;身份证号\n",
    "{\"user\":{\"phone\":\"",
    "{\"devices\":[{\"imei\":",
    "INSERT INTO `users` (`id`,`name`,`phone`) VALUES (1,'",
    "CREATE TABLE u (id int, phone varchar(20));\nINSERT INTO u VALUES (1,'",
    "COPY public.users (id, name, phone) FROM stdin;\n1\t",
    "",
};

typedef struct span {
    uint64_t start, end;
    int type;
} span;

typedef struct run {
    span v[4096];
    size_t n;
    int overflow;
    unsigned char *out;
    size_t outlen, outcap;
} run;

static piiscan_scanner *scanner(void)
{
    static piiscan_ruleset *rs;
    static piiscan_scanner *sc;
    if (!sc) {
        char err[512];
        CHECK(piiscan_ruleset_new(&rs, err, sizeof err) == 0);
        piiscan_scan_options o;
        piiscan_scan_options_init(&o);
        o.window_size = 4096;
        CHECK(piiscan_scanner_new(&sc, rs, &o) == 0);
    }
    return sc;
}

static int collect(void *ud, const piiscan_finding *f)
{
    run *r = ud;
    if (r->n == sizeof r->v / sizeof *r->v) {
        r->overflow = 1;
        return 0;
    }
    r->v[r->n++] = (span){ f->start, f->end, (int)f->type };
    return 0;
}

typedef struct src {
    const uint8_t *p;
    size_t len, off;
    unsigned k;
} src;

static ssize_t chunked(void *ud, void *buf, size_t cap)
{
    src *s = ud;
    size_t n = s->len - s->off;
    s->k = s->k * 1103515245u + 12345u;
    size_t want = 1 + (s->k >> 8) % 3000;
    if (n > want)
        n = want;
    if (n > cap)
        n = cap;
    memcpy(buf, s->p + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

static const char MARK[] = "x,\"y'\\\n\tz";   /* delimiter, quotes, backslash, newline, tab */

static ssize_t mark(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    run *r = ud;
    if (r->n < sizeof r->v / sizeof *r->v)
        r->v[r->n++] = (span){ f->start, f->end, (int)f->type };
    else
        r->overflow = 1;
    CHECK(cap >= sizeof MARK);
    memcpy(out, MARK, sizeof MARK - 1);
    return (ssize_t)(sizeof MARK - 1);
}

static int sink(void *ud, const void *buf, size_t len)
{
    run *r = ud;
    if (r->outlen + len > r->outcap) {
        r->outcap = (r->outlen + len) * 2;
        r->out = realloc(r->out, r->outcap);
        CHECK(r->out != NULL);
    }
    memcpy(r->out + r->outlen, buf, len);
    r->outlen += len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *pre = prefixes[data[0] % (sizeof prefixes / sizeof *prefixes)];
    size_t pl = strlen(pre), n = pl + size - 1;
    uint8_t *in = malloc(n + 1);
    CHECK(in != NULL);
    memcpy(in, pre, pl);
    memcpy(in + pl, data + 1, size - 1);

    piiscan_scanner *sc = scanner();
    static run a, b, c;
    a.n = b.n = c.n = 0;
    a.overflow = b.overflow = c.overflow = 0;
    CHECK(piiscan_scan_buffer(sc, in, n, collect, &a) == 0);
    src s = { in, n, 0, (unsigned)size };
    CHECK(piiscan_scan_stream(sc, chunked, &s, collect, &b) == 0);
    if (!a.overflow && !b.overflow) {
        CHECK(a.n == b.n);
        for (size_t i = 0; i < a.n; i++)
            CHECK(a.v[i].start == b.v[i].start && a.v[i].end == b.v[i].end && a.v[i].type == b.v[i].type);
    }
    for (size_t i = 0; i < a.n; i++)
        CHECK(a.v[i].start < a.v[i].end && a.v[i].end <= n);

    /* Redaction: success with every other byte kept, or a closed failure. */
    c.outlen = 0;
    src s2 = { in, n, 0, (unsigned)size * 7u };
    int rc = piiscan_redact_stream(sc, chunked, &s2, mark, &c, sink, &c);
    CHECK(rc == 0 || rc == -2);
    if (rc == 0 && !c.overflow) {
        size_t ip = 0, op = 0;
        for (size_t i = 0; i < c.n; i++) {
            size_t gap = (size_t)c.v[i].start - ip;
            CHECK(op + gap <= c.outlen && memcmp(c.out + op, in + ip, gap) == 0);
            op += gap;
            ip = (size_t)c.v[i].end;
            /* the replacement, escaped for its field: at least the marker's letters */
            size_t k = op;
            while (k < c.outlen && c.out[k] != 'z')
                k++;
            CHECK(k < c.outlen);
            op = k + 1;
            if (op < c.outlen && c.out[op] == '"' && (ip >= n || in[ip] != '"'))
                op++;   /* a closing quote added around a JSON number */
        }
        CHECK(c.outlen - op == n - ip && memcmp(c.out + op, in + ip, n - ip) == 0);
    }
    free(in);
    return 0;
}
