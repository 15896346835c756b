/*
 * piiscan.h -- public API of libpiiscan.
 *
 * A ruleset is compiled once (detector table, Hyperscan database, lookup
 * tables) and is immutable afterwards, so any number of threads may share it.
 * A scanner is per thread: it owns the Hyperscan scratch and the span arrays
 * that the hot path fills without allocating.
 *
 * Findings are delivered through a callback.  Pointers inside a finding
 * (value, normalized value, context) are valid only during the callback.
 */
#ifndef PIISCAN_H
#define PIISCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PIISCAN_VERSION "0.1.0"

/* Canonical type names (DESIGN.md section 2); order is part of the ABI. */
typedef enum piiscan_type {
    PIISCAN_CN_RESIDENT_ID,
    PIISCAN_CN_MOBILE,
    PIISCAN_CN_LANDLINE,
    PIISCAN_EMAIL,
    PIISCAN_IPV4,
    PIISCAN_IPV6,
    PIISCAN_MAC,
    PIISCAN_IMEI,
    PIISCAN_MEID,
    PIISCAN_IMSI,
    PIISCAN_ICCID,
    PIISCAN_ANDROID_ID,
    PIISCAN_IDFA,
    PIISCAN_IDFV,
    PIISCAN_GAID,
    PIISCAN_OAID,
    PIISCAN_BANK_CARD,
    PIISCAN_CN_PASSPORT,
    PIISCAN_HK_MACAU_PERMIT,
    PIISCAN_HKID,
    PIISCAN_TW_ID,
    PIISCAN_GPS,
    PIISCAN_BIRTH_DATE,
    PIISCAN_CN_ADDRESS,
    PIISCAN_PERSON_NAME,
    PIISCAN_TYPE_COUNT
} piiscan_type;

/* "CN_MOBILE" etc.; NULL for an out-of-range value. */
const char *piiscan_type_name(piiscan_type t);
/* Inverse of piiscan_type_name (case-insensitive); -1 if unknown. */
int piiscan_type_from_name(const char *name);

typedef struct piiscan_finding {
    piiscan_type type;
    uint64_t start;            /* byte offset in the stream */
    uint64_t end;              /* exclusive */
    uint64_t line;             /* 1-based line of start */
    uint64_t col;              /* 1-based byte column of start */
    double confidence;         /* [0,1] */
    const char *context;       /* "key:phone", "hotword:手机" or "" */
    const unsigned char *value; /* raw bytes [start,end) */
    size_t value_len;
    /* The value as its field means it: inside a JSON string, value with its
     * escapes undone ("\u674e\u5a1c" is 李娜), so that a name written either
     * way gets one fingerprint, preview and token; else the same as value.
     * NULL from a caller that does not set it: then value is meant. */
    const unsigned char *text;
    size_t text_len;
    const char *norm;          /* normalized text, NUL-terminated */
    size_t norm_len;
    /* The keyed fingerprint (piiscan_fingerprint of norm), made on the
     * detecting thread when the scan options ask for it (fingerprints; see
     * piiscan_report_options_prepare), else NULL; fingerprint_key is the
     * key it was made under. */
    const char *fingerprint;
    const unsigned char *fingerprint_key;
    size_t fingerprint_key_len;
    /* Redaction by piiscan_redactor: the replacement its operator made for
     * this finding on a detecting thread (replacement_len bytes, or
     * PIISCAN_KEEP) when not NULL.  Other transforms ignore it. */
    const unsigned char *replacement;
    ptrdiff_t replacement_len;
} piiscan_finding;

/* Return non-zero to stop the scan (the scan then returns that value). */
typedef int (*piiscan_finding_fn)(void *ud, const piiscan_finding *f);
/* Read up to cap bytes; return the count, 0 at end of stream, -1 on error
 * with errno set.  -1 with errno EAGAIN means the source paused (a live
 * pipe that stayed quiet for PIISCAN_PAUSE_MS, or ran dry at all after
 * PIISCAN_HOLD_MS of reads): what was read up to the last newline is then
 * detected without waiting for more, and the next call must wait for
 * data. */
#define PIISCAN_PAUSE_MS 20
#define PIISCAN_HOLD_MS 200
typedef ssize_t (*piiscan_read_fn)(void *ud, void *buf, size_t cap);

