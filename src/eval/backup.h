/*
 * backup: the parts of AWS Backup's behaviour that the backup derived
 * tables (derived.c: backup_selected_resources, backup_plan_rules) need
 * and SQL does badly -- which resources a backup selection assigns to
 * its plan (ARN wildcards, tag conditions, NotResources), and how long a
 * plan rule's cron schedule can leave between two backups.
 */
#ifndef CFGAUDIT_BACKUP_H
#define CFGAUDIT_BACKUP_H

#include <jansson.h>
#include <stddef.h>

/* The elements of a list as the recorder may write it (Resources,
 * ListOfTags, CopyActions, ...): an array's elements, or a lone non-null
 * value as one element. */
size_t backup_list_size(json_t *v);
json_t *backup_list_get(json_t *v, size_t i);
/* The tag a condition key names: "aws:ResourceTag/backup" or a bare
 * "backup" (as ListOfTags entries often write it). */
const char *backup_tag_key(const char *key);

/* 1 if text matches pattern, else 0. '*' matches any run of characters
 * (also an empty one, and also ':' and '/'), '?' any one character, and
 * every other byte itself, case-sensitively -- as AWS Backup matches
 * Resources and NotResources ARNs and StringLike tag values. NULL
 * arguments give 0. */
int backup_glob(const char *pattern, const char *text);

/*
 * 1 if the backup selection sel assigns the resource with ARN arn and
 * tags tags to its plan, else 0. sel is the BackupSelection object of an
 * AWS::Backup::BackupSelection item (Resources, NotResources,
 * ListOfTags, Conditions); arn may be NULL (only a pattern of "*"
 * matches it), tags is a JSON object of key -> string value, or NULL
 * for none. The logic is AWS Backup's: Resources OR ListOfTags (neither
 * given: every resource), AND every entry of Conditions, AND NOT any
 * NotResources pattern. When the answer is 1, why receives what selected
 * the resource, for example Resources "arn:aws:ec2:*:*:volume/..."
 * with the pattern as written (cut to size, NUL-terminated).
 */
int backup_selection_selects(json_t *sel, const char *arn, json_t *tags, char *why, size_t size);

/* The value of the resource's tag key (a NUL-terminated string), or NULL
 * when it has no such tag (or a value that is not a string). */
typedef const char *(*backup_tag_fn)(void *ctx, const char *key);
/* backup_selection_selects() with the tags given by tag(ctx, key); a
 * NULL ctx is a resource without tags. */
int backup_selection_selects_with(json_t *sel, const char *arn, backup_tag_fn tag, void *ctx,
				  char *why, size_t size);
/* The same test without the text: *code says what selected the resource
 * (-1 every resource, 2i the i-th Resources entry, 2i + 1 the i-th
 * ListOfTags entry), and backup_selection_why() words it as
 * backup_selection_selects() does. */
int backup_selection_match(json_t *sel, const char *arn, backup_tag_fn tag, void *ctx, long *code);
void backup_selection_why(json_t *sel, long code, char *why, size_t size);

/* What of a backup selection cannot be read, so that which resources it
 * assigns is not known -- config the item's configuration, sel its
 * BackupSelection (or config when it has none) -- as a phrase for
 * annotations ("its ListOfTags is not a list of tag conditions"); NULL
 * when all of it can be read. Unreadable: a configuration or selection
 * that is not an object; a Resources or NotResources entry that is not
 * an ARN pattern (not a string, or JSON text in one); a ListOfTags or
 * Conditions entry that is not an object with string ConditionKey,
 * ConditionValue and ConditionType; Conditions that are not an object. */
const char *backup_selection_unreadable(json_t *config, json_t *sel);
/* backup_selection_match() that tells what an unreadable member leaves
 * open: 1 when the selection assigns the resource (*code as there), 0
 * when it does not (the members that can be read rule it out), 2 when
 * it may (an unreadable member decides). Never 2 for a selection that
 * backup_selection_unreadable() reads whole; then it answers as
 * backup_selection_match(). */
int backup_selection_may_match(json_t *sel, const char *arn, backup_tag_fn tag, void *ctx,
			       long *code);

/* The longest time, in hours, between two consecutive runs of the AWS
 * Backup schedule expression expr, "cron(Minutes Hours Day-of-month
 * Month Day-of-week Year)", over four years from 2025-01-01 (in UTC,
 * without daylight-saving shifts). Fields take *, ?, numbers, ranges
 * a-b, steps a/n and * /n (without the space), lists, month and weekday names, L (last day of
 * the month) and weekday nL (last) and n#k (k-th); the year must be *.
 * -1 if expr cannot be read (including W, or a year) or runs fewer than
 * twice in the four years. */
double backup_cron_max_gap_hours(const char *expr);

#endif
