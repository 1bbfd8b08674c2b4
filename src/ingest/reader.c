/*
 * reader: bytes of one file -> canonical configuration items (reader.h).
 *
 * The top level of the document is walked here, byte by byte through the
 * scanner: members of the top-level object are parsed one at a time, and
 * the members that hold items (configurationItems, baseConfigurationItems,
 * BaseConfigurationItems, Results) or a top-level array are streamed one
 * element at a time, so memory is bounded by the largest element. Bodies
 * without such an array (notifications, events, a single item) are small:
 * their members are kept and classified once the document has ended.
 */
#include "ingest/reader.h"
#include "ingest/verdict_answer.h"
#include "ingest/quickid.h"
#include "ingest/gzstream.h"
#include "util/jparse.h"
#include "ingest/normalize.h"
#include "ingest/scan.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_ITEM (256u << 20)
#define QUICK_MISSES 64
#define QUICK_PROBE 16
#define DEFAULT_MAX_DEPTH 512
#define DEFAULT_MAX_RATIO 200.0 /* real Config data compresses 5-20:1; deflate tops out near 1030:1 */
/* Members of the top-level object kept outside item arrays: real bodies
 * have a few dozen; many tiny members would cost far more memory than
 * their bytes suggest. */
#define MAX_TOP_MEMBERS 10000
/* envelopes inside envelopes (SNS -> message, event -> detail) */
#define MAX_ENVELOPES 4

enum state {
	ST_START,     /* before the document */
	ST_OBJ_FIRST, /* after '{' of the top-level object */
	ST_OBJ_NEXT,  /* after a member: ',' or '}' */
	ST_ARR_FIRST, /* after '[' of an item array */
	ST_ARR_NEXT,  /* after an element: ',' or ']' */
	ST_AFTER,     /* after the document: only blanks may follow */
	ST_DONE,      /* everything returned */
	ST_FAILED,    /* an error was returned */
};

/* What the elements of the array being streamed are. */
enum array_type {
	ARR_NONE,
	ARR_CONFIG_ITEMS, /* configurationItems */
	ARR_BASE_ITEMS,	  /* baseConfigurationItems / BaseConfigurationItems */
	ARR_ROWS,	  /* Results: JSON strings, one row each */
	ARR_TOP,	  /* the document is an array */
};

struct item_reader {
	char *name;		  /* for diagnostics */
	struct reader_limits lim; /* with defaults filled in */
	struct gzstream *gz;	  /* byte source */
	struct scanner sc;	  /* window over the decompressed bytes */
	enum state st;		  /* where in the top-level grammar */
	enum reader_kind kind;	  /* provisional until next() returned 0 */
	enum array_type arr;	  /* array being streamed */
	char *arr_name;		  /* its member name, for messages */
	long long index;	  /* index of the next element of that array */
	long long elem_off;	  /* offset of the element being read */
	int saw_config_items;	  /* a configurationItems array was streamed */
	int saw_base_items;	  /* a (B|b)aseConfigurationItems array was streamed */
	int saw_rows;		  /* a Results array was streamed */
	int first_is_api;	  /* first configurationItems element had API names */
	int seen_first;		  /* first_is_api is known */
	json_t *top;		  /* other members of the top-level object */
	size_t top_bytes;	  /* their JSON size, bounded by max_item_bytes */
	size_t top_members;	  /* their number, bounded by MAX_TOP_MEMBERS */
	json_t *pending;	  /* items found by classification, to return */
	size_t pending_next;	  /* next of them to return */
	char *snapshot_id;	  /* configSnapshotId, once seen */
	item_known_fn known;	  /* recognizes stored items, or NULL */
	void *known_ctx;
	item_text_fn text;	  /* stores items from their text, or NULL */
	void *text_ctx;
	unsigned quick_misses;	  /* items in a row the known test did not take */
	struct normalize_zone_guesses zones; /* times read as UTC without a known zone */
	long long zone_item;		     /* index of the first such item */
	long long zone_off;		     /* and its offset */
	char def_account[16];	  /* the account and region the path names, for */
	char def_region[32];	  /* answers that do not (item_reader_set_place) */
};

void item_reader_set_place(struct item_reader *r, const char *account, const char *region)
{
	snprintf(r->def_account, sizeof(r->def_account), "%s", account ? account : "");
	snprintf(r->def_region, sizeof(r->def_region), "%s", region ? region : "");
}

void item_reader_set_known(struct item_reader *r, item_known_fn known, void *ctx)
{
	r->known = known;
	r->known_ctx = ctx;
}

void item_reader_set_text(struct item_reader *r, item_text_fn text, void *ctx)
{
	r->text = text;
	r->text_ctx = ctx;
}

const char *reader_kind_name(enum reader_kind k)
{
	switch (k) {
	case READER_SNAPSHOT:
		return "ConfigSnapshot";
	case READER_HISTORY:
		return "ConfigHistory";
	case READER_OVERSIZED:
		return "OversizedChangeNotification";
	case READER_API_ITEMS:
		return "ApiItems";
	case READER_SELECT_RESULTS:
		return "SelectResults";
	case READER_CHANGE_NOTIFICATION:
		return "ChangeNotification";
	case READER_ITEM_ARRAY:
		return "ItemArray";
	case READER_AWS_VERDICTS:
		return "AwsVerdicts";
	default:
		return "Unknown";
	}
}