typedef struct piiscan_ruleset piiscan_ruleset;
typedef struct piiscan_scanner piiscan_scanner;

/* Compile the built-in detector table and run the start-up self-test
 * (every rule's examples must be found, every negative must not).
 * On failure returns -1 and writes a message into err. */
int piiscan_ruleset_new(piiscan_ruleset **out, char *err, size_t errlen);
void piiscan_ruleset_free(piiscan_ruleset *rs);
/* An identity of what decides findings: the library's version, its
 * detector table and the Hyperscan it runs on.  Kept next to stored
 * results (scan --incremental) to tell when they are stale. */
uint64_t piiscan_ruleset_identity(const piiscan_ruleset *rs);

typedef struct piiscan_scan_options {
    double min_confidence;     /* findings below are dropped (default 0.5) */
    size_t window_size;        /* bytes per window (default 1 MiB, min 4 KiB) */
    /* Scans of structured data (CSV, JSON, SQL dumps): after a stream's last
     * finding and before its end callback, called once per column or key
     * path with its context ("column:手机", "key:user.phone", as in
     * findings) and how many values it had (rows).  ud is the stream's.
     * NULL (the default): not called. */
    void (*columns)(void *ud, const char *context, uint64_t rows);
    /* Pipelines only: text that is not UTF-8 but GBK (GB18030), as Excel
     * on Chinese Windows saves CSV, is decoded to UTF-8 for detection --
     * offsets, columns and values then count the UTF-8 text's bytes -- and
     * a redacted copy is encoded back to GBK.  After such a stream's last
     * finding and before its end callback, called with a note that says
     * so (ud is the stream's).  NULL (the default): not called. */
    void (*note)(void *ud, const char *msg);
    /* Pipelines only: a stream read from a pipe or socket that pauses (`tail
     * -f app.log | piiscan redact -`) is not held until a window fills: what
     * it has sent up to its last newline is detected at once, and after its
     * findings (or redacted bytes) are delivered this is called, with the
     * stream's ud, to flush whatever output they went to.  NULL (the
     * default): not called. */
    void (*paused)(void *ud);
    /* Pipelines only: each finding's keyed fingerprint under
     * fingerprint_key (which must stay valid while the pipeline runs) made
     * on the detecting threads, in parallel, instead of by a report on the
     * one thread that puts findings in order (it is an HMAC per finding).
     * Off by default; piiscan_report_options_prepare sets it as a report
     * needs. */
    bool fingerprints;
    const unsigned char *fingerprint_key;
    size_t fingerprint_key_len;
} piiscan_scan_options;

void piiscan_scan_options_init(piiscan_scan_options *o);

int piiscan_scanner_new(piiscan_scanner **out, const piiscan_ruleset *rs,
                        const piiscan_scan_options *o);
void piiscan_scanner_free(piiscan_scanner *sc);

/* Scan one complete buffer (offsets start at 0). 0 on success. */
int piiscan_scan_buffer(piiscan_scanner *sc, const void *buf, size_t len,
                        piiscan_finding_fn fn, void *ud);
/* Scan a stream in line-aligned windows. -1 on read error (errno set). */
int piiscan_scan_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud,
                        piiscan_finding_fn fn, void *ud);

/* ---- redaction ---------------------------------------------------------- */
/* Replacement for one finding: write at most cap bytes into out and return
 * the count, return PIISCAN_KEEP to leave the finding unchanged, or a
 * negative value (< -3, or -1) to abort the stream with that value. */
#define PIISCAN_KEEP (-100)
typedef ssize_t (*piiscan_transform_fn)(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap);
/* Write len bytes; 0 on success, -1 on error (errno set). */
typedef int (*piiscan_write_fn)(void *ud, const void *buf, size_t len);

/* Copy a stream to the writer with every finding replaced by the transform;
 * all other bytes are copied unchanged.  Returns 0; -1 on a read error
 * (errno), -2 when the transform failed, -3 on a write error, or the
 * transform's own negative value. */
int piiscan_redact_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud, piiscan_transform_fn tf, void *tud,
                          piiscan_write_fn wr, void *wud);

