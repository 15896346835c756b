/*
 * conf_parse.c -- read patterns/detectors.conf (embedded at build time) into
 * the ruleset's detector table.  The format is documented at the top of the
 * file itself; errors name the line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

static void fail(char *err, size_t errlen, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "detectors.conf:%d: %s", line, msg);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

static int push(pii_strlist *l, const char *s)
{
    char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    l->v = nv;
    if (!(l->v[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

static int push_list(pii_strlist *l, char *s)
{
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","))
        if (*trim(tok) && push(l, trim(tok)) < 0)
            return -1;
    return 0;
}

/* "text [[span]] more" -> text without brackets and the span offsets. */
static int add_example(pii_detector *d, const char *v)
{
    pii_example *nv = realloc(d->examples, (d->nexamples + 1) * sizeof *nv);
    if (!nv)
        return -1;
    d->examples = nv;
    pii_example *e = &d->examples[d->nexamples];
    size_t n = strlen(v);
    if (!(e->text = malloc(n + 1)))
        return -1;
    const char *o = strstr(v, "[["), *c = o ? strstr(o, "]]") : NULL;
    if (o && c) {
        size_t a = (size_t)(o - v), b = (size_t)(c - o - 2);
        memcpy(e->text, v, a);
        memcpy(e->text + a, o + 2, b);
        memcpy(e->text + a + b, c + 2, strlen(c + 2) + 1);
        e->lo = a;
        e->hi = a + b;
    } else {
        memcpy(e->text, v, n + 1);
        e->lo = 0;
        e->hi = n;
    }
    e->len = strlen(e->text);
    d->nexamples++;
    return 0;
}

static int set_field(pii_detector *d, const char *k, char *v, char *err, size_t errlen, int line)
{
    int rc = 0;
    if (!strcmp(k, "description"))
        rc = (d->description = strdup(v)) ? 0 : -1;
    else if (!strcmp(k, "when"))
        rc = (d->when = strdup(v)) ? 0 : -1;
    else if (!strcmp(k, "sample"))
        rc = (d->sample = strdup(v)) ? 0 : -1;
    else if (!strcmp(k, "reporting")) {
        if (!strcmp(v, "always"))
            d->reporting = PII_REP_ALWAYS;
        else if (!strcmp(v, "context"))
            d->reporting = PII_REP_CONTEXT;
        else if (!strcmp(v, "mixed"))
            d->reporting = PII_REP_MIXED;
        else {
            fail(err, errlen, line, "unknown reporting '%s'", v);
            return -1;
        }
    } else if (!strcmp(k, "confidence")) {
        char *end;
        d->confidence = strtod(v, &end);
        if (*end || d->confidence <= 0 || d->confidence > 1) {
            fail(err, errlen, line, "confidence must be in (0,1]");
            return -1;
        }
    } else if (!strcmp(k, "keys"))
        rc = push_list(&d->keys, v);
    else if (!strcmp(k, "hotwords"))
        rc = push_list(&d->hotwords, v);
    else if (!strcmp(k, "regex"))
        rc = push(&d->regex, v);
    else if (!strcmp(k, "negative"))
        rc = push(&d->negatives, v);
    else if (!strcmp(k, "example"))
        rc = add_example(d, v);
    else {
        fail(err, errlen, line, "unknown field '%s'", k);
        return -1;
    }
    if (rc < 0)
        fail(err, errlen, line, "out of memory");
    return rc;
}

static int check_complete(const pii_detector *d, char *err, size_t errlen)
{
    const char *name = piiscan_type_name(d->type);
    if (!d->description || !d->when || !d->sample || d->nexamples == 0 || d->negatives.n == 0) {
        snprintf(err, errlen, "detectors.conf: [%s] needs description, when, sample, "
                 "at least one example and one negative", name);
        return -1;
    }
    return 0;
}

int pii_conf_parse(struct piiscan_ruleset *rs, const char *text, char *err, size_t errlen)
{
    char *copy = strdup(text);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pii_detector *cur = NULL;
    int line = 0, rc = 0;
    char *next = copy;
    while (next && rc == 0) {
        char *ln = next, *nl = strchr(ln, '\n');
        if (nl)
            *nl = 0;
        next = nl ? nl + 1 : NULL;
        line++;
        char *s = trim(ln);
        if (*s == 0 || *s == '#')
            continue;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (!e) {
                fail(err, errlen, line, "unterminated section header");
                rc = -1;
                break;
            }
            *e = 0;
            int t = piiscan_type_from_name(s + 1);
            if (t < 0 || rs->det[t].present) {
                fail(err, errlen, line, t < 0 ? "unknown type '%s'" : "duplicate section '%s'", s + 1);
                rc = -1;
                break;
            }
            if (cur && (rc = check_complete(cur, err, errlen)) < 0)
                break;
            cur = &rs->det[t];
            cur->type = (piiscan_type)t;
            cur->present = true;
            cur->confidence = 0.8;
            rs->order[rs->ndet++] = (piiscan_type)t;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq || !cur) {
            fail(err, errlen, line, cur ? "expected 'field = value'" : "field outside a [TYPE] section");
            rc = -1;
            break;
        }
        *eq = 0;
        rc = set_field(cur, trim(s), trim(eq + 1), err, errlen, line);
    }
    if (rc == 0 && cur)
        rc = check_complete(cur, err, errlen);
    free(copy);
    for (size_t i = 0; rc == 0 && i < rs->ndet; i++) {
        pii_detector *d = &rs->det[rs->order[i]];
        d->info = (piiscan_detector_info){ d->type, piiscan_type_name(d->type), d->description,
                                           d->sample, d->when };
    }
    return rc;
}

static void free_list(pii_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

void pii_conf_free(struct piiscan_ruleset *rs)
{
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        pii_detector *d = &rs->det[t];
        free(d->description);
        free(d->when);
        free(d->sample);
        free_list(&d->keys);
        free_list(&d->hotwords);
        free_list(&d->regex);
        free_list(&d->negatives);
        for (size_t i = 0; i < d->nexamples; i++)
            free(d->examples[i].text);
        free(d->examples);
    }
}
