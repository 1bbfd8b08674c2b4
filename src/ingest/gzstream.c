/*
 * gzstream: gzip-or-plain byte source for the reader (see gzstream.h).
 * The compressed side is read in large chunks so that zlib, not stdio,
 * sets the pace; the decompressed side goes straight into the caller's
 * buffer, so no byte is copied twice.
 */
#include "ingest/gzstream.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IN_CHUNK (256u * 1024u)

struct gzstream {
	FILE *f;             /* input, borrowed */
	double max_ratio;    /* <= 0: unlimited */
	int started;         /* magic bytes looked at */
	int gzip;            /* input is gzip */
	int eof_in;          /* fread has reported end of file */
	int done;            /* all output delivered */
	int member_ended;    /* inflate reported the end of a gzip member */
	int z_ready;         /* zs initialised */
	z_stream zs;         /* inflate state; next_in/avail_in point into in */
	unsigned char *in;   /* compressed (or plain) read buffer, IN_CHUNK bytes */
	long long in_total;  /* bytes read from f */
	long long out_total; /* bytes delivered */
};

struct gzstream *gzstream_open(FILE *f, double max_ratio)
{
	struct gzstream *g = xcalloc(1, sizeof(*g));

	g->f = f;
	g->max_ratio = max_ratio;
	g->in = xmalloc(IN_CHUNK);
	return g;
}

void gzstream_close(struct gzstream *g)
{
	if (!g)
		return;
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
	return g->out_total;
}

long long gzstream_in_offset(const struct gzstream *g)
{
	return g->in_total - g->zs.avail_in;
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
		n = fread(g->in + have, 1, IN_CHUNK - have, g->f);
		if (n == 0) {
			if (ferror(g->f)) {
				snprintf(err, errlen, "read error at byte %lld: %s", g->in_total,
					 strerror(errno));
				return -1;
			}
			g->eof_in = 1;
		}
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
	got = fread(buf, 1, n, g->f);
	if (got == 0) {
		if (ferror(g->f)) {
			snprintf(err, errlen, "read error at byte %lld: %s", g->in_total,
				 strerror(errno));
			return -1;
		}
		g->eof_in = 1;
		return 0;
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
			snprintf(err, errlen, "trailing garbage after gzip data at compressed offset %lld",
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
			snprintf(err, errlen,
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
	return g->gzip ? read_gzip(g, buf, n, err, errlen) : read_plain(g, buf, n, err, errlen);
}