static ssize_t source_read(void *ctx, char *buf, size_t n, char *err, size_t errlen)
{
	return gzstream_read(ctx, buf, n, err, errlen);
}

struct item_reader *item_reader_open(FILE *f, const char *name, const struct reader_limits *lim,
				     struct diag *d)
{
	struct item_reader *r;

	if (!f) {
		diag_set_offset(d, name, 0, "cannot read file");
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(name ? name : "");
	if (lim)
		r->lim = *lim;
	if (!r->lim.max_item_bytes)
		r->lim.max_item_bytes = DEFAULT_MAX_ITEM;
	if (r->lim.max_depth <= 0)
		r->lim.max_depth = DEFAULT_MAX_DEPTH;
	if (r->lim.max_inflate_ratio <= 0)
		r->lim.max_inflate_ratio = DEFAULT_MAX_RATIO;
	r->gz = gzstream_open(f, r->lim.max_inflate_ratio);
	scanner_init(&r->sc, source_read, r->gz, r->lim.max_item_bytes, r->lim.max_depth);
	r->top = json_object();
	r->pending = json_array();
	return r;
}

void item_reader_close(struct item_reader *r)
{
	if (!r)
		return;
	scanner_release(&r->sc);
	gzstream_close(r->gz);
	json_decref(r->top);
	json_decref(r->pending);
	free(r->arr_name);
	free(r->snapshot_id);
	free(r->name);
	free(r);
}

enum reader_kind item_reader_kind(const struct item_reader *r)
{
	return r->kind;
}

const char *item_reader_snapshot_id(const struct item_reader *r)
{
	/* a delivery notification names a snapshot too, but is not one */
	return r->kind == READER_SNAPSHOT ? r->snapshot_id : NULL;
}

void item_reader_set_digest(struct item_reader *r, struct sha256_ctx *c)
{
	gzstream_set_digest(r->gz, c);
}

long long item_reader_raw_bytes(const struct item_reader *r)
{
	return gzstream_raw_bytes(r->gz);
}

long long item_reader_offset(const struct item_reader *r)
{
	return scanner_offset(&r->sc);
}

int item_reader_zone_warning(const struct item_reader *r, char *buf, size_t len, long long *off)
{
	const struct normalize_zone_guesses *z = &r->zones;
	char first[64] = "";
	size_t n = 0;

	if (!z->tzlocal && !z->unknown)
		return 0;
	if (r->zone_item >= 0)
		snprintf(first, sizeof(first), " (first in item %lld)", r->zone_item);
	*off = r->zone_off;
	if (z->tzlocal)
		n += (size_t)snprintf(buf, len,
				      "%lld Python datetime time%s with tzinfo=tzlocal()%s read as "
				      "UTC: the file does not say which zone tzlocal() was",
				      z->tzlocal, z->tzlocal == 1 ? "" : "s", first);
	if (z->unknown && n < len)
		snprintf(buf + n, len - n,
			 "%s%lld Python datetime time%s without a known tzinfo%s read as UTC: the "
			 "file does not say which zone",
			 n ? "; " : "", z->unknown, z->unknown == 1 ? "" : "s",
			 z->tzlocal ? "" : first);
	return 1;
}

/* Record an error at offset off; the reader is finished. */
__attribute__((format(printf, 4, 5))) static int fail(struct item_reader *r, struct diag *d,
						      long long off, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->st = ST_FAILED;
	return diag_set_offset(d, r->name, off, "%s", msg);
}

/* Stream offset of the end of what has been decompressed. */
static long long end_offset(const struct item_reader *r)
{
	return r->sc.base + (long long)r->sc.end;
}

/* Where in the document we are, for messages. */
static void where(const struct item_reader *r, char *buf, size_t len)
{
	if (r->arr == ARR_TOP)
		snprintf(buf, len, "inside the top-level array (item %lld)", r->index);
	else if (r->arr == ARR_ROWS)
		snprintf(buf, len, "inside %s (row %lld)", r->arr_name, r->index);
	else if (r->arr != ARR_NONE)
		snprintf(buf, len, "inside %s (item %lld)", r->arr_name, r->index);
	else if (r->st == ST_START)
		snprintf(buf, len, "at the top level");
	else
		snprintf(buf, len, "inside the top-level object");
}

/* Turn a scanner failure into the reader's error. */
static int scan_fail(struct item_reader *r, struct diag *d)
{
	char w[256];

	where(r, w, sizeof(w));
	switch (r->sc.error) {
	case SCAN_E_READ:
		return fail(r, d, gzstream_out_offset(r->gz), "%s", r->sc.err);
	case SCAN_E_TRUNCATED:
		return fail(r, d, end_offset(r), "truncated json %s", w);
	case SCAN_E_TOO_BIG:
		return fail(r, d, scanner_offset(&r->sc),
			    "json value %s is larger than the limit of %zu bytes", w,
			    r->lim.max_item_bytes);
	case SCAN_E_BLANKS:
		return fail(r, d, scanner_offset(&r->sc), "%s %s (no json there)", r->sc.err, w);
	case SCAN_E_DEPTH:
		return fail(r, d, scanner_offset(&r->sc),
			    "json %s is nested deeper than the limit of %d levels", w,
			    r->lim.max_depth);
	default:
		return fail(r, d, scanner_offset(&r->sc), "cannot scan json %s", w);
	}
}

/* The next non-blank byte where the grammar needs one: EOF is truncation. */
static int need_byte(struct item_reader *r, struct diag *d)
{
	int c = scanner_peek(&r->sc);

	if (c == SCAN_ERR)
		return scan_fail(r, d);
	if (c == SCAN_EOF) {
		r->sc.error = SCAN_E_TRUNCATED;
		return scan_fail(r, d);
	}
	return c;
}

static int unexpected(struct item_reader *r, struct diag *d, int c, const char *expected)
{
	char w[256];

	where(r, w, sizeof(w));
	if (c >= 0x20 && c < 0x7f)
		return fail(r, d, scanner_offset(&r->sc),
			    "invalid json %s: expected %s, found '%c'", w, expected, c);
	return fail(r, d, scanner_offset(&r->sc), "invalid json %s: expected %s, found byte 0x%02x",
		    w, expected, c);
}

/* Parse one captured value with jansson. */
static json_t *parse_value(struct item_reader *r, struct diag *d, const char *val, size_t len,
			   long long off)
{
	struct jparse_error e;
	json_t *v = jparse(val, len, r->lim.max_depth, JPARSE_INTEGRAL, &e);
	char w[256];

	if (v)
		return v;
	where(r, w, sizeof(w));
	fail(r, d, off + (long long)e.position, "invalid json %s: %s", w, e.text);
	return NULL;
}

static int is_api_shaped(const json_t *o)
{
	return json_object_get(o, "accountId") || json_object_get(o, "version") ||
	       json_object_get(o, "arn");
}

/* Kind from what has been seen; final at the end of the document. */
static void settle_kind(struct item_reader *r)
{
	if (r->saw_config_items) {
		if (json_is_string(json_object_get(r->top, "configSnapshotId")) || r->snapshot_id)
			r->kind = READER_SNAPSHOT;
		else if (json_object_get(r->top, "fileVersion"))
			r->kind = READER_HISTORY;
		else if (r->first_is_api || json_object_get(r->top, "nextToken"))
			r->kind = READER_API_ITEMS;
		else
			r->kind = READER_ITEM_ARRAY;
	} else if (r->saw_base_items) {
		r->kind = READER_API_ITEMS;
	} else if (r->saw_rows) {
		r->kind = READER_SELECT_RESULTS;
	}
}

/* Normalise raw (reference taken) and report a failure as the reader's. */
static json_t *finish_item(struct item_reader *r, struct diag *d, json_t *raw, long long off,
			   const char *what, long long index)
{
	struct diag nd;
	json_t *item;

	struct normalize_zone_guesses z;

	diag_clear(&nd);
	normalize_zone_take(&z); /* times read outside items (quickid) are not counted */
	item = normalize_item_parsed(raw, &nd);
	normalize_zone_take(&z);
	if (item && (z.tzlocal || z.unknown)) {
		if (!r->zones.tzlocal && !r->zones.unknown) {
			r->zone_item = index;
			r->zone_off = off;
		}
		r->zones.tzlocal += z.tzlocal;
		r->zones.unknown += z.unknown;
	}
	if (!item) {
		if (index >= 0)
			fail(r, d, off, "%s %lld: %s", what, index, nd.msg);
		else
			fail(r, d, off, "%s: %s", what, nd.msg);
	}
	return item;
}

static int classify(struct item_reader *r, struct diag *d, json_t *o, int level, char *why,
		    size_t whylen);

/* A string member holding JSON (SNS Message, invokingEvent): classify
 * what it holds. */
static int classify_json_string(struct item_reader *r, struct diag *d, json_t *s,
				const char *member, int level, char *why, size_t whylen)
{
	struct jparse_error e;
	json_t *inner;
	int ret;

	if (json_is_object(s))
		return classify(r, d, s, level + 1, why, whylen);
	if (!json_is_string(s)) {
		snprintf(why, whylen, "%s is neither a json string nor an object", member);
		return -1;
	}
	inner = jparse(json_string_value(s), json_string_length(s), r->lim.max_depth,
		       JPARSE_INTEGRAL, &e);
	if (!inner) {
		snprintf(why, whylen, "%s does not hold valid json: %s", member, e.text);
		return -1;
	}
	if (!json_is_object(inner)) {
		json_decref(inner);
		snprintf(why, whylen, "%s does not hold a json object", member);
		return -1;
	}
	ret = classify(r, d, inner, level + 1, why, whylen);
	json_decref(inner);
	return ret;
}

/* Is this object a Config message that carries no configuration (delivery
 * notifications, scheduled rule invocations, oversized summaries)? */
static int is_itemless_message(const json_t *o)
{
	const char *mt = json_string_value(json_object_get(o, "messageType"));

	if (!mt)
		return 0;
	return json_object_get(o, "notificationCreationTime") != NULL ||
	       json_object_get(o, "recordVersion") != NULL || !strncmp(mt, "Configuration", 13) ||
	       !strcmp(mt, "ScheduledNotification");
}

/* Mark the document as a change notification unless its kind is known. */
static void change_notification(struct item_reader *r)
{
	if (r->kind == READER_UNKNOWN)
		r->kind = READER_CHANGE_NOTIFICATION;
}

/* ConfigurationItemChangeNotification: raw (as in an
 * OversizedChangeNotification object), or from an envelope. */
static int classify_change(struct item_reader *r, json_t *v, char *why, size_t whylen)
{
	change_notification(r);
	if (json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		snprintf(why, whylen, "configurationItem is not an object");
		return -1;
	}
	json_array_append(r->pending, v);
	return 0;
}

/* An EventBridge event: only aws.config's carry configuration items. */
static int classify_event(struct item_reader *r, struct diag *d, json_t *o, json_t *v, int level,
			  char *why, size_t whylen)
{
	const char *src = json_string_value(json_object_get(o, "source"));

	change_notification(r);
	/* An event of another service (a CloudTrail API call, say) is an
	 * EventBridge envelope with no configuration item in it. */
	if (!src || strcmp(src, "aws.config"))
		return 0;
	/* compliance changes and delivery statuses carry resource fields
	 * too, but never a configuration */
	if (!json_is_object(v) || (!json_object_get(v, "configurationItem") &&
				   !json_object_get(v, "configurationItemSummary")))
		return 0;
	return classify(r, d, v, level + 1, why, whylen);
}

/* An SNS event as Lambda receives it: Records[].Sns.Message. */
static int classify_records(struct item_reader *r, struct diag *d, json_t *v, int level, char *why,
			    size_t whylen)
{
	size_t i;
	json_t *rec;

	json_array_foreach(v, i, rec)
	{
		json_t *sns = json_object_get(rec, "Sns");

		if (!json_is_object(sns)) {
			if (json_object_get(rec, "eventVersion"))
				snprintf(why, whylen, "a CloudTrail log (Records without Sns)");
			else
				snprintf(why, whylen, "Records[%zu] is not an SNS record", i);
			return -1;
		}
		change_notification(r);
		if (classify_json_string(r, d, json_object_get(sns, "Message"), "the SNS Message",
					 level, why, whylen))
			return -1;
	}
	return 0;
}

/* An object that is neither an envelope nor a message: an item, or not
 * Config data. */
static int classify_rest(struct item_reader *r, json_t *o, char *why, size_t whylen)
{
	if (json_object_get(o, "resourceType") &&
	    (json_object_get(o, "resourceId") || json_object_get(o, "configurationItemCaptureTime") ||
	     json_object_get(o, "configuration"))) {
		if (r->kind == READER_UNKNOWN)
			r->kind = READER_ITEM_ARRAY;
		json_array_append(r->pending, o);
		return 0;
	}
	if (json_object_get(o, "configurationItems") || json_object_get(o, "Results") ||
	    json_object_get(o, "baseConfigurationItems") ||
	    json_object_get(o, "BaseConfigurationItems")) {
		snprintf(why, whylen, "its item member is not an array");
		return -1;
	}
	snprintf(why, whylen,
		 "a json object without configurationItems, configurationItem, "
		 "baseConfigurationItems, Results, invokingEvent or resourceType");
	return -1;
}

/*
 * Classify a whole (small) body, or one level of an envelope, appending
 * the raw items it carries to r->pending. Returns 0 (possibly with no
 * items) or -1 with why filled: what makes it not AWS Config data.
 */
static int classify(struct item_reader *r, struct diag *d, json_t *o, int level, char *why,
		    size_t whylen)
{
	json_t *v;
	const char *mt = json_string_value(json_object_get(o, "messageType"));

	if (level > MAX_ENVELOPES) {
		snprintf(why, whylen, "envelopes nested more than %d deep", MAX_ENVELOPES);
		return -1;
	}
	if ((v = json_object_get(o, "configurationItem")) != NULL)
		return classify_change(r, v, why, whylen);
	if (json_object_get(o, "configurationItemSummary") ||
	    (mt && !strcmp(mt, "OversizedConfigurationItemChangeNotification"))) {
		/* only a summary: the configuration is in the S3 object it names */
		r->kind = READER_OVERSIZED;
		return 0;
	}
	if ((v = json_object_get(o, "invokingEvent")) != NULL) {
		change_notification(r);
		return classify_json_string(r, d, v, "invokingEvent", level, why, whylen);
	}
	if ((v = json_object_get(o, "Message")) != NULL && json_object_get(o, "Type") != NULL) {
		change_notification(r);
		return classify_json_string(r, d, v, "the SNS Message", level, why, whylen);
	}
	if ((v = json_object_get(o, "detail")) != NULL && json_object_get(o, "detail-type"))
		return classify_event(r, d, o, v, level, why, whylen);
	if ((v = json_object_get(o, "Records")) != NULL && json_is_array(v))
		return classify_records(r, d, v, level, why, whylen);
	if (is_itemless_message(o)) {
		change_notification(r);
		return 0;
	}
	return classify_rest(r, o, why, whylen);
}

/*
 * Answers of the AWS Config API that hold no configuration items, known
 * by a top-level member that only that answer has (as `aws configservice
 * ... --output json` prints it). Each is told for what it is, with why
 * there is nothing in it to load; cfgaudit-ingest(1) lists them.
 */
struct itemless_answer {
	const char *member;  /* the telling top-level member */
	const char *command; /* the aws configservice command(s) that print it */
	const char *what;    /* what it holds instead of items */
};

#define AWS_VERDICTS                                                                               \
	"AWS Config's compliance summaries, not configuration items (cfgaudit compare reads "      \
	"the per-resource verdicts of get-compliance-details-by-config-rule instead)"

static const struct itemless_answer itemless_answers[] = {
    {"resourceIdentifiers", "list-discovered-resources",
     "resource identifiers only, without configuration (batch-get-resource-config or "
     "get-resource-config-history print the items)"},
    {"ResourceIdentifiers", "list-aggregate-discovered-resources",
     "resource identifiers only, without configuration (batch-get-aggregate-resource-config "
     "prints the items)"},
    {"resourceCounts", "get-discovered-resource-counts", "counts of recorded resources by type"},
    {"GroupedResourceCounts", "get-aggregate-discovered-resource-counts",
     "counts of recorded resources by group"},
    {"ComplianceByConfigRules", "describe-compliance-by-config-rule", AWS_VERDICTS},
    {"ComplianceByResources", "describe-compliance-by-resource", AWS_VERDICTS},
    {"AggregateComplianceByConfigRules", "describe-aggregate-compliance-by-config-rules",
     AWS_VERDICTS},
    {"AggregateComplianceByConformancePacks", "describe-aggregate-compliance-by-conformance-packs",
     AWS_VERDICTS},
    {"ComplianceSummary", "get-compliance-summary-by-config-rule", AWS_VERDICTS},
    {"ComplianceSummariesByResourceType", "get-compliance-summary-by-resource-type", AWS_VERDICTS},
    {"ConformancePackRuleComplianceList", "describe-conformance-pack-compliance", AWS_VERDICTS},
    {"ConfigRules", "describe-config-rules",
     "the definitions of the account's Config rules, not configuration items"},
    {"ConfigRulesEvaluationStatus", "describe-config-rule-evaluation-status",
     "when AWS last ran each rule, not configuration items"},
    {"ConformancePackDetails", "describe-conformance-packs",
     "conformance pack definitions, not configuration items"},
    {"ConfigurationRecorders", "describe-configuration-recorders",
     "the recorder settings (what is recorded), not configuration items"},
    {"ConfigurationRecordersStatus", "describe-configuration-recorder-status",
     "whether the recorder runs, not configuration items"},
    {"DeliveryChannels", "describe-delivery-channels",
     "where Config delivers (the S3 bucket whose objects are the data), not configuration "
     "items"},
    {"DeliveryChannelsStatus", "describe-delivery-channel-status",
     "delivery successes and failures, not configuration items"},
    {"ConfigurationAggregators", "describe-configuration-aggregators",
     "aggregator settings, not configuration items"},
    {"RemediationConfigurations", "describe-remediation-configurations",
     "remediation settings, not configuration items"},
};

/* If the document is one of the answers above, say so in d and return -1
 * (the reader is finished); 0 if it is not. */
static int itemless_answer(struct item_reader *r, struct diag *d)
{
	for (size_t i = 0; i < sizeof(itemless_answers) / sizeof(itemless_answers[0]); i++) {
		const struct itemless_answer *a = &itemless_answers[i];

		if (!json_object_get(r->top, a->member))
			continue;
		return fail(r, d, 0, NOTHING_TO_LOAD " the output of aws configservice %s (%s): %s",
			    a->command, a->member, a->what);
	}
	return 0;
}

/* AWS's own verdicts (verdict_answer.h): their results become the items
 * to return. Returns -1 through fail() on a malformed result. */
static int verdict_answer(struct item_reader *r, struct diag *d)
{
	char why[512];
	int is_answer;

	if (verdict_answer_items(r->top, r->def_account, r->def_region, r->pending, &is_answer,
				 why, sizeof(why)) < 0)
		return fail(r, d, 0, "AWS Config verdicts: %s", why);
	if (is_answer)
		r->kind = READER_AWS_VERDICTS;
	return 0;
}

/* The document has ended: settle the kind, classify a body that had no
 * item array. */
static int finish_document(struct item_reader *r, struct diag *d)
{
	json_t *sid = json_object_get(r->top, "configSnapshotId");
	char why[512];

	if (json_is_string(sid) && !r->snapshot_id)
		r->snapshot_id = xstrdup(json_string_value(sid));
	if (r->saw_config_items || r->saw_base_items || r->saw_rows) {
		settle_kind(r);
		return 0;
	}
	if (r->arr == ARR_TOP || r->kind == READER_ITEM_ARRAY)
		return 0;
	if (verdict_answer(r, d))
		return -1;
	if (r->kind == READER_AWS_VERDICTS)
		return 0;
	if (itemless_answer(r, d))
		return -1;
	if (classify(r, d, r->top, 0, why, sizeof(why))) {
		if (r->st == ST_FAILED)
			return -1;
		return fail(r, d, 0, "not an AWS Config file: %s", why);
	}
	return 0;
}

/* The fields a select-resource-config row needs (the item's identity);
 * the query decides which a row has. */
#define SELECT_NEEDS                                                                         \
	"SELECT resourceId, resourceType, accountId, awsRegion, configurationItemCaptureTime, " \
	"configuration, ..."

/* A select row lacking required fields: name all of them at once, and
 * what the query must select. Returns 0, or -1 through fail(). */
static int check_select_row(struct item_reader *r, struct diag *d, const json_t *row,
			    long long off)
{
	static const char *const need[][2] = {
	    {"resourceId", NULL},
	    {"resourceType", NULL},
	    {"accountId", "awsAccountId"},
	    {"awsRegion", NULL},
	    {"configurationItemCaptureTime", NULL},
	};
	char missing[256] = "";
	size_t len = 0;
	int n = 0;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		const json_t *v = json_object_get(row, need[i][0]);

		if ((!v || json_is_null(v)) && need[i][1])
			v = json_object_get(row, need[i][1]);
		if (v && !json_is_null(v))
			continue;
		len += (size_t)snprintf(missing + len, sizeof(missing) - len, "%s%s",
					n++ ? ", " : "", need[i][0]);
	}
	if (!n)
		return 0;
	return fail(r, d, off,
		    "row %lld: the select query did not select %s; a query must select at least: "
		    SELECT_NEEDS " (see cfgaudit-ingest(1))",
		    r->index, missing);
}

