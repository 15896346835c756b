/*
 * struct_sql.c -- SQL dumps: mysqldump and pg_dump.
 *
 * A lexer (words, `quoted` and "quoted" identifiers, 'strings' with
 * doubled-quote and -- for MySQL and E'...' -- backslash escapes, comments,
 * PostgreSQL $tag$ bodies) feeds a statement machine that only cares about
 *   CREATE TABLE t (col type ..., ...)      remembers t's columns;
 *   INSERT INTO t [(cols)] VALUES (..),(..) marks every value with its
 *                                           column (from the list or t);
 *   COPY t (cols) FROM stdin; rows \.       pg_dump's tab-separated rows.
 * Everything else is skipped to its ';'.  Columns are named "table.column"
 * and classified by the column part.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "struct_int.h"

enum {
    LX_NORMAL, LX_WORD, LX_QIDENT, LX_QIDENT_END, LX_STRING, LX_STRING_END, LX_DASH, LX_SLASH,
    LX_LCOMMENT, LX_BCOMMENT, LX_BSTAR, LX_DTAG, LX_DBODY, LX_COPY_WAIT, LX_COPY
};

enum {
    PS_START, PS_SKIP, PS_INS_INTO, PS_INS_TABLE, PS_INS_COLS, PS_INS_AFTER_COLS, PS_VALUES,
    PS_CREATE, PS_CT_NAME, PS_CT_COLS, PS_COPY, PS_COPY_COLS, PS_COPY_AFTER, PS_COPY_FROM, PS_COPY_STDIN
};

static const uint8_t WORD_CH[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['_'] = 1, ['$'] = 1,
#define R(c) [c] = 1, [c + 32] = 1
    R('A'), R('B'), R('C'), R('D'), R('E'), R('F'), R('G'), R('H'), R('I'), R('J'), R('K'), R('L'), R('M'),
    R('N'), R('O'), R('P'), R('Q'), R('R'), R('S'), R('T'), R('U'), R('V'), R('W'), R('X'), R('Y'), R('Z'),
#undef R
};

static bool word_ch(uint8_t b) { return WORD_CH[b] || b >= 0x80; }

void pii_sql_init(pii_tracker *t, bool pg)
{
    pii_sql *s = &t->sql;
    s->pg = pg;
    s->lx = LX_NORMAL;
    s->ps = PS_START;
}

void pii_sql_free(pii_tracker *t)
{
    pii_sql *s = &t->sql;
    for (uint32_t i = 0; i < s->ntables; i++) {
        free(s->tables[i].name);
        free(s->tables[i].cols);
    }
    free(s->tables);
    free(s->cols);
    s->tables = NULL;
    s->cols = NULL;
    s->ntables = s->ncols = s->capcols = 0;
}

/* The first byte is compared before the library calls: a statement is
 * checked against a dozen keywords, most of which differ there. */
static bool kw(const pii_sql *s, const char *k)
{
    return s->tlen && ((uint8_t)s->tok[0] | 0x20) == ((uint8_t)k[0] | 0x20) && strlen(k) == s->tlen &&
           strncasecmp(s->tok, k, s->tlen) == 0;
}

static bool in_values(const pii_sql *s) { return s->ps == PS_VALUES && s->depth >= 1; }

static uint16_t col_at(const pii_sql *s, uint32_t i) { return i < s->ncols ? s->cols[i] : PII_COL_NONE; }

static uint8_t string_q(const pii_sql *s) { return s->pg && !s->estr ? PII_Q_SQL_STD : PII_Q_SQL; }

static void push_col(pii_sql *s, uint16_t c)
{
    if (s->ncols == s->capcols) {
        uint32_t n = s->capcols ? s->capcols * 2 : 32;
        uint16_t *v = realloc(s->cols, n * sizeof *v);
        if (!v)
            return;   /* later values go without a column */
        s->cols = v;
        s->capcols = n;
    }
    s->cols[s->ncols++] = c;
}

/* The identifier in tok names a column of the current table. */
static void add_col(pii_tracker *t)
{
    pii_sql *s = &t->sql;
    char name[2 * PII_NAME_MAX + 2];
    size_t tl = strlen(s->table), cls = tl ? tl + 1 : 0;
    if (tl)
        memcpy(name, s->table, tl);
    if (tl)
        name[tl] = '.';
    memcpy(name + cls, s->tok, s->tlen);
    push_col(s, pii_tr_column_find(t, name, cls + s->tlen, cls, false));
}

static pii_sql_table *find_table(pii_sql *s)
{
    for (uint32_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i].name, s->table) == 0)
            return &s->tables[i];
    return NULL;
}