/* ---- parallel scanning -------------------------------------------------- */
/* Windows of every stream are detected on `threads` threads (0: all online
 * CPUs); findings, or redacted bytes, are delivered in stream order, streams
 * in the order they were added, by one thread at a time.  The calling
 * thread is one of them: threads - 1 workers are started, and the caller
 * detects queued windows whenever it would wait for them (with threads 1,
 * as soon as it queued them), so that `threads` busy threads use `threads`
 * CPUs.  So the callbacks (findings, writes, ends) run on a worker or on
 * the caller's own thread, inside piiscan_pipeline_scan, _redact, _wait
 * and _free: they must not call into the pipeline, nor wait for a lock
 * the caller holds around those calls.  Streams are added, and waited
 * for, by one thread at a time.  Memory: 2 * threads + 2 windows. */
typedef struct piiscan_pipeline piiscan_pipeline;
/* Called once per stream after its last delivery.  rc is as returned by
 * piiscan_scan_stream / piiscan_redact_stream; err is errno for rc -1. */
typedef void (*piiscan_end_fn)(void *ud, int rc, int err);

int piiscan_pipeline_new(piiscan_pipeline **out, const piiscan_ruleset *rs, const piiscan_scan_options *o,
                         int threads);
/* Read the stream to its end in the calling thread and queue its windows.
 * Returns 0 once it is read (deliveries may still follow), -1 if out of
 * memory (end is then not called).  ud is passed to fn and end. */
int piiscan_pipeline_scan(piiscan_pipeline *p, piiscan_read_fn rd, void *rud, piiscan_finding_fn fn,
                          piiscan_end_fn end, void *ud);
/* The same for redaction; ud is passed to tf, wr and end. */
int piiscan_pipeline_redact(piiscan_pipeline *p, piiscan_read_fn rd, void *rud, piiscan_transform_fn tf,
                            piiscan_write_fn wr, piiscan_end_fn end, void *ud);
/* The same, with the stream's name (a path, or an archive member's virtual
 * path "dump.zip!/users.csv") as a hint for recognising structured data:
 * a .csv .tsv .json .jsonl .ndjson or .sql name relaxes the content tests
 * of that format.  name may be NULL and need not outlive the call. */
int piiscan_pipeline_scan_named(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                piiscan_finding_fn fn, piiscan_end_fn end, void *ud);
int piiscan_pipeline_redact_named(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                  piiscan_transform_fn tf, piiscan_write_fn wr, piiscan_end_fn end, void *ud);
/* Wait until everything queued has been delivered. */
void piiscan_pipeline_wait(piiscan_pipeline *p);
/* Wait, stop the threads and free. */
void piiscan_pipeline_free(piiscan_pipeline *p);

/* ---- inputs: files, standard input, and the containers among them ------ */
/* A command hands its inputs here in the order it finds them; a
 * compressed file or an archive (gzip, xz, bzip2, zstd, lz4, lzip,
 * compress; tar, zip, 7z, cpio, rar; nested) is opened and each member
 * given out as a stream of its own, named by its virtual path
 * ("logs.tar.gz!/app.log"), anything else as one stream.  With two
 * threads or more, containers are inflated ahead by walker threads (one
 * deflate stream cannot be split, so this is how a directory of .gz files
 * uses more than one core); streams and messages still come out in the
 * order the inputs were given, in the caller's thread, so that a report
 * keeps the order of the command line.  Member names come from libarchive
 * in the character set of LC_CTYPE: set a UTF-8 one (the piiscan command
 * sets C.UTF-8), or in the "C" locale a non-ASCII zip name is lost. */

/* How far a container may expand: its bytes are untrusted (zip bombs,
 * archives nested a hundred deep).  Set by piiscan_limits_init and
 * piiscan_limits_set; a member that would pass a limit is cut short and
 * said so. */
typedef struct piiscan_limits {
    int max_depth;             /* containers inside containers (default 4) */
    uint64_t max_total;        /* decompressed bytes per top-level file (default 64 GiB) */
    double max_ratio;          /* decompressed / compressed bytes per member (default 1000) */
} piiscan_limits;

void piiscan_limits_init(piiscan_limits *l);
/* Set one limit from its command-line form: name "max-depth" (1..64),
 * "max-expansion" (bytes, K, M, G, T suffixes) or "max-ratio" (above 1).
 * 0, or -1 with a message in err. */
int piiscan_limits_set(piiscan_limits *l, const char *name, const char *value, char *err, size_t errlen);

