/*
 * verdict_answer: AWS's verdicts from CLI answers as storable items (see
 * verdict_answer.h). Only the facts AWS printed are kept; the answer's
 * command is recorded so that a reader can tell where a verdict came from.
 */
#include "ingest/verdict_answer.h"
#include "ingest/normalize.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The answers, known by their result member. */
static const struct {
	const char *member;  /* the result array */
	const char *command; /* aws configservice ... */
} answers[] = {
	{ "EvaluationResults",
	  "get-compliance-details-by-config-rule or get-compliance-details-by-resource" },
	{ "AggregateEvaluationResults", "get-aggregate-compliance-details-by-config-rule" },
	{ "ConformancePackRuleEvaluationResults", "get-conformance-pack-compliance-details" },
};

static const char *const compliance_types[] = { "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE",
						"INSUFFICIENT_DATA" };

static int known_compliance(const char *s)
{
	for (size_t i = 0; i < sizeof(compliance_types) / sizeof(compliance_types[0]); i++)
		if (!strcmp(s, compliance_types[i]))
			return 1;
	return 0;
}

/* A string member of o, or NULL. */
static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Copy member key of from into to under name, when present and not null. */
static void copy(json_t *to, const char *name, const json_t *from, const char *key)
{
	json_t *v = json_object_get(from, key);

	if (v && !json_is_null(v))
		json_object_set(to, name, v);
}

/* Member key of from, a time as the CLI prints it (ISO text with an
 * offset, or epoch seconds in raw API JSON), into to under name in the
 * canonical form. Returns -1 when it is present and not a time. */
static int copy_time(json_t *to, const char *name, const json_t *from, const char *key)
{
	json_t *v = json_object_get(from, key);
	char t[TIME_ISO_LEN];

	if (!v || json_is_null(v))
		return 0;
	if (normalize_time(v, t))
		return -1;
	json_object_set_new(to, name, json_string(t));
	return 0;
}

/* Why result i cannot be an item (a message in why), or 0. */
static int check_result(const json_t *res, size_t i, const char *member, char *why, size_t whylen)
{
	const json_t *q = json_object_get(json_object_get(res, "EvaluationResultIdentifier"),
					  "EvaluationResultQualifier");
	const char *rule = str(q, "ConfigRuleName"), *type = str(q, "ResourceType");
	const char *id = str(q, "ResourceId"), *ct = str(res, "ComplianceType");
	const json_t *when = json_object_get(res, "ResultRecordedTime");

	if (!json_is_object(res) || !rule || !type || !id || !*rule || !*type || !*id)
		snprintf(why, whylen,
			 "%s[%zu] lacks EvaluationResultIdentifier.EvaluationResultQualifier"
			 " ConfigRuleName, ResourceType or ResourceId",
			 member, i);
	else if (strchr(rule, '/'))
		snprintf(why, whylen, "%s[%zu]: ConfigRuleName \"%.80s\" has a '/'", member, i,
			 rule);
	else if (!ct || !known_compliance(ct))
		snprintf(why, whylen,
			 "%s[%zu]: ComplianceType is not COMPLIANT, NON_COMPLIANT, "
			 "NOT_APPLICABLE or INSUFFICIENT_DATA",
			 member, i);
	else if (!when || json_is_null(when))
		snprintf(why, whylen, "%s[%zu] has no ResultRecordedTime", member, i);
	else
		return 0;
	return -1;
}

/* The item's own members: identity, name, capture time. */
static json_t *result_identity(const json_t *res, const char *rule, const char *type,
			       const char *id)
{
	json_t *item = json_object();
	size_t n = strlen(rule) + strlen(type) + strlen(id) + 3;
	char *rid = malloc(n);

	if (!rid)
		abort();
	snprintf(rid, n, "%s/%s/%s", rule, type, id);
	json_object_set_new(item, "resourceType", json_string(VERDICT_ITEM_TYPE));
	json_object_set_new(item, "resourceId", json_string(rid));
	json_object_set_new(item, "resourceName", json_string(rule));
	free(rid);
	copy(item, "awsAccountId", res, "AccountId");
	copy(item, "awsRegion", res, "AwsRegion");
	json_object_set(item, "configurationItemCaptureTime",
			json_object_get(res, "ResultRecordedTime"));
	json_object_set_new(item, "configurationItemStatus", json_string("OK"));
	return item;
}