/* CREATE TABLE done: remember its columns for INSERTs without a list. */
static void save_table(pii_sql *s)
{
    pii_sql_table *tb = find_table(s);
    if (!tb) {
        pii_sql_table *v = realloc(s->tables, (s->ntables + 1) * sizeof *v);
        char *nm = strdup(s->table);
        if (!v || !nm) {
            free(nm);
            if (v)
                s->tables = v;
            return;
        }
        s->tables = v;
        tb = &v[s->ntables++];
        *tb = (pii_sql_table){ .name = nm };
    }
    uint16_t *c = s->ncols ? malloc(s->ncols * sizeof *c) : NULL;
    free(tb->cols);
    tb->cols = c;
    tb->n = c ? s->ncols : 0;
    if (c)
        memcpy(c, s->cols, s->ncols * sizeof *c);
}

static void cols_from_table(pii_sql *s)
{
    pii_sql_table *tb = find_table(s);
    s->ncols = 0;
    for (uint32_t i = 0; tb && i < tb->n; i++)
        push_col(s, tb->cols[i]);
}

static void begin_stmt(pii_sql *s, int ps)
{
    s->ps = (uint8_t)ps;
    s->ncols = 0;
    s->table[0] = 0;
    s->depth = 0;
}

static void set_table(pii_sql *s)
{
    memcpy(s->table, s->tok, s->tlen);
    s->table[s->tlen] = 0;
}

static bool constraint_kw(const pii_sql *s)
{
    static const char *const K[] = { "PRIMARY", "UNIQUE", "KEY", "INDEX", "CONSTRAINT", "FOREIGN", "CHECK",
                                     "FULLTEXT", "SPATIAL", "EXCLUDE", "LIKE", "PERIOD", NULL };
    for (const char *const *k = K; *k; k++)
        if (kw(s, *k))
            return true;
    return false;
}

/* An identifier or keyword token (quoted: never a keyword). */
static void on_ident(pii_tracker *t, bool quoted)
{
    pii_sql *s = &t->sql;
    bool k = !quoted;
    switch (s->ps) {
    case PS_START:
        if (k && (kw(s, "INSERT") || kw(s, "REPLACE")))
            begin_stmt(s, PS_INS_INTO);
        else if (k && kw(s, "CREATE"))
            begin_stmt(s, PS_CREATE);
        else if (k && kw(s, "COPY"))
            begin_stmt(s, PS_COPY);
        else
            s->ps = PS_SKIP;
        break;
    case PS_INS_INTO:
        if (k && kw(s, "INTO"))
            s->ps = PS_INS_TABLE;
        else if (!(k && (kw(s, "IGNORE") || kw(s, "LOW_PRIORITY") || kw(s, "DELAYED") || kw(s, "HIGH_PRIORITY"))))
            s->ps = PS_SKIP;
        break;
    case PS_INS_TABLE:
        if (k && (kw(s, "VALUES") || kw(s, "VALUE"))) {
            cols_from_table(s);
            s->ps = PS_VALUES;
        } else if (k && (kw(s, "SELECT") || kw(s, "SET") || kw(s, "DEFAULT"))) {
            s->ps = PS_SKIP;
        } else {
            set_table(s);
        }
        break;
    case PS_INS_COLS:
    case PS_COPY_COLS:
        add_col(t);
        break;
    case PS_INS_AFTER_COLS:
        s->ps = k && (kw(s, "VALUES") || kw(s, "VALUE")) ? PS_VALUES : PS_SKIP;
        break;
    case PS_VALUES:
        if (s->depth == 0)
            s->ps = PS_SKIP;   /* ON DUPLICATE KEY UPDATE ... */
        break;
    case PS_CREATE:
        if (k && kw(s, "TABLE"))
            s->ps = PS_CT_NAME;
        else if (!(k && (kw(s, "TEMPORARY") || kw(s, "TEMP") || kw(s, "UNLOGGED") || kw(s, "GLOBAL") ||
                         kw(s, "LOCAL"))))
            s->ps = PS_SKIP;
        break;
    case PS_CT_NAME:
        if (!(k && (kw(s, "IF") || kw(s, "NOT") || kw(s, "EXISTS"))))
            set_table(s);
        break;
    case PS_CT_COLS:
        if (s->want_col && s->depth == 1 && !(k && constraint_kw(s)))
            add_col(t);
        s->want_col = false;
        break;
    case PS_COPY:
        if (k && kw(s, "FROM")) {
            cols_from_table(s);
            s->ps = PS_COPY_FROM;
        } else {
            set_table(s);
        }
        break;
    case PS_COPY_AFTER:
        s->ps = k && kw(s, "FROM") ? PS_COPY_FROM : PS_SKIP;
        break;
    case PS_COPY_FROM:
        s->ps = k && kw(s, "STDIN") ? PS_COPY_STDIN : PS_SKIP;
        break;
    default:
        break;
    }
}