void item_reader_element(const struct item_reader *r, long long *off, long long *index)
{
	*off = r->elem_off;
	*index = r->index;
}

int item_reader_parse_taken(struct item_reader *r, const char *val, size_t len, long long off,
			    long long index, json_t **item, struct diag *d)
{
	/* As element() would have parsed it, inside configurationItems at
	 * that item: the reader may have left the array since. */
	enum array_type arr = r->arr;
	char *arr_name = r->arr_name, name[] = "configurationItems";
	long long at = r->index;
	json_t *v;

	r->arr = ARR_CONFIG_ITEMS;
	r->arr_name = name;
	r->index = index;
	*item = NULL;
	if ((v = parse_value(r, d, val, len, off)) && !json_is_object(v)) {
		json_decref(v);
		fail(r, d, off, "item %lld: not a json object", r->index);
	} else if (v) {
		*item = finish_item(r, d, v, off, "item", r->index);
	}
	r->arr = arr;
	r->arr_name = arr_name;
	r->index = at;
	return *item ? 1 : -1;
}

/* Before parsing an element: the known test, then the text path (see
 * item_reader_set_known and item_reader_set_text). Returns their answer
 * (2 or 3, the element is taken), or 0. */
static int element_by_text(struct item_reader *r, const char *val, size_t len)
{
	int items = r->arr == ARR_CONFIG_ITEMS && r->seen_first;

	/* The known test walks the whole item: where it has taken none of
	 * the last QUICK_MISSES items (a first load, a new account), it is
	 * only tried on every QUICK_PROBE-th item, until it takes one. */
	if (items && r->known &&
	    (r->quick_misses < QUICK_MISSES || r->quick_misses % QUICK_PROBE == 0)) {
		struct quickid q;

		if (quickid_read(val, len, r->lim.max_depth, &q) && r->known(r->known_ctx, &q)) {
			r->quick_misses = 0;
			return 2;
		}
	}
	if (r->quick_misses < UINT_MAX)
		r->quick_misses++;
	return items && r->text ? r->text(r->text_ctx, val, len, r->lim.max_depth) : 0;
}

