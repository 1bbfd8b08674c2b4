/*
 * verdict_answer: AWS Config's own verdicts, as the AWS CLI prints them
 * (get-compliance-details-by-config-rule, get-compliance-details-by-resource,
 * get-aggregate-compliance-details-by-config-rule,
 * get-conformance-pack-compliance-details), turned into items of the
 * type VERDICT_ITEM_TYPE so that they are stored, deduplicated and kept
 * with their history like any configuration item (cfgaudit-compare(1)).
 */
#ifndef CFGAUDIT_VERDICT_ANSWER_H
#define CFGAUDIT_VERDICT_ANSWER_H

#include <jansson.h>
#include <stddef.h>

/* The resource type of one stored AWS verdict: cfgaudit's own name, not
 * an AWS type, for one EvaluationResult of the answers above. Its
 * resourceId is "<ConfigRuleName>/<ResourceType>/<ResourceId>". */
#define VERDICT_ITEM_TYPE "cfgaudit::Config::EvaluationResult"

/*
 * If top is one of the answers above, append one item per result to
 * items and return how many (0 for an answer without results, still a
 * verdict answer: *is_answer is set). Returns 0 with *is_answer clear if
 * top is another document, -1 with why filled if it is a verdict answer
 * with a malformed result. Results that name no account or region (the
 * answers of one account) take def_account and def_region (the file's
 * path; "" if it names none, which is an error).
 */
int verdict_answer_items(const json_t *top, const char *def_account, const char *def_region,
			 json_t *items, int *is_answer, char *why, size_t whylen);

#endif
