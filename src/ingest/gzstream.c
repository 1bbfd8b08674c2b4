/*
 * gzstream: gzip-or-plain byte source for the reader (see gzstream.h).
 * The compressed side is read in large chunks so that zlib, not stdio,
 * sets the pace.
 *
 * Inflating is about a fifth of the reader's work. Once a gzip file has
 * produced GZSTREAM_THREAD_AFTER bytes (so the many small history files
 * never pay for a thread), inflating moves to a thread of its own that
 * fills a ring of buffers ahead of the parser; errors and the end of the
 * data reach the reader in stream order, exactly as without the thread.
 *
 * Built with ISA-L (libisal, HAVE_ISAL), its igzip inflates instead of
 * zlib: the same gzip members, checks (CRC-32 and length of each member)
 * and errors, at about three times zlib's speed. zlib's z_stream still
 * holds the input buffer's position either way (next_in, avail_in).
 */
#include "config.h"

#include "ingest/gzstream.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define IN_CHUNK (256u * 1024u)
#define RING_BUFS 4
#define RING_BUF_SIZE (1u << 20)

size_t gzstream_thread_after = 4u << 20;

/* One buffer of the ring: filled by the inflate thread, drained by
 * gzstream_read. */
struct ring_buf {
	char *data; /* RING_BUF_SIZE bytes */
	size_t len; /* bytes filled */
	size_t pos; /* bytes already handed out */
	int full;   /* filled and not yet drained */
	int last;   /* after this buffer: end of data (status 0) or error */
};

/* The inflate thread and its ring. */
struct ring {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* signalled on every state change */
	struct ring_buf buf[RING_BUFS];
	int head;      /* next buffer gzstream_read drains */
	int stop;      /* close asks the thread to finish */
	int status;    /* with the last buffer: 0 end, -1 error */
	char err[256]; /* the error, if status is -1 */
};

struct gzstream {
	FILE *f;		   /* input, borrowed */
	int fd;			   /* its descriptor (read directly), or -1: use fread */
	struct sha256_ctx *digest; /* every byte read from f goes here, or NULL */
	double max_ratio;	   /* <= 0: unlimited */
	int started;		   /* magic bytes looked at */
	int gzip;		   /* input is gzip */
	int eof_in;		   /* fread has reported end of file */
	int done;		   /* all output delivered */
	int member_ended;	   /* inflate reported the end of a gzip member */
	int z_ready;		   /* zs initialised */
	z_stream zs;		   /* inflate state; next_in/avail_in point into in */
#ifdef HAVE_ISAL
	struct inflate_state *is;  /* ISA-L's inflate state (zs then holds only the input) */
	unsigned char *stage;	   /* its output, STAGE_SIZE bytes (see inflate_some) */
	size_t stage_len, stage_pos; /* bytes in stage, bytes handed out */
#endif
	unsigned char *in;	   /* compressed (or plain) read buffer, IN_CHUNK bytes */
	long long in_total;	   /* bytes read from f */
	long long out_total;	   /* bytes delivered (by the inflate thread, if any) */
	struct ring *ring;	   /* the inflate thread, once started */
	int ring_done;		   /* the ring delivered its end or error */
	int ring_status;	   /* which: 0 or -1 */
	char ring_err[256];	   /* the error it delivered */
};

static ssize_t read_gzip(struct gzstream *g, char *buf, size_t n, char *err, size_t errlen);

/* ---- the inflater: zlib, or ISA-L's igzip ---- */

#ifdef HAVE_ISAL
/* zlib's words for ISA-L's errors. */
static const char *isal_error(int ret)
{
	switch (ret) {
	case ISAL_INVALID_BLOCK:
		return "invalid block";
	case ISAL_INVALID_SYMBOL:
		return "invalid code";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER:
		return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD:
		return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check";
	default:
		return "inflate error";
	}
}

#define STAGE_SIZE (64u * 1024u)

static int inflate_start(struct gzstream *g)
{
	g->is = xmalloc(sizeof(*g->is));
	g->stage = xmalloc(STAGE_SIZE);
	g->stage_len = g->stage_pos = 0;
	isal_inflate_init(g->is);
	g->is->crc_flag = ISAL_GZIP; /* a gzip member: header, data, CRC-32 and length */
	return 0;
}

static int inflate_next_member(struct gzstream *g)
{
	g->stage_len = g->stage_pos = 0;
	isal_inflate_reset(g->is);
	g->is->crc_flag = ISAL_GZIP;
	return 0;
}

static void inflate_end(struct gzstream *g)
{
	free(g->is);
	free(g->stage);
	g->is = NULL;
	g->stage = NULL;
}