/* A row of a Results array (a JSON string or an object): 1 with *item,
 * or -1. Takes v. */
static int element_row(struct item_reader *r, struct diag *d, json_t *v, long long off,
		       json_t **item)
{
	if (json_is_string(v)) {
		struct jparse_error e;
		json_t *row = jparse(json_string_value(v), json_string_length(v), r->lim.max_depth,
				     JPARSE_INTEGRAL, &e);

		json_decref(v);
		if (!row)
			return fail(r, d, off, "row %lld: invalid json in the %s string: %s",
				    r->index, r->arr_name, e.text);
		v = row;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return fail(r, d, off, "row %lld: not a json object", r->index);
	}
	if (check_select_row(r, d, v, off)) {
		json_decref(v);
		return -1;
	}
	*item = finish_item(r, d, v, off, "row", r->index);
	r->index++;
	return *item ? 1 : -1;
}

/* An envelope (rule event, notification) in a top-level array: 0, or -1.
 * Takes v. */
static int element_envelope(struct item_reader *r, struct diag *d, json_t *v, long long off)
{
	char why[512];
	int ret = classify(r, d, v, 1, why, sizeof(why));

	json_decref(v);
	if (ret) {
		if (r->st == ST_FAILED)
			return -1;
		return fail(r, d, off, "item %lld: not a configuration item: %s", r->index, why);
	}
	r->index++;
	return 0;
}