typedef struct piiscan_inputs piiscan_inputs;

typedef struct piiscan_input_ops {
    /* A stream in its turn: a plain input or a container's member, named
     * name.  rd reads it (rd and name last for this call only); it may be
     * left unfinished.  Non-zero stops the inputs (see below). */
    int (*stream)(void *ud, const char *name, piiscan_read_fn rd, void *rud);
    /* A message in its turn, about name: a member skipped or cut short
     * (encrypted, a link, a limit hit, corrupt data), or one the caller
     * put in line with piiscan_inputs_message.  is_error: something was
     * not read. */
    void (*message)(void *ud, const char *name, const char *msg, int is_error);
    /* Asked after each input's turn: non-zero stops the inputs as a
     * stream's return value does (for what another thread finds, such as
     * a report that can no longer be written).  May be NULL. */
    int (*stopped)(void *ud);
    /* stream's rd goes to a pipeline (piiscan_pipeline_scan_named), which
     * knows a live pipe's pauses: rd of standard input or another pipe
     * then fails with EAGAIN when the writer pauses (piiscan_read_fn), and
     * what it sent is detected at once.  false: rd waits, as any read. */
    bool pauses;
} piiscan_input_ops;

/* Inputs for a run on `threads` detection threads (0: one per online
 * CPU), which decides how many walker threads read ahead (none below
 * two); lim is copied.  -1 when out of resources. */
int piiscan_inputs_new(piiscan_inputs **out, int threads, const piiscan_limits *lim, const piiscan_input_ops *ops,
                       void *ud);
/* Stop reading ahead and free; what still waits is dropped unread. */
void piiscan_inputs_free(piiscan_inputs *in);

/* The functions below give an input its place in the order.  Its turn,
 * and the turns of inputs that waited before it, may come during the call
 * or in a later one; each returns non-zero when a turn stopped the inputs
 * (the stream's value, which should be positive, or 1 from stopped), or
 * -1 when out of memory;
 * after that, the caller gives no more inputs. */

/* The file open on fd (its start) named path; fd is the inputs' from
 * here on, even on failure.  Its first bytes tell whether it is a
 * container, and are given back as the stream's first. */
int piiscan_inputs_file(piiscan_inputs *in, const char *path, int fd);
/* The file named path, opened with open(2) flags (O_RDONLY and what
 * else the caller wants: O_NOFOLLOW, O_NONBLOCK, ...); read as
 * piiscan_inputs_file reads an open one.  With 3 threads or more it is
 * opened and read ahead of its turn by a reader thread, which adds O_NONBLOCK to
 * the open (and takes it off again) so that a FIFO never blocks it, and
 * reads a small file whole.  If it cannot be opened, strerror(errno) is
 * the message, in its place, as an error. */
int piiscan_inputs_open(piiscan_inputs *in, const char *path, int flags);
/* A message about path, in its place among the streams (a file that
 * could not be opened, one skipped: is_error 0). */
int piiscan_inputs_message(piiscan_inputs *in, const char *path, const char *msg, int is_error);
/* Standard input or another pipe, fd, named name, whose first bytes
 * head[0..n) the caller has read already (a pipe gives them up only
 * once, and PIISCAN_HEAD_BYTES of them tell a container): it is read
 * now, in this call, after every input before it; fd is left open.  A
 * pipe's buffer is grown to 1 MiB where the system allows it (Linux), so
 * that its writer runs ahead of the detection threads. */
#define PIISCAN_HEAD_BYTES 512
int piiscan_inputs_pipe(piiscan_inputs *in, const char *name, int fd, const void *head, size_t n);
/* Those first bytes: up to cap from fd, fewer at its end (EINTR retried,
 * a non-blocking fd waited on); -1 on a read error.  Text whose writer
 * pauses after a whole line (`tail -f app.log | piiscan ...`) is not
 * waited for: six bytes tell every magic number, and a tar header, written
 * as one 512-byte block, holds no newline in its first bytes. */
ssize_t piiscan_read_head(int fd, void *buf, size_t cap);
/* Every turn still waiting, in order. */
int piiscan_inputs_finish(piiscan_inputs *in);

/* ---- de-identification: policy, key, redactor -------------------------- */
/* What `piiscan redact` and `piiscan reveal` do to files, as a library:
 * the command only parses its options, walks its arguments, decides where
 * each copy goes and wires the inputs to it.  Operators and their text
 * forms are documented in docs/operators.md. */