/* Inflate from zs.next_in into buf (n bytes): *produced bytes, *ended at
 * the end of a member. 0, or -1 with *msg.
 *
 * igzip inflates into the stage, always STAGE_SIZE bytes at a time, and
 * buf is served from there: how much of a truncated member it gives out
 * before the end of the input depends on the room it is given, and the
 * caller's room differs (the reader's reads, the inflate thread's
 * buffers); this way the bytes before an error do not. */
static int inflate_some(struct gzstream *g, char *buf, size_t n, size_t *produced, int *ended,
			const char **msg)
{
	struct inflate_state *is = g->is;
	int ret;

	if (g->stage_pos == g->stage_len && is->block_state != ISAL_BLOCK_FINISH) {
		is->next_in = g->zs.next_in;
		is->avail_in = g->zs.avail_in;
		is->next_out = g->stage;
		is->avail_out = STAGE_SIZE;
		ret = isal_inflate(is);
		g->zs.next_in = is->next_in;
		g->zs.avail_in = is->avail_in;
		g->stage_pos = 0;
		g->stage_len = STAGE_SIZE - is->avail_out;
		if (ret < 0) {
			*produced = g->stage_len; /* counted, not handed out (as zlib's) */
			g->stage_len = 0;
			*msg = isal_error(ret);
			return -1;
		}
	}
	*produced = g->stage_len - g->stage_pos < n ? g->stage_len - g->stage_pos : n;
	memcpy(buf, g->stage + g->stage_pos, *produced);
	g->stage_pos += *produced;
	*ended = g->stage_pos == g->stage_len && is->block_state == ISAL_BLOCK_FINISH;
	return 0;
}
#else
static int inflate_start(struct gzstream *g)
{
	/* 15 + 32: any window, gzip or zlib header detected */
	return inflateInit2(&g->zs, 15 + 32) == Z_OK ? 0 : -1;
}

static int inflate_next_member(struct gzstream *g)
{
	return inflateReset(&g->zs) == Z_OK ? 0 : -1;
}

static void inflate_end(struct gzstream *g)
{
	inflateEnd(&g->zs);
}

static int inflate_some(struct gzstream *g, char *buf, size_t n, size_t *produced, int *ended,
			const char **msg)
{
	int ret;

	g->zs.next_out = (unsigned char *)buf;
	g->zs.avail_out = (uInt)(n > (1u << 30) ? (1u << 30) : n);
	*produced = g->zs.avail_out;
	ret = inflate(&g->zs, Z_NO_FLUSH);
	*produced -= g->zs.avail_out;
	*ended = ret == Z_STREAM_END;
	if (ret != Z_OK && ret != Z_BUF_ERROR && ret != Z_STREAM_END) {
		*msg = g->zs.msg ? g->zs.msg : zError(ret);
		return -1;
	}
	return 0;
}
#endif

struct gzstream *gzstream_open(FILE *f, double max_ratio)
{
	struct gzstream *g = xcalloc(1, sizeof(*g));

	g->f = f;
	g->fd = fileno(f);
	g->max_ratio = max_ratio;
	g->in = xmalloc(IN_CHUNK);
	return g;
}

static void ring_stop(struct gzstream *g)
{
	struct ring *R = g->ring;

	pthread_mutex_lock(&R->lock);
	R->stop = 1;
	pthread_cond_broadcast(&R->cond);
	pthread_mutex_unlock(&R->lock);
	pthread_join(R->thread, NULL);
	for (int i = 0; i < RING_BUFS; i++)
		free(R->buf[i].data);
	pthread_mutex_destroy(&R->lock);
	pthread_cond_destroy(&R->cond);
	free(R);
	g->ring = NULL;
}

void gzstream_close(struct gzstream *g)
{
	if (!g)
		return;
	if (g->ring)
		ring_stop(g);
	if (g->z_ready)
		inflate_end(g);
	free(g->in);
	free(g);
}

int gzstream_is_gzip(const struct gzstream *g)
{
	return g->gzip;
}

long long gzstream_out_offset(const struct gzstream *g)
{
	/* with a thread, only read once it has delivered its end or error */
	return g->out_total;
}

long long gzstream_in_offset(const struct gzstream *g)
{
	return g->in_total - g->zs.avail_in;
}

void gzstream_set_digest(struct gzstream *g, struct sha256_ctx *c)
{
	g->digest = c;
}

long long gzstream_raw_bytes(const struct gzstream *g)
{
	return g->in_total;
}

/*
 * Read up to n bytes of input. A descriptor is read with read(2), which
 * returns what a pipe holds now (fread would wait for n bytes or the
 * end), so that a stream is judged on its first bytes as soon as they
 * arrive. Every byte read is added to the digest. Returns the count, 0 at
 * the end, -1 on error (errno set).
 */