/* One element of a streamed array: 1 with *item, 2 or 3 when a callback
 * took it, 0 if it carried none (an envelope in a top-level array), -1
 * on error. */
static int element(struct item_reader *r, struct diag *d, json_t **item)
{
	const char *val;
	size_t len;
	long long off;
	json_t *v;
	int taken;

	if (scanner_value(&r->sc, &val, &len, &off))
		return scan_fail(r, d);
	r->elem_off = off;
	if ((taken = element_by_text(r, val, len)) != 0) {
		r->index++;
		return taken;
	}
	if (!(v = parse_value(r, d, val, len, off)))
		return -1;
	if (r->arr == ARR_ROWS)
		return element_row(r, d, v, off, item);
	if (!json_is_object(v)) {
		json_decref(v);
		return fail(r, d, off, "item %lld: not a json object", r->index);
	}
	if (r->arr == ARR_CONFIG_ITEMS && !r->seen_first) {
		r->seen_first = 1;
		r->first_is_api = is_api_shaped(v);
		settle_kind(r);
	}
	if (r->arr == ARR_TOP && !json_object_get(v, "resourceType"))
		return element_envelope(r, d, v, off);
	*item = finish_item(r, d, v, off, "item", r->index);
	r->index++;
	return *item ? 1 : -1;
}