/* Which operator applies to which finding.  Sources, strongest first:
 * piiscan_policy_op (the command line's --op TYPE=OP); a policy file's
 * `keys:` (the finding sits under that key or column); its `types:`;
 * piiscan_policy_default_op (--default-op); its `default:`; and finally
 * mask, so that a policy nobody set is safe without a key. */
typedef struct piiscan_policy piiscan_policy;

/* An empty policy (everything masked); -1 when out of memory. */
int piiscan_policy_new(piiscan_policy **out);
void piiscan_policy_free(piiscan_policy *p);
/* A YAML policy file (corpora/policies/ has examples), or the same text
 * from memory (name is used in messages).  0, or -1 with a message
 * "FILE:LINE:COL: ..." in err. */
int piiscan_policy_load(piiscan_policy *p, const char *path, char *err, size_t errlen);
int piiscan_policy_parse(piiscan_policy *p, const char *name, const char *text, size_t len, char *err,
                         size_t errlen);
/* "TYPE=OPERATOR" (as --op), or the default operator (as --default-op);
 * an operator is "NAME" or "NAME:key=value,...".  0, or -1 with a message
 * naming the offending part in err. */
int piiscan_policy_op(piiscan_policy *p, const char *type_op, char *err, size_t errlen);
int piiscan_policy_default_op(piiscan_policy *p, const char *op, char *err, size_t errlen);
/* The file's `min_confidence:`, or a negative value when it sets none
 * (the caller's option, when given, wins over it). */
double piiscan_policy_min_confidence(const piiscan_policy *p);
/* The name of an operator that can be chosen and needs a key ("hash",
 * "encrypt", "fpe"), or NULL: a keyed operator without a key is an error,
 * never a silent fallback, so the caller asks before it starts. */
const char *piiscan_policy_needs_key(const piiscan_policy *p);

/* The operators' keys, derived from one master key (HKDF-SHA-256, one
 * sub-key per operator: docs/operators.md, "Keys"). */
typedef struct piiscan_key piiscan_key;

/* master must have at least 16 bytes; -1 if not, or out of memory. */
int piiscan_key_new(piiscan_key **out, const unsigned char *master, size_t len);
/* Wipes the derived keys and frees; k may be NULL. */
void piiscan_key_free(piiscan_key *k);
/* 16 hex digits + NUL that tell two keys apart and nothing of either (a
 * keyed fingerprint of a constant): for a cache of copies that must be
 * made again when the key changes. */
void piiscan_key_id(const piiscan_key *k, char out[17]);

/* Reveal one value given on its own rather than found in a file: an
 * `encrypt` token (which names its own type), or a value of type t that
 * the policy's operator for t (fpe when that is not reversible) made.
 * Writes the original into out and returns its length, or -1 with a
 * message in err. */
ssize_t piiscan_reveal_value(const piiscan_policy *p, const piiscan_key *k, piiscan_type t, const char *value,
                             size_t n, unsigned char *out, size_t cap, char *err, size_t errlen);

typedef struct piiscan_redact_options {
    int reveal;                /* undo encrypt and fpe instead of applying the policy (needs the key) */
    int threads;               /* detection threads, as in piiscan_pipeline_new (0: all online CPUs) */
    piiscan_scan_options scan; /* what counts as a finding */
    piiscan_limits limits;     /* how far a container may expand */
    size_t tag_size;           /* bytes of the caller's data each input carries (piiscan_redact_file) */
} piiscan_redact_options;

void piiscan_redact_options_init(piiscan_redact_options *o);

/* What the redactor asks of its caller (finding may be NULL, the others
 * may not).  An input's turn is begin, open, end, one input after the
 * other and never two at once, in the order the inputs were given, in the
 * caller's thread, so the caller may keep what one input needs (where its
 * copy goes) between these calls.  tag is the input's copy of the bytes
 * given with it, which the callbacks may change. */