static ssize_t raw_read(struct gzstream *g, void *buf, size_t n)
{
	ssize_t got;

	if (g->fd >= 0) {
		do
			got = read(g->fd, buf, n);
		while (got < 0 && errno == EINTR);
	} else {
		got = (ssize_t)fread(buf, 1, n, g->f);
		if (got == 0 && ferror(g->f))
			got = -1;
	}
	if (got > 0 && g->digest)
		sha256_update(g->digest, buf, (size_t)got);
	return got;
}

/* Top the input buffer up so that at least want bytes are available
 * (fewer at end of file). Keeps unread bytes. Returns 0 or -1. */
static int fill_in(struct gzstream *g, size_t want, char *err, size_t errlen)
{
	size_t have = g->zs.avail_in, n;

	if (have >= want || g->eof_in)
		return 0;
	if (have && g->zs.next_in != g->in)
		memmove(g->in, g->zs.next_in, have);
	g->zs.next_in = g->in;
	while (have < want && !g->eof_in) {
		ssize_t got = raw_read(g, g->in + have, IN_CHUNK - have);

		if (got < 0) {
			snprintf(err, errlen, "read error at byte %lld: %s", g->in_total,
				 strerror(errno));
			return -1;
		}
		if (got == 0)
			g->eof_in = 1;
		n = (size_t)got;
		have += n;
		g->in_total += (long long)n;
	}
	g->zs.avail_in = (uInt)have;
	return 0;
}

static ssize_t read_plain(struct gzstream *g, char *buf, size_t n, char *err, size_t errlen)
{
	size_t got;

	if (g->zs.avail_in) {
		got = g->zs.avail_in < n ? g->zs.avail_in : n;
		memcpy(buf, g->zs.next_in, got);
		g->zs.next_in += got;
		g->zs.avail_in -= (uInt)got;
		g->out_total += (long long)got;
		return (ssize_t)got;
	}
	if (g->eof_in)
		return 0;
	{
		ssize_t r = raw_read(g, buf, n);

		if (r < 0) {
			snprintf(err, errlen, "read error at byte %lld: %s", g->in_total,
				 strerror(errno));
			return -1;
		}
		if (r == 0) {
			g->eof_in = 1;
			return 0;
		}
		got = (size_t)r;
	}
	g->in_total += (long long)got;
	g->out_total += (long long)got;
	return (ssize_t)got;
}

/* After the end of a gzip member: another member, zero padding (which
 * gzip itself ignores), the end of the file, or garbage. */
static int next_member(struct gzstream *g, char *err, size_t errlen)
{
	for (;;) {
		if (fill_in(g, 2, err, errlen))
			return -1;
		if (g->zs.avail_in == 0) {
			g->done = 1;
			return 0;
		}
		if (g->zs.avail_in >= 2 && g->zs.next_in[0] == 0x1f && g->zs.next_in[1] == 0x8b) {
			if (inflate_next_member(g)) {
				snprintf(err, errlen, "cannot restart inflate");
				return -1;
			}
			g->member_ended = 0;
			return 0;
		}
		while (g->zs.avail_in && *g->zs.next_in == 0) {
			g->zs.next_in++;
			g->zs.avail_in--;
		}
		if (g->zs.avail_in) {
			snprintf(err, errlen,
				 "trailing garbage after gzip data at compressed offset %lld",
				 gzstream_in_offset(g));
			return -1;
		}
	}
}

static ssize_t read_gzip(struct gzstream *g, char *buf, size_t n, char *err, size_t errlen)
{
	for (;;) {
		size_t produced;
		int ended, at_end;
		const char *msg = NULL;

		if (g->member_ended && next_member(g, err, errlen))
			return -1;
		if (g->done)
			return 0;
		if (fill_in(g, 1, err, errlen))
			return -1;
		/* At the end of the input the inflater may still hold some
		 * (igzip keeps a few bytes back until it sees more): it is
		 * truncated only if nothing more comes out. */
		at_end = g->zs.avail_in == 0;
		if (inflate_some(g, buf, n, &produced, &ended, &msg)) {
			g->out_total += (long long)produced;
			snprintf(err, errlen, "corrupt gzip data at compressed offset %lld: %s",
				 gzstream_in_offset(g), msg);
			return -1;
		}
		if (ended)
			g->member_ended = 1;
		g->out_total += (long long)produced;
		if (g->max_ratio > 0 && g->out_total > (long long)GZSTREAM_RATIO_GRACE &&
		    (double)g->out_total > g->max_ratio * (double)gzstream_in_offset(g)) {
			snprintf(err, errlen,
				 "decompression ratio exceeds %g:1 at compressed offset %lld "
				 "(gzip bomb?)",
				 g->max_ratio, gzstream_in_offset(g));
			return -1;
		}
		if (produced)
			return (ssize_t)produced;
		if (at_end && !g->member_ended) {
			snprintf(
			    err, errlen,
			    "unexpected end of gzip data (truncated at compressed offset %lld)",
			    gzstream_in_offset(g));
			return -1;
		}
	}
}