/* At the '[' of member k's value: start streaming it if it is an item
 * array (1), or leave it to be kept (0). */
static int start_array(struct item_reader *r, const char *k)
{
	enum array_type t = ARR_NONE;

	if (!strcmp(k, "configurationItems"))
		t = ARR_CONFIG_ITEMS;
	else if (!strcmp(k, "baseConfigurationItems") || !strcmp(k, "BaseConfigurationItems"))
		t = ARR_BASE_ITEMS;
	else if (!strcmp(k, "Results"))
		t = ARR_ROWS;
	if (t == ARR_NONE)
		return 0;
	scanner_skip(&r->sc);
	r->arr = t;
	free(r->arr_name);
	r->arr_name = xstrdup(k);
	r->index = 0;
	r->saw_config_items |= t == ARR_CONFIG_ITEMS;
	r->saw_base_items |= t == ARR_BASE_ITEMS;
	r->saw_rows |= t == ARR_ROWS;
	settle_kind(r);
	r->st = ST_ARR_FIRST;
	return 1;
}

/* A member of the top-level object: stream it or keep it. */
static int member(struct item_reader *r, struct diag *d)
{
	const char *val;
	size_t len;
	long long off;
	json_t *key, *v;
	const char *k;
	int c;

	if (scanner_value(&r->sc, &val, &len, &off))
		return scan_fail(r, d);
	key = parse_value(r, d, val, len, off);
	if (!key)
		return -1;
	if ((c = need_byte(r, d)) < 0)
		goto fail;
	if (c != ':') {
		unexpected(r, d, c, "':'");
		goto fail;
	}
	scanner_skip(&r->sc);
	if ((c = need_byte(r, d)) < 0)
		goto fail;
	k = json_string_value(key);
	if (c == '[' && start_array(r, k)) {
		json_decref(key);
		return 0;
	}
	if (scanner_value(&r->sc, &val, &len, &off)) {
		scan_fail(r, d);
		goto fail;
	}
	if (++r->top_members > MAX_TOP_MEMBERS) {
		fail(r, d, off, "more than %d members in the top-level object", MAX_TOP_MEMBERS);
		goto fail;
	}
	r->top_bytes += len;
	if (r->top_bytes > r->lim.max_item_bytes) {
		fail(r, d, off,
		     "the members of the top-level object outside item arrays exceed the limit "
		     "of %zu bytes",
		     r->lim.max_item_bytes);
		goto fail;
	}
	v = parse_value(r, d, val, len, off);
	if (!v)
		goto fail;
	if (!strcmp(k, "configSnapshotId") && json_is_string(v)) {
		free(r->snapshot_id);
		r->snapshot_id = xstrdup(json_string_value(v));
	}
	json_object_setn_new(r->top, k, json_string_length(key), v);
	json_decref(key);
	r->st = ST_OBJ_NEXT;
	return 0;
fail:
	json_decref(key);
	return -1;
}