/* One result as an item; NULL with why filled when it lacks what
 * identifies a verdict. */
static json_t *result_item(const json_t *res, size_t i, const char *member, const char *command,
			   const char *pack, char *why, size_t whylen)
{
	const json_t *ident = json_object_get(res, "EvaluationResultIdentifier");
	const json_t *q = json_object_get(ident, "EvaluationResultQualifier");
	json_t *item, *conf;

	if (check_result(res, i, member, why, whylen))
		return NULL;
	item = result_identity(res, str(q, "ConfigRuleName"), str(q, "ResourceType"),
			       str(q, "ResourceId"));
	conf = json_object();
	json_object_set_new(conf, "configRuleName", json_string(str(q, "ConfigRuleName")));
	json_object_set_new(conf, "resourceType", json_string(str(q, "ResourceType")));
	json_object_set_new(conf, "resourceId", json_string(str(q, "ResourceId")));
	copy(conf, "evaluationMode", q, "EvaluationMode");
	json_object_set_new(conf, "complianceType", json_string(str(res, "ComplianceType")));
	copy(conf, "annotation", res, "Annotation");
	if (copy_time(conf, "resultRecordedTime", res, "ResultRecordedTime") ||
	    copy_time(conf, "configRuleInvokedTime", res, "ConfigRuleInvokedTime") ||
	    copy_time(conf, "orderingTimestamp", ident, "OrderingTimestamp")) {
		snprintf(why, whylen,
			 "%s[%zu]: ResultRecordedTime, ConfigRuleInvokedTime or OrderingTimestamp "
			 "is not a time",
			 member, i);
		json_decref(conf);
		json_decref(item);
		return NULL;
	}
	if (pack)
		json_object_set_new(conf, "conformancePackName", json_string(pack));
	json_object_set_new(conf, "answer", json_string(command));
	json_object_set_new(item, "configuration", conf);
	return item;
}

/* Set item[key] from the path (def) when the answer did not name it.
 * Returns -1 with why filled when neither did. */
static int place_one(json_t *item, const char *key, const char *what, const char *def,
		     const char *member, size_t i, char *why, size_t whylen)
{
	if (json_object_get(item, key))
		return 0;
	if (!*def) {
		snprintf(why, whylen,
			 "%s[%zu] does not name its %s, and neither does the file's path: keep "
			 "the answer under AWSLogs/<account-id>/Evidence/<region>/configservice/ "
			 "(cfgaudit-compare(1))",
			 member, i, what);
		return -1;
	}
	json_object_set_new(item, key, json_string(def));
	return 0;
}

/* The account and region of item, from the path when the answer did not
 * name them. */
static int place(json_t *item, const char *member, size_t i, const char *def_account,
		 const char *def_region, char *why, size_t whylen)
{
	if (place_one(item, "awsAccountId", "account", def_account, member, i, why, whylen))
		return -1;
	return place_one(item, "awsRegion", "region", def_region, member, i, why, whylen);
}

int verdict_answer_items(const json_t *top, const char *def_account, const char *def_region,
			 json_t *items, int *is_answer, char *why, size_t whylen)
{
	*is_answer = 0;
	if (!json_is_object(top))
		return 0;
	for (size_t a = 0; a < sizeof(answers) / sizeof(answers[0]); a++) {
		const json_t *list = json_object_get(top, answers[a].member);
		const char *pack = str(top, "ConformancePackName");
		size_t i, n = 0;
		json_t *res;

		if (!list)
			continue;
		*is_answer = 1;
		if (!json_is_array(list)) {
			snprintf(why, whylen, "%s is not an array", answers[a].member);
			return -1;
		}
		json_array_foreach(list, i, res)
		{
			json_t *item = result_item(res, i, answers[a].member, answers[a].command,
						   pack, why, whylen);

			if (!item)
				return -1;
			if (place(item, answers[a].member, i, def_account, def_region, why,
				  whylen)) {
				json_decref(item);
				return -1;
			}
			json_array_append_new(items, item);
			n++;
		}
		return (int)n;
	}
	return 0;
}