typedef struct piiscan_redact_ops {
    /* An input's turn, before it is read: decide where its copy goes.  0
     * to go on; non-zero skips it (the callback says why, if it should). */
    int (*begin)(void *ud, const char *path, void *tag);
    /* The input is readable, and is text or a container: the stream its
     * copy is written to, or NULL to skip it (the callback said why).  A
     * container that cannot be written back in its own format (rar) is
     * unpacked redacted, as plain files, under the directory the callback
     * puts in *unpack_dir (left NULL: not unpacked, only refused). */
    FILE *(*open)(void *ud, const char *path, void *tag, const char **unpack_dir);
    /* After open: ok when the copy is complete, else it holds garbage and
     * must be dropped (what failed was said through message). */
    void (*end)(void *ud, const char *path, void *tag, int ok);
    /* A value was replaced (not for reveal), in stream order; path names
     * the file or the archive member.  Called on the detection threads,
     * one at a time, while the caller's thread waits for the stream.
     * Non-zero fails the copy as a write error (a report that can no
     * longer be written).  May be NULL. */
    int (*finding)(void *ud, const char *path, const piiscan_finding *f);
    /* A message about path, in its turn: is_error when a copy was not made
     * or is incomplete (and for a walk's messages, as given); otherwise a
     * note.  Called from the caller's thread. */
    void (*message)(void *ud, const char *path, const char *msg, int is_error);
} piiscan_redact_ops;

/* Copies of files, standard input and archive members with every finding
 * replaced by its policy's operator (or, for reveal, restored), every
 * other byte unchanged.  A container is written back in its own format
 * (a .gz stays gzip, a zip keeps its member names and order); a member
 * that cannot be copied fails its whole file, since a copy with one
 * member left as it was would leak exactly what was to be removed.  With
 * two threads or more, containers are inflated ahead by walker threads
 * while the inputs still take their turns in order, so that copies,
 * messages and a report keep the order of the command line. */
typedef struct piiscan_redactor piiscan_redactor;

/* rs, p and k (NULL: no key; required for reveal and keyed operators)
 * must outlive the redactor; o and ops are copied.  -1 when out of
 * resources. */
int piiscan_redactor_new(piiscan_redactor **out, const piiscan_ruleset *rs, const piiscan_policy *p,
                         const piiscan_key *k, const piiscan_redact_options *o, const piiscan_redact_ops *ops,
                         void *ud);
/* Stop reading ahead and free; inputs still waiting are dropped without
 * their turn (piiscan_redact_finish first to have them). */
void piiscan_redactor_free(piiscan_redactor *rd);

/* Give the file path (and the tag_size bytes at tag, copied) its place in the
 * order; its turn may come during this call or a later one.  The redactor
 * opens it itself, early when it may read it ahead.  Returns 0 (a file
 * that cannot be copied is said, not returned). */
int piiscan_redact_file(piiscan_redactor *rd, const char *path, const void *tag);
/* A message (a walk's error or note) in its place among the files. */
int piiscan_redact_message(piiscan_redactor *rd, const char *path, const char *msg, int is_error);
/* Take every turn still waiting, in order; more inputs may follow. */
int piiscan_redact_finish(piiscan_redactor *rd);

/* Standard input or another pipe, fd, named name, whose first bytes
 * head[0..n) the caller has read already (PIISCAN_HEAD_BYTES of them tell
 * a container, and a pipe gives them up only once), copied to out now
 * (after piiscan_redact_finish: nothing else waits).  A container is
 * written back in its format, with its last bytes held back until it is
 * complete, so that a failed copy is one no reader takes for whole.  A
 * pipe's buffer is grown as piiscan_inputs_pipe grows it.
 * Returns 0; -1 when the copy failed (said); -2 when out failed at its
 * end (not said: the caller knows what out is). */
int piiscan_redact_pipe(piiscan_redactor *rd, const char *name, int fd, const void *head, size_t n, FILE *out);

/* ---- detector catalogue ------------------------------------------------ */
typedef struct piiscan_detector_info {
    piiscan_type type;
    const char *name;
    const char *description;
    const char *example;       /* a fake, valid example */
    const char *reporting;     /* "always", "validated", "key or hotword", ... */
} piiscan_detector_info;

/* Number of detectors in the ruleset, and the i-th one. */
size_t piiscan_detector_count(const piiscan_ruleset *rs);
const piiscan_detector_info *piiscan_detector(const piiscan_ruleset *rs, size_t i);

