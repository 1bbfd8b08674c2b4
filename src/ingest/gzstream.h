/*
 * gzstream: the byte source of the reader. Reads a FILE*, detects gzip
 * from the magic bytes (1f 8b) and inflates it in chunks with zlib
 * (concatenated members included); anything else is passed through.
 * Guards against decompression bombs with a ratio limit. A FILE with a
 * descriptor is read with read(2), in the order of the stream and never
 * seeking, so pipes, FIFOs, devices and standard input work as files do.
 */
#ifndef CFGAUDIT_GZSTREAM_H
#define CFGAUDIT_GZSTREAM_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Output below this many bytes is never checked against the ratio limit,
 * so that small, highly repetitive files are not penalised. */
#define GZSTREAM_RATIO_GRACE (8u << 20)

/* A gzip file inflates in a thread of its own once it has produced this
 * many bytes (0: never). Tests lower it to exercise the thread. */
extern size_t gzstream_thread_after;

struct gzstream;

/* Start reading f (not closed here). max_ratio is the largest allowed
 * decompressed/compressed ratio (<= 0: no limit). Never fails except on
 * memory exhaustion (which aborts). */
struct gzstream *gzstream_open(FILE *f, double max_ratio);

/* Read up to n decompressed bytes into buf. Returns the number of bytes
 * (> 0), 0 at the end of the data, or -1 with a message in err (errlen
 * bytes): what is wrong and at which compressed byte offset. */
ssize_t gzstream_read(struct gzstream *g, char *buf, size_t n, char *err, size_t errlen);

/* 1 if the input is gzip-compressed (known after the first read). */
int gzstream_is_gzip(const struct gzstream *g);

/* Decompressed bytes produced so far, including those of a read that
 * failed: the offset an error is reported at. */
long long gzstream_out_offset(const struct gzstream *g);

/* Compressed bytes consumed so far (= decompressed for plain input). */
long long gzstream_in_offset(const struct gzstream *g);

/* Add every byte read from the input (compressed or plain, trailing
 * bytes included) to c, which stays the caller's. Call before the first
 * read. Once gzstream_read has returned 0, c has seen the whole input and
 * gzstream_raw_bytes says how long it was: the digest of exactly the
 * bytes that were parsed. */
struct sha256_ctx;
void gzstream_set_digest(struct gzstream *g, struct sha256_ctx *c);

/* Bytes read from the input so far (the file's size once at the end). */
long long gzstream_raw_bytes(const struct gzstream *g);

void gzstream_close(struct gzstream *g);

#endif