static void on_punct(pii_tracker *t, uint8_t c, size_t i)
{
    pii_sql *s = &t->sql;
    if (c == ';') {
        if (s->ps == PS_COPY_STDIN) {
            s->lx = LX_COPY_WAIT;
        }
        s->ps = PS_START;
        s->depth = 0;
        pii_tr_mark(t, i, PII_COL_NONE, PII_Q_NONE);
        return;
    }
    switch (s->ps) {
    case PS_INS_TABLE:
        if (c == '(') {
            s->ncols = 0;
            s->ps = PS_INS_COLS;
        }
        break;
    case PS_INS_COLS:
        if (c == ')')
            s->ps = PS_INS_AFTER_COLS;
        break;
    case PS_VALUES:
        if (c == '(' && ++s->depth == 1) {
            s->vi = 0;
        } else if (c == ')' && s->depth > 0) {
            if (s->depth-- == 1)
                pii_tr_count(t, col_at(s, s->vi));
        } else if (c == ',' && s->depth == 1) {
            pii_tr_count(t, col_at(s, s->vi));
            s->vi++;
        }
        break;
    case PS_CT_NAME:
        if (c == '(') {
            s->ps = PS_CT_COLS;
            s->depth = 1;
            s->ncols = 0;
            s->want_col = true;
        }
        break;
    case PS_CT_COLS:
        if (c == '(')
            s->depth++;
        else if (c == ')' && --s->depth == 0) {
            save_table(s);
            s->ps = PS_SKIP;
        } else if (c == ',' && s->depth == 1)
            s->want_col = true;
        else
            s->want_col = false;
        break;
    case PS_COPY:
        if (c == '(') {
            s->ncols = 0;
            s->ps = PS_COPY_COLS;
        }
        break;
    case PS_COPY_COLS:
        if (c == ')')
            s->ps = PS_COPY_AFTER;
        break;
    default:
        break;
    }
}

static void tok_byte(pii_sql *s, uint8_t b)
{
    if (s->tlen < PII_NAME_MAX)
        s->tok[s->tlen++] = (char)b;
}

static void tok_bytes(pii_sql *s, const uint8_t *p, size_t n)
{
    if (n > (size_t)(PII_NAME_MAX - s->tlen))
        n = PII_NAME_MAX - s->tlen;
    memcpy(s->tok + s->tlen, p, n);
    s->tlen = (uint16_t)(s->tlen + n);
}

/* Inside 'string' from p[i]; returns the next position.  One search finds
 * the closing quote or (with backslash escapes) a backslash. */
static size_t in_string(pii_sql *s, const uint8_t *p, size_t i, size_t hi)
{
    uint8_t bs = !s->pg || s->estr ? '\\' : '\'';
    if (s->esc) {
        s->esc = false;
        i++;
    }
    for (;;) {
        size_t e = pii_find2(p, i, hi, '\'', bs);
        if (e >= hi)
            return hi;
        if (p[e] == '\'') {
            s->lx = LX_STRING_END;
            return e + 1;
        }
        if (e + 1 == hi) {
            s->esc = true;
            return hi;
        }
        i = e + 2;
    }
}

/* End of the word whose first byte is first, from p[i]: a number goes on
 * over '.' (9.5 is one token). */
static size_t word_end(const uint8_t *p, size_t i, size_t hi, uint8_t first)
{
    bool num = first >= '0' && first <= '9';
    while (i < hi && (word_ch(p[i]) || (num && p[i] == '.')))
        i++;
    return i;
}

/* LX_WORD from p[i]: the rest of the word in one go, then what ends it. */
static size_t in_word(pii_tracker *t, const uint8_t *p, size_t i, size_t hi)
{
    pii_sql *s = &t->sql;
    size_t e = word_end(p, i, hi, s->tlen ? (uint8_t)s->tok[0] : p[i]);
    tok_bytes(s, p + i, e - i);
    if (e == hi)
        return hi;
    s->lx = LX_NORMAL;
    if (p[e] == '\'' && s->tlen == 1 && (s->tok[0] | 0x20) == 'e')
        s->estr = true;   /* E'...' */
    else
        on_ident(t, false);
    return e;
}

