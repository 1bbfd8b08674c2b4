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
 */
#include "ingest/gzstream.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

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
	unsigned char *in;	   /* compressed (or plain) read buffer, IN_CHUNK bytes */
	long long in_total;	   /* bytes read from f */
	long long out_total;	   /* bytes delivered (by the inflate thread, if any) */
	struct ring *ring;	   /* the inflate thread, once started */
	int ring_done;		   /* the ring delivered its end or error */
	int ring_status;	   /* which: 0 or -1 */
	char ring_err[256];	   /* the error it delivered */
};

static ssize_t read_gzip(struct gzstream *g, char *buf, size_t n, char *err, size_t errlen);

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
		inflateEnd(&g->zs);
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
			if (inflateReset(&g->zs) != Z_OK) {
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
		int ret;

		if (g->member_ended && next_member(g, err, errlen))
			return -1;
		if (g->done)
			return 0;
		if (fill_in(g, 1, err, errlen))
			return -1;
		if (g->zs.avail_in == 0) {
			snprintf(
			    err, errlen,
			    "unexpected end of gzip data (truncated at compressed offset %lld)",
			    gzstream_in_offset(g));
			return -1;
		}
		g->zs.next_out = (unsigned char *)buf;
		g->zs.avail_out = (uInt)(n > (1u << 30) ? (1u << 30) : n);
		produced = g->zs.avail_out;
		ret = inflate(&g->zs, Z_NO_FLUSH);
		produced -= g->zs.avail_out;
		if (ret == Z_STREAM_END) {
			g->member_ended = 1;
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			g->out_total += (long long)produced;
			snprintf(err, errlen, "corrupt gzip data at compressed offset %lld: %s",
				 gzstream_in_offset(g), g->zs.msg ? g->zs.msg : zError(ret));
			return -1;
		}
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
			/* 15 + 32: any window, gzip or zlib header detected */
			if (inflateInit2(&g->zs, 15 + 32) != Z_OK) {
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