/* The document is a scalar: report what it is. */
static int top_scalar(struct item_reader *r, struct diag *d, int c)
{
	const char *val;
	size_t len;
	long long off;
	json_t *v;
	const char *what;

	if (c == 0 || !strchr("\"-0123456789tfn", c)) {
		/* Not json at all: stop at this first byte (a device or a pipe
		 * may never end). */
		if (c >= 0x20 && c < 0x7f)
			return fail(r, d, scanner_offset(&r->sc),
				    "not json or gzip data: an AWS Config document must start here, "
				    "found '%c'",
				    c);
		return fail(r, d, scanner_offset(&r->sc),
			    "not json or gzip data: an AWS Config document must start here, found byte "
			    "0x%02x",
			    c);
	}
	if (scanner_value(&r->sc, &val, &len, &off))
		return scan_fail(r, d);
	v = parse_value(r, d, val, len, off);
	if (!v)
		return -1;
	what = json_is_string(v) ? "a string" : json_is_number(v) ? "a number" : "a literal";
	json_decref(v);
	return fail(r, d, off, "not an AWS Config file: the json document is %s", what);
}

/* At the start: skip a UTF-8 byte-order mark (1, look again); a UTF-16
 * one is an error with advice (-1); anything else is left alone (0). */
static int byte_order_mark(struct item_reader *r, struct diag *d)
{
	long n = scanner_ensure(&r->sc, 3);
	const unsigned char *b = (const unsigned char *)r->sc.buf + r->sc.pos;

	if (n < 0)
		return scan_fail(r, d);
	if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		r->sc.pos += 3;
		return 1;
	}
	if (n >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff)))
		return fail(r, d, scanner_offset(&r->sc),
			    "the file is UTF-16 text; convert it to UTF-8 (PowerShell 5 writes "
			    "UTF-16 with '>')");
	return 0;
}