/* ---- value helpers ----------------------------------------------------- */
/* Masked preview such as 138****5678; NUL-terminated, truncated to cap. */
size_t piiscan_preview(piiscan_type t, const char *norm, size_t len, char *out,
                       size_t cap);
/* Keyed fingerprint of a normalized value: 16 lowercase hex digits + NUL. */
void piiscan_fingerprint(const unsigned char *key, size_t keylen, piiscan_type t,
                         const char *norm, size_t len, char out[17]);

/* ---- what kind of text a stream holds ------------------------------------ */
/* Judged from a stream's first bytes, given block by block (64 KiB is
 * plenty): NUL bytes (binary) and UTF-8 validity (GBK logs are common in
 * China; their Chinese keys and hotwords will not match UTF-8 literals,
 * which the user should know).  Both are still scanned: personal data in
 * a binary file or a GBK file is still personal data.  UTF-16 text (a
 * byte-order mark) is not: every other byte is NUL, and nothing in it is
 * found. */
typedef struct piiscan_sniff {
    bool has_nul;
    bool bad_utf8;
    size_t nul_at;             /* offsets from the start of the stream */
    size_t bad_at;
    bool utf16;                /* starts with a UTF-16 byte-order mark (FF FE or FE FF) */
    /* the sniffer's own state */
    size_t off;                /* bytes seen so far */
    unsigned char pend[4];     /* a sequence cut by the end of the last block */
    size_t npend;
    bool started;              /* past the continuation bytes a cut stream may start with */
    unsigned char head[2];     /* the first two bytes, however the blocks fall */
} piiscan_sniff;

/* The next block of a stream (blocks in order, s zero-initialised first);
 * a multi-byte sequence cut between blocks is joined up. */
void piiscan_sniff_block(piiscan_sniff *s, const void *buf, size_t n);

/* Text from outside (scanned data, file names) written to fp so that it
 * cannot act on a terminal: control characters and broken UTF-8 are shown
 * as '?', so one line stays one line and a crafted name cannot inject
 * escape sequences.  fp NULL: only measures.  Returns the width in
 * display columns (CJK counts two). */
size_t piiscan_put_safe(FILE *fp, const char *s);

/* ---- reports ----------------------------------------------------------- */
typedef enum piiscan_format {
    PIISCAN_FMT_SUMMARY,
    PIISCAN_FMT_JSONL,
    PIISCAN_FMT_JSON,
    PIISCAN_FMT_SARIF,
    PIISCAN_FMT_CSV,
    PIISCAN_FMT_COLUMNS        /* per file, per column / key: types, share of rows */
} piiscan_format;

/* -1 if unknown. */
int piiscan_format_from_name(const char *name);

typedef struct piiscan_report_options {
    piiscan_format format;
    int show_values;           /* include raw values (off by default) */
    const unsigned char *key;  /* fingerprint key */
    size_t key_len;
} piiscan_report_options;

typedef struct piiscan_report piiscan_report;

/* Set so's fingerprints as a report opened with ro writes them (formats
 * that list findings), so that a pipeline made with so makes them on its
 * detecting threads.  The report takes a finding's fingerprint as it
 * comes when it was made under the report's key, and makes its own
 * otherwise. */
void piiscan_report_options_prepare(const piiscan_report_options *ro, piiscan_scan_options *so);

/* The report writes to fp; it does not close it. */
int piiscan_report_open(piiscan_report **out, FILE *fp,
                        const piiscan_report_options *o);
int piiscan_report_finding(piiscan_report *r, const char *path,
                           const piiscan_finding *f);
/* A column or key path of path had rows values (scan option `columns`). */
void piiscan_report_column(piiscan_report *r, const char *path, const char *context, uint64_t rows);
/* A file was scanned completely (bytes = its size). */
void piiscan_report_file(piiscan_report *r, const char *path, uint64_t bytes);
/* An error for path (the file was not, or not completely, scanned). */
void piiscan_report_error(piiscan_report *r, const char *path, const char *msg);
/* Push what was written so far out of the stream's buffer (a live input
 * paused: piiscan_scan_options.paused).  0, or -1 on a write error. */
int piiscan_report_flush(piiscan_report *r);
/* Write the summary / closing part; returns 0, or -1 on a write error.
 * Frees r in both cases. */
int piiscan_report_close(piiscan_report *r, double seconds);

#ifdef __cplusplus
}
#endif
#endif