/* The inflate thread: fill free buffers in ring order until the end of
 * the data, an error, or close. */
static void *ring_main(void *arg)
{
	struct gzstream *g = arg;
	struct ring *R = g->ring;
	int i = 0;

	for (;;) {
		struct ring_buf *b = &R->buf[i];
		ssize_t got = 0;
		size_t len = 0;
		char err[sizeof(R->err)];
		int last = 0, status = 0;

		pthread_mutex_lock(&R->lock);
		while (b->full && !R->stop)
			pthread_cond_wait(&R->cond, &R->lock);
		pthread_mutex_unlock(&R->lock);
		if (R->stop)
			break;
		/* b is free: only this thread touches it until it is published */
		while (len < RING_BUF_SIZE) {
			got = read_gzip(g, b->data + len, RING_BUF_SIZE - len, err, sizeof(err));
			if (got <= 0)
				break;
			len += (size_t)got;
		}
		if (got <= 0) {
			last = 1;
			status = got < 0 ? -1 : 0;
		}
		pthread_mutex_lock(&R->lock);
		b->len = len;
		b->pos = 0;
		b->last = last;
		b->full = 1;
		if (last) {
			R->status = status;
			if (status)
				memcpy(R->err, err, sizeof(R->err));
		}
		pthread_cond_broadcast(&R->cond);
		pthread_mutex_unlock(&R->lock);
		if (last)
			break;
		i = (i + 1) % RING_BUFS;
	}
	return NULL;
}

/* Hand inflating to a thread; 0, or -1 if none could be started (then
 * the caller simply goes on inflating itself). */
static int ring_start(struct gzstream *g)
{
	struct ring *R = xcalloc(1, sizeof(*R));

	for (int i = 0; i < RING_BUFS; i++)
		R->buf[i].data = xmalloc(RING_BUF_SIZE);
	pthread_mutex_init(&R->lock, NULL);
	pthread_cond_init(&R->cond, NULL);
	g->ring = R;
	if (pthread_create(&R->thread, NULL, ring_main, g)) {
		for (int i = 0; i < RING_BUFS; i++)
			free(R->buf[i].data);
		pthread_mutex_destroy(&R->lock);
		pthread_cond_destroy(&R->cond);
		free(R);
		g->ring = NULL;
		return -1;
	}
	return 0;
}

static ssize_t read_ring(struct gzstream *g, char *buf, size_t n, char *err, size_t errlen)
{
	struct ring *R = g->ring;
	struct ring_buf *b = &R->buf[R->head];
	size_t got;

	if (g->ring_done) {
		if (g->ring_status)
			snprintf(err, errlen, "%s", g->ring_err);
		return g->ring_status;
	}
	pthread_mutex_lock(&R->lock);
	while (!b->full)
		pthread_cond_wait(&R->cond, &R->lock);
	pthread_mutex_unlock(&R->lock);
	/* b is full: only this thread touches it until it is released */
	got = b->len - b->pos < n ? b->len - b->pos : n;
	memcpy(buf, b->data + b->pos, got);
	b->pos += got;
	if (b->pos == b->len) {
		pthread_mutex_lock(&R->lock);
		if (b->last) {
			g->ring_done = 1;
			g->ring_status = R->status;
			memcpy(g->ring_err, R->err, sizeof(g->ring_err));
		} else {
			b->full = 0;
			R->head = (R->head + 1) % RING_BUFS;
			pthread_cond_broadcast(&R->cond);
		}
		pthread_mutex_unlock(&R->lock);
	}
	if (got)
		return (ssize_t)got;
	/* an empty last buffer */
	return read_ring(g, buf, n, err, errlen);
}

ssize_t gzstream_read(struct gzstream *g, char *buf, size_t n, char *err, size_t errlen)
{
	if (n == 0)
		return 0;
	if (!g->started) {
		g->started = 1;
		if (fill_in(g, 2, err, errlen))
			return -1;
		if (g->zs.avail_in >= 2 && g->in[0] == 0x1f && g->in[1] == 0x8b) {
			g->gzip = 1;
			if (inflate_start(g)) {
				snprintf(err, errlen, "cannot initialise zlib");
				return -1;
			}
			g->z_ready = 1;
			/* inflateInit2 may reset next_in; point it at the buffer again */
			g->zs.next_in = g->in;
		}
	}
	if (!g->gzip)
		return read_plain(g, buf, n, err, errlen);
	if (g->ring)
		return read_ring(g, buf, n, err, errlen);
	if (gzstream_thread_after && g->out_total >= (long long)gzstream_thread_after && !g->done &&
	    !ring_start(g))
		return read_ring(g, buf, n, err, errlen);
	return read_gzip(g, buf, n, err, errlen);
}
