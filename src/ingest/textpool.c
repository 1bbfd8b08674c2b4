/*
 * textpool: see textpool.h.
 *
 * The chunks form a ring of CHUNKS_PER_THREAD per thread: seq head is
 * the oldest submitted chunk, tail the one being filled, claim the next
 * one a thread encodes. A chunk is FREE (being filled), QUEUED, CLAIMED
 * (being encoded) or DONE.
 */
#include "ingest/textpool.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES (1u << 20) /* about a batch of the serial path ... */
#define CHUNK_ITEMS 8192       /* ... (ingest.c BATCH_BYTES, BATCH_ITEMS) */
#define CHUNKS_PER_THREAD 2

enum { FREE, QUEUED, CLAIMED, DONE };

struct textpool {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a chunk is queued, or stop */
	pthread_cond_t done; /* a chunk is encoded */
	pthread_t *th;
	int n_th;
	struct textpool_chunk *ring;
	size_t cap;
	size_t head, tail, claim;
	size_t chunk_items; /* a chunk is full at this many items ... */
	size_t chunk_bytes; /* ... or bytes of text */
	int stop;
};

static struct textpool_chunk *at(const struct textpool *p, size_t seq)
{
	return &p->ring[seq % p->cap];
}

static void encode_chunk(struct textpool_chunk *c, struct item_encoder *e)
{
	char account[24];

	item_batch_reset(c->b);
	c->ok = 1;
	for (size_t i = 0; i < c->n; i++) {
		const struct textpool_item *it = &c->it[i];

		if (!item_encoder_read_text(e, c->text.buf + it->at, it->len, c->max_depth, account)) {
			c->ok = 0;
			break;
		}
		item_encode_text(e, c->b);
	}
	item_encoder_release(e);
}

/* Claim the next queued chunk and encode it (lock held, also on return). */
static void encode_next(struct textpool *p, struct item_encoder *e)
{
	struct textpool_chunk *c = at(p, p->claim++);

	c->state = CLAIMED;
	pthread_mutex_unlock(&p->lock);
	encode_chunk(c, e);
	pthread_mutex_lock(&p->lock);
	c->state = DONE;
	pthread_cond_broadcast(&p->done);
}

static void *helper_main(void *arg)
{
	struct textpool *p = arg;
	struct item_encoder *e = item_encoder_new();

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->claim == p->tail)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		encode_next(p, e);
	}
	pthread_mutex_unlock(&p->lock);
	item_encoder_free(e);
	return NULL;
}

struct textpool *textpool_new(int n, size_t chunk_items)
{
	struct textpool *p = xcalloc(1, sizeof(*p));

	p->chunk_items = chunk_items ? chunk_items : CHUNK_ITEMS;
	p->chunk_bytes = chunk_items ? (size_t)-1 : CHUNK_BYTES;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->cap = (size_t)(n + 1) * CHUNKS_PER_THREAD + 1;
	p->ring = xcalloc(p->cap, sizeof(*p->ring));
	for (size_t i = 0; i < p->cap; i++) {
		strbuf_init(&p->ring[i].text, 4096);
		p->ring[i].b = xmalloc(sizeof(*p->ring[i].b));
		item_batch_init(p->ring[i].b);
	}
	p->th = xcalloc((size_t)n, sizeof(*p->th));
	for (int i = 0; i < n; i++)
		if (pthread_create(&p->th[p->n_th], NULL, helper_main, p) == 0)
			p->n_th++;
	if (!p->n_th) {
		textpool_free(p);
		return NULL;
	}
	return p;
}

void textpool_free(struct textpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->n_th; i++)
		pthread_join(p->th[i], NULL);
	for (size_t i = 0; i < p->cap; i++) {
		strbuf_release(&p->ring[i].text);
		free(p->ring[i].it);
		item_batch_release(p->ring[i].b);
		free(p->ring[i].b);
	}
	free(p->ring);
	free(p->th);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}

void textpool_add(struct textpool *p, const char *text, size_t len, int max_depth,
		  const struct textpool_item *where)
{
	struct textpool_chunk *c = at(p, p->tail); /* only this thread touches it while FREE */
	struct textpool_item *it;

	ALLOC_GROW(c->it, c->n + 1, c->alloc);
	it = &c->it[c->n++];
	*it = *where;
	it->at = c->text.len;
	it->len = len;
	c->max_depth = max_depth;
	strbuf_add(&c->text, text, len);
}

void textpool_submit(struct textpool *p, int force)
{
	struct textpool_chunk *c = at(p, p->tail);

	if (!c->n || (!force && c->text.len < p->chunk_bytes && c->n < p->chunk_items))
		return;
	pthread_mutex_lock(&p->lock);
	c->state = QUEUED;
	p->tail++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

size_t textpool_pending(const struct textpool *p)
{
	return p->tail - p->head; /* both moved by the calling thread only */
}

int textpool_full(const struct textpool *p)
{
	return p->tail - p->head >= p->cap - 1;
}

struct textpool_chunk *textpool_oldest(struct textpool *p, struct item_encoder *e)
{
	struct textpool_chunk *c;

	if (p->head == p->tail)
		return NULL;
	c = at(p, p->head);
	pthread_mutex_lock(&p->lock);
	while (c->state != DONE) {
		if (p->claim < p->tail)
			encode_next(p, e); /* help rather than wait */
		else
			pthread_cond_wait(&p->done, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return c;
}

void textpool_pop(struct textpool *p)
{
	struct textpool_chunk *c = at(p, p->head);

	strbuf_reset(&c->text);
	c->n = 0;
	pthread_mutex_lock(&p->lock);
	c->state = FREE;
	p->head++;
	pthread_mutex_unlock(&p->lock);
}