/* A 'string' of a tuple from its opening quote at p[i], as normal() and
 * the string states would read it.  Returns where the lexer goes on: after
 * the string (in LX_NORMAL), or at hi inside it. */
static size_t tuple_string(pii_tracker *t, const uint8_t *p, size_t i, size_t hi)
{
    pii_sql *s = &t->sql;
    pii_tr_mark(t, i + 1, col_at(s, s->vi), string_q(s));
    s->tlen = 0;
    s->esc = false;
    s->lx = LX_STRING;
    i = in_string(s, p, i + 1, hi);
    while (s->lx == LX_STRING_END && i < hi && p[i] == '\'') {   /* a doubled quote */
        s->lx = LX_STRING;
        i = in_string(s, p, i + 1, hi);
    }
    if (i < hi) {   /* else the lexer sees what follows the quote, or the rest */
        s->lx = LX_NORMAL;
        s->estr = false;
    }
    return i;
}

/* The values of a tuple -- numbers, NULL, 'strings', separated by commas
 * and blanks -- without a pass through the lexer per byte, with the same
 * marks and counts as normal() and the states it leads to (on_ident does
 * nothing inside a tuple).  Returns where the lexer takes over: at a byte
 * this does not handle (a parenthesis, a sign, a comment), or with the
 * lexer inside a string or a word that the window cuts. */
static size_t tuple_values(pii_tracker *t, const uint8_t *p, size_t i, size_t hi)
{
    pii_sql *s = &t->sql;
    while (i < hi) {
        uint8_t b = p[i];
        if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
            i++;
        } else if (b == ',') {
            pii_tr_count(t, col_at(s, s->vi));
            s->vi++;
            i++;
        } else if (b == '\'') {
            i = tuple_string(t, p, i, hi);
            if (s->lx != LX_NORMAL)
                return i;
        } else if (word_ch(b)) {
            s->estr = false;
            pii_tr_mark(t, i, col_at(s, s->vi), PII_Q_SQL_BARE);
            size_t e = word_end(p, i + 1, hi, b);
            if (e == hi || (p[e] == '\'' && e == i + 1 && (b | 0x20) == 'e')) {
                s->tlen = 0;   /* in_word finishes the word, or starts E'...' */
                s->lx = LX_WORD;
                return i;
            }
            i = e;
        } else {
            return i;
        }
    }
    return i;
}

/* A byte at token start (LX_NORMAL).  Returns bytes consumed (0: re-run). */
static size_t normal(pii_tracker *t, const uint8_t *p, size_t i)
{
    pii_sql *s = &t->sql;
    uint8_t b = p[i];
    if (b == ' ' || b == '\t' || b == '\n' || b == '\r')
        return 1;
    s->tlen = 0;
    if (b == '\'') {
        s->lx = LX_STRING;
        s->esc = false;
        pii_tr_mark(t, i + 1, in_values(s) ? col_at(s, s->vi) : PII_COL_NONE, string_q(s));
        if (s->ps == PS_CT_COLS)
            s->want_col = false;
    } else if (b == '`' || b == '"') {
        s->lx = LX_QIDENT;
        s->qch = b;
    } else if (b == '-') {
        s->lx = LX_DASH;
    } else if (b == '/') {
        s->lx = LX_SLASH;
    } else if (b == '#' && !s->pg) {
        s->lx = LX_LCOMMENT;
    } else if (b == '$' && s->pg) {
        s->lx = LX_DTAG;
        s->dlen = 0;
    } else if (word_ch(b)) {
        s->lx = LX_WORD;
        s->estr = false;
        if (in_values(s))
            pii_tr_mark(t, i, col_at(s, s->vi), PII_Q_SQL_BARE);
        return 0;
    } else {
        on_punct(t, b, i);
    }
    return 1;
}

static void copy_begin_row(pii_tracker *t, size_t i)
{
    t->sql.vi = 0;
    pii_tr_mark(t, i, col_at(&t->sql, 0), PII_Q_COPY);
}

/* pg_dump COPY rows: tab-separated fields until a line "\.". */
static size_t copy_data(pii_tracker *t, const uint8_t *p, size_t i, size_t hi)
{
    pii_sql *s = &t->sql;
    uint8_t b = p[i];
    if (s->line_start) {
        s->line_start = false;
        copy_begin_row(t, i);
        s->dpos = b == '\\' ? 1 : 0;
        if (b == '\\')
            return i + 1;
    } else if (s->dpos == 1) {
        s->dpos = b == '.' ? 2 : 0;
        if (b == '.')
            return i + 1;
    } else if (s->dpos == 2) {
        s->dpos = 0;
        if (b == '\n' || b == '\r') {
            pii_tr_mark(t, i, PII_COL_NONE, PII_Q_NONE);
            s->lx = LX_NORMAL;
            return i;
        }
    }
    size_t j = pii_find2(p, i, hi, '\t', '\n');
    if (j == hi)
        return hi;
    pii_tr_count(t, col_at(s, s->vi));
    if (p[j] == '\t') {
        s->vi++;
        pii_tr_mark(t, j + 1, col_at(s, s->vi), PII_Q_COPY);
    } else {
        s->line_start = true;
    }
    return j + 1;
}

