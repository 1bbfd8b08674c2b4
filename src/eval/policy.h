/*
 * policy: IAM policy documents (identity and resource policies) as the
 * policy_* SQL helpers see them, private to the eval module. Semantics,
 * and the choices AWS leaves open, are documented in cfgaudit-rules(5).
 *
 * A document is an object whose Statement is one statement object or an
 * array of them; Action/NotAction, Resource/NotResource and the values of
 * Principal are a string or an array of strings. Element names and the
 * Effect values ("Allow", "Deny") are matched exactly, as IAM writes
 * them; actions are matched case-insensitively, resources (ARNs)
 * case-sensitively; '*' and '?' are wildcards in both.
 */
#ifndef CFGAUDIT_EVAL_POLICY_H
#define CFGAUDIT_EVAL_POLICY_H

#include <jansson.h>
#include <stddef.h>

/* Read a policy document from len bytes of text: JSON text of the
 * document, a JSON string whose content is the document, URL-encoded
 * text of either (text starting with "%7B" is decoded), or S3's
 * {"policyText": ...} object around one of them, nested at most a few
 * levels. Returns the document object (the caller json_decref's it),
 * or NULL if the text is not a JSON object (too large, invalid JSON,
 * invalid UTF-8, another JSON type). */
json_t *policy_parse(const char *text, size_t len);

/* The first statement with Effect Allow, Action "*" or "*:*" (alone or in
 * an array) and Resource "*" (likewise). Borrowed from doc, or NULL. */
json_t *policy_admin_statement(json_t *doc);

/* The first action of an Allow statement's Action that grants a whole
 * service: "*", or "SERVICE:*" where the part after the colon is only
 * stars ("ec2:Describe*" does not count). Borrowed from doc, or NULL. */
const char *policy_full_access_action(json_t *doc);

/* 1 if an Allow statement grants a public principal ("*", {"AWS": "*"},
 * an AWS ARN with a wildcard account, or any NotPrincipal) and has no
 * condition that pins it to fixed values of a restricting key
 * (aws:SourceArn, aws:SourceAccount, aws:SourceVpc(e), aws:SourceIp,
 * aws:PrincipalOrgID, ...); else 0. With actions (a comma-separated list
 * of action patterns, len bytes; NULL for any action) only statements
 * that grant one of those actions count. */
int policy_is_public(json_t *doc, const char *actions, size_t len);

/* 1 if Deny statements for all principals ("*" or {"AWS": "*"}) whose
 * Action includes "s3:*" or "*", and whose only condition is Bool or
 * BoolIfExists aws:SecureTransport = false, exist; else 0. With
 * bucket_arn (an S3 bucket ARN, or a bare bucket name read as
 * arn:aws:s3:::NAME) they must together cover both the bucket ARN and
 * the ARN of all its objects (the bucket ARN, a slash and a star). */
int policy_denies_insecure_transport(json_t *doc, const char *bucket_arn);

/* The first pattern of the comma-separated list csv (len bytes; elements
 * trimmed, e.g. "kms:Decrypt,kms:ReEncrypt*") that an Allow statement on
 * all resources grants: Resource "*", a KMS key ARN whose key part is a
 * wildcard ("arn:aws:kms:*:*:key/" and a star), or any NotResource. A statement
 * grants a pattern when one of its Action patterns can match a common
 * action name, or when its NotAction patterns do not cover the pattern.
 * Returns a malloc'd copy of the pattern (the caller frees it), or NULL. */
char *policy_allowed_action_matching(json_t *doc, const char *csv, size_t len);

/* Wildcard matching ('*' any run, '?' one character), exposed for the
 * tests. glob_match: does pattern p match the literal string s.
 * glob_intersect: is there a string both patterns match. glob_covers:
 * does p match every string q matches (a sufficient test: 0 may be
 * answered for some exotic pairs where the true answer is 1). nocase
 * folds ASCII case. Each returns 1 or 0. */
int policy_glob_match(const char *p, size_t plen, const char *s, size_t slen, int nocase);
int policy_glob_intersect(const char *p, size_t plen, const char *q, size_t qlen, int nocase);
int policy_glob_covers(const char *p, size_t plen, const char *q, size_t qlen, int nocase);

#endif