/* What a step of item_reader_next returns when it is to go on. */
#define STEP_ON 100

/* Before the document: a byte-order mark, then '{' or '['. */
static int step_start(struct item_reader *r, struct diag *d)
{
	int c = scanner_peek(&r->sc), ret;

	if (c == SCAN_ERR)
		return scan_fail(r, d);
	if (c == SCAN_EOF) {
		if (scanner_offset(&r->sc) == 0)
			return fail(r, d, 0, "empty file");
		return fail(r, d, scanner_offset(&r->sc), "empty file (only blanks)");
	}
	if (c == 0xef || c == 0xfe || c == 0xff) {
		ret = byte_order_mark(r, d);
		if (ret < 0)
			return -1;
		if (ret)
			return STEP_ON;
	}
	if (c != '{' && c != '[')
		return top_scalar(r, d, c);
	scanner_skip(&r->sc);
	if (c == '{') {
		r->st = ST_OBJ_FIRST;
	} else {
		r->arr = ARR_TOP;
		r->kind = READER_ITEM_ARRAY;
		r->st = ST_ARR_FIRST;
	}
	return STEP_ON;
}

/* In the top-level object: its end, or the next member. */
static int step_object(struct item_reader *r, struct diag *d)
{
	int c;

	if ((c = need_byte(r, d)) < 0)
		return -1;
	if (c == '}') {
		scanner_skip(&r->sc);
		r->st = ST_AFTER;
		return STEP_ON;
	}
	if (r->st == ST_OBJ_NEXT) {
		if (c != ',')
			return unexpected(r, d, c, "',' or '}'");
		scanner_skip(&r->sc);
		if ((c = need_byte(r, d)) < 0)
			return -1;
	}
	if (c != '"')
		return unexpected(r, d, c, "a member name");
	return member(r, d) ? -1 : STEP_ON;
}

/* In an item array: its end, or the next element. */
static int step_array(struct item_reader *r, struct diag *d, json_t **item)
{
	int c, ret;

	if ((c = need_byte(r, d)) < 0)
		return -1;
	if (c == ']') {
		scanner_skip(&r->sc);
		if (r->arr == ARR_TOP) {
			r->st = ST_AFTER;
		} else {
			r->arr = ARR_NONE;
			r->st = ST_OBJ_NEXT;
		}
		return STEP_ON;
	}
	if (r->st == ST_ARR_NEXT) {
		if (c != ',')
			return unexpected(r, d, c, "',' or ']'");
		scanner_skip(&r->sc);
	}
	r->st = ST_ARR_NEXT;
	ret = element(r, d, item);
	return ret ? ret : STEP_ON;
}

/* After the document: only blanks, then the document is finished. */
static int step_after(struct item_reader *r, struct diag *d)
{
	int c = scanner_peek(&r->sc);

	if (c == SCAN_ERR)
		return scan_fail(r, d);
	if (c != SCAN_EOF)
		return fail(r, d, scanner_offset(&r->sc),
			    "invalid json: data after the end of the json document");
	if (finish_document(r, d))
		return -1;
	r->st = ST_DONE;
	return STEP_ON;
}

int item_reader_next(struct item_reader *r, json_t **item, struct diag *d)
{
	int ret;

	*item = NULL;
	for (;;) {
		if (r->pending_next < json_array_size(r->pending)) {
			json_t *raw = json_array_get(r->pending, r->pending_next++);

			*item = finish_item(r, d, json_incref(raw), 0, "item", -1);
			return *item ? 1 : -1;
		}
		switch (r->st) {
		case ST_START:
			ret = step_start(r, d);
			break;
		case ST_OBJ_FIRST:
		case ST_OBJ_NEXT:
			ret = step_object(r, d);
			break;
		case ST_ARR_FIRST:
		case ST_ARR_NEXT:
			ret = step_array(r, d, item);
			break;
		case ST_AFTER:
			ret = step_after(r, d);
			break;
		case ST_DONE:
			return 0;
		default:
			return diag_set_offset(d, r->name, scanner_offset(&r->sc),
					       "reader used after an error");
		}
		if (ret != STEP_ON)
			return ret;
	}
}