/* $tag$ ... $tag$: the closing delimiter is matched byte by byte (the tag
 * holds no '$', so a mismatch can only restart at a '$'). */
static void dollar_body(pii_sql *s, uint8_t b)
{
    size_t need = (size_t)s->dlen + 2;
    uint8_t want = s->dpos == 0 || s->dpos == need - 1 ? '$' : (uint8_t)s->dtag[s->dpos - 1];
    if (b == want) {
        if (++s->dpos == need)
            s->lx = LX_NORMAL;
    } else {
        s->dpos = b == '$' ? 1 : 0;
    }
}

void pii_sql_feed(pii_tracker *t, const uint8_t *p, size_t lo, size_t hi)
{
    pii_sql *s = &t->sql;
    size_t i = lo;
    while (i < hi) {
        uint8_t b = p[i];
        switch (s->lx) {
        case LX_NORMAL:
            if (s->ps == PS_VALUES && s->depth == 1) {
                size_t j = tuple_values(t, p, i, hi);
                if (j != i || s->lx != LX_NORMAL) {
                    i = j;
                    break;
                }
            }
            i += normal(t, p, i);
            break;
        case LX_WORD:
            i = in_word(t, p, i, hi);
            break;
        case LX_QIDENT:
            if (b == s->qch)
                s->lx = LX_QIDENT_END;
            else
                tok_byte(s, b);
            i++;
            break;
        case LX_QIDENT_END:
            if (b == s->qch) {   /* doubled: part of the name */
                tok_byte(s, b);
                s->lx = LX_QIDENT;
                i++;
            } else {
                s->lx = LX_NORMAL;
                on_ident(t, true);
            }
            break;
        case LX_STRING:
            i = in_string(s, p, i, hi);
            break;
        case LX_STRING_END:
            if (b == '\'') {
                s->lx = LX_STRING;
                i++;
            } else {
                s->lx = LX_NORMAL;
                s->estr = false;
                if (!in_values(s))
                    pii_tr_mark(t, i, PII_COL_NONE, PII_Q_NONE);
            }
            break;
        case LX_DASH:
        case LX_SLASH:
            if (b == (s->lx == LX_DASH ? '-' : '*')) {
                s->lx = s->lx == LX_DASH ? LX_LCOMMENT : LX_BCOMMENT;
                i++;
            } else {
                on_punct(t, s->lx == LX_DASH ? '-' : '/', i);
                s->lx = LX_NORMAL;
            }
            break;
        case LX_LCOMMENT: {
            const uint8_t *nl = memchr(p + i, '\n', hi - i);
            i = nl ? (size_t)(nl - p) + 1 : hi;
            if (nl)
                s->lx = LX_NORMAL;
            break;
        }
        case LX_BCOMMENT: {
            size_t j = pii_find2(p, i, hi, '*', '*');
            if (j < hi)
                s->lx = LX_BSTAR;
            i = j < hi ? j + 1 : hi;
            break;
        }
        case LX_BSTAR:
            s->lx = b == '*' ? LX_BSTAR : b == '/' ? LX_NORMAL : LX_BCOMMENT;
            i++;
            break;
        case LX_DTAG:
            if (b == '$') {
                s->lx = LX_DBODY;
                s->dpos = 0;
            } else if (word_ch(b) && b != '$' && s->dlen < sizeof s->dtag) {
                s->dtag[s->dlen++] = (char)b;
            } else {
                s->lx = LX_NORMAL;   /* $1, a parameter: not a quote */
                break;
            }
            i++;
            break;
        case LX_DBODY:
            dollar_body(s, b);
            i++;
            break;
        case LX_COPY_WAIT: {
            const uint8_t *nl = memchr(p + i, '\n', hi - i);
            i = nl ? (size_t)(nl - p) + 1 : hi;
            if (nl) {
                s->lx = LX_COPY;
                s->line_start = true;
                s->dpos = 0;
            }
            break;
        }
        case LX_COPY:
            i = copy_data(t, p, i, hi);
            break;
        default:
            i++;
        }
    }
}
