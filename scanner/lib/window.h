/*
 * window.h -- line-aligned windows over a stream.
 *
 * The reader hands out windows of at most window_size bytes.  Each window
 * owns an "accept range" [acc_lo, acc_hi): a finding belongs to the window
 * whose accept range holds its start, so no finding is lost or reported twice
 * at an edge.  Windows overlap: the bytes before acc_lo (at least
 * PII_WINDOW_OVERLAP of them when available) are repeated so that a token
 * starting at acc_lo sees its left context (keys, hotwords, the byte before).
 *
 * acc_hi is the byte after the last newline in the window when the window
 * holds one in its second half; otherwise (a line longer than the window)
 * acc_hi = len - PII_WINDOW_TAIL, so that every token starting before acc_hi
 * and shorter than PII_WINDOW_TAIL - 1 bytes lies wholly inside the window
 * together with the byte after it.  At end of stream acc_hi = len.
 *
 * A byte sequence touching data[0] when !at_start, or data[len-1] when
 * !at_eof, has an unknown neighbour: detectors treat it as "not a boundary".
 *
 * A live input (a pipe fed by `tail -f`) may pause for minutes with a few
 * lines read.  Its read function says so by failing with EAGAIN when
 * nothing can be read at once (and waits on the next call); the reader
 * then hands out what it holds up to its last newline, marked paused, so
 * that those lines are detected and delivered now rather than when the
 * window is full.  A window cut there is an ordinary one: the next window
 * carries its left context as at any other cut.
 */
#ifndef PII_WINDOW_H
#define PII_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PII_WINDOW_OVERLAP 1024u  /* left context repeated from the previous window */
#define PII_WINDOW_TAIL    1024u  /* max token length + 2 for mid-line cuts */
#define PII_WINDOW_MIN     4096u

typedef ssize_t (*pii_read_fn)(void *ud, void *buf, size_t cap);

typedef struct pii_window {
    const uint8_t *data;
    size_t len;
    uint64_t base;          /* absolute stream offset of data[0] */
    size_t acc_lo, acc_hi;  /* window-relative accept range */
    bool at_start;          /* data[0] is the first byte of the stream */
    bool at_eof;            /* data[len] is the end of the stream */
    bool paused;            /* the input paused after it: deliver at once */
} pii_window;

typedef struct pii_wreader {
    uint8_t *buf;
    size_t cap;             /* window_size */
    size_t fill;            /* valid bytes in buf */
    size_t consumed;        /* bytes of buf already accepted (start of next acc range) */
    uint64_t base;          /* absolute offset of buf[0] */
    bool eof, done, first;
    bool paused;            /* the input paused with a whole line unread by a window */
    pii_read_fn rd;
    void *ud;
    /* May the first window end where a live input paused, holding p[0,n)?
     * NULL: yes.  A stream's format is judged from its first window, and a
     * cut that would change that verdict waits for more (struct_int.h,
     * pii_struct_settled). */
    bool (*head_ok)(const void *ud, const uint8_t *p, size_t n);
    const void *head_ud;
    /* Tell a pause with no whole line to hand out (pii_wreader_next
     * returns 2): the windows handed out before it may wait for a flush
     * (a full window that ended where the input went quiet). */
    bool tell_pauses;
} pii_wreader;

/* window_size is clamped to >= PII_WINDOW_MIN.  Returns 0 or -1 (ENOMEM). */
int pii_wreader_init(pii_wreader *r, size_t window_size, pii_read_fn rd, void *ud);
/* The same, reading into buf (window_size >= PII_WINDOW_MIN bytes), which
 * the caller owns and swaps out (pii_wreader_swap) before pii_wreader_free:
 * a pipeline reads straight into its slots and needs no buffer of its own. */
void pii_wreader_init_on(pii_wreader *r, uint8_t *buf, size_t window_size, pii_read_fn rd, void *ud);
/* 1: *w is a new window; 0: stream finished; -1: read error (errno set);
 * 2 (tell_pauses only): the input paused with nothing new to hand out --
 * call again to wait for it.  rd failing with EAGAIN means "nothing more
 * at once; the next call waits" (see above); any other failure is a read
 * error. */
int pii_wreader_next(pii_wreader *r, pii_window *w);
void pii_wreader_free(pii_wreader *r);
/* Before the first window: read until the buffer is full or the stream
 * ends (r->eof then says the whole stream is in it).  0, or -1 on a read
 * error (errno set). */
int pii_wreader_prefill(pii_wreader *r);
/* Before the first window: go on in buf of cap bytes (cap >= the current
 * one), with the bytes read so far copied; returns the old buffer. */
uint8_t *pii_wreader_grow(pii_wreader *r, uint8_t *buf, size_t cap);
/* Continue in buf (window_size bytes) instead of the current buffer: the
 * bytes the next window still needs are copied over, and the previous
 * buffer -- which may still be read by other threads -- is returned to the
 * caller, who now owns it.  Call between windows. */
uint8_t *pii_wreader_swap(pii_wreader *r, uint8_t *buf);

#endif
