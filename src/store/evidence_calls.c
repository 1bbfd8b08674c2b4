/*
 * evidence_calls: what cfgaudit reads of the stored evidence calls (see
 * evidence_calls.h) -- the known calls and the credential report format.
 */
#include "store/evidence_calls.h"
#include "util/strbuf.h"

#include <string.h>

/* The calls cfgaudit reads (cfgaudit-ingest(1) lists the rules of each). */
static const struct known_call {
	const char *service, *operation, *label;
} known_calls[] = {
    {"iam", "get-credential-report", "credential report"},
    {"iam", "get-account-password-policy", "password policy"},
    {"iam", "get-account-summary", "account summary"},
    {"iam", "list-virtual-mfa-devices", "virtual MFA device list"},
    {"organizations", "describe-organization", "organization description"},
    {"organizations", "list-accounts", "organization account list"},
    {"organizations", "list-roots", "organization roots"},
    {"organizations", "list-parents", "organization parents"},
    {"organizations", "list-organizational-units-for-parent", "organizational unit list"},
    {"organizations", "list-delegated-administrators", "delegated administrator list"},
    {"guardduty", "list-detectors", "GuardDuty detector list"},
    {"guardduty", "get-detector", "GuardDuty detector"},
    {"guardduty", "list-organization-admin-accounts", "GuardDuty administrator list"},
    {"guardduty", "list-members", "GuardDuty member list"},
    {"guardduty", "list-findings", "GuardDuty finding list"},
    {"guardduty", "get-findings", "GuardDuty finding details"},
    {"securityhub", "describe-hub", "Security Hub description"},
    {"cloudtrail", "describe-trails", "trail list"},
    {"cloudtrail", "get-trail-status", "trail status"},
    {"cloudtrail", "get-event-selectors", "trail event selectors"},
    {"ec2", "get-ebs-encryption-by-default", "EBS encryption-by-default setting"},
    {"s3control", "get-public-access-block", "account public access block"},
    {"wafv2", "get-logging-configuration", "web ACL logging configuration"},
    {"logs", "describe-metric-filters", "metric filter list"},
    {"sns", "list-subscriptions-by-topic", "topic subscription list"},
    {"configservice", "describe-configuration-recorders", "configuration recorder list"},
    {"configservice", "describe-configuration-recorder-status", "configuration recorder status"},
    {"configservice", "describe-delivery-channels", "delivery channel list"},
    {"configservice", "describe-configuration-aggregators", "configuration aggregator list"},
};

const char *evidence_call_label(const char *service, const char *operation)
{
	for (size_t i = 0; i < sizeof(known_calls) / sizeof(known_calls[0]); i++)
		if (!strcmp(known_calls[i].service, service) &&
		    !strcmp(known_calls[i].operation, operation))
			return known_calls[i].label;
	return NULL;
}

const char *const evidence_credential_columns[EVIDENCE_CREDENTIAL_COLUMNS] = {
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
};

/* ---- the credential report ---- */

static int b64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* Decode base64 (whitespace ignored, '=' padding). Returns 0 with out
 * filled, or -1. */
static int b64_decode(const char *s, size_t len, struct strbuf *out)
{
	unsigned acc = 0;
	int bits = 0, pad = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		int v;

		if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
			continue;
		if (ch == '=') {
			pad++;
			continue;
		}
		if (pad)
			return -1;
		v = b64_value(ch);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(out, (char)((acc >> bits) & 0xff));
		}
	}
	return pad > 2 ? -1 : 0;
}

#define CSV_MAX_FIELDS 64

/* Split one CSV line [p, end) into fields (RFC 4180 quotes), written
 * NUL-terminated into line. Returns the field count, or -1. */
static int csv_split(struct strbuf *line, char **fields)
{
	char *r = line->buf, *w = line->buf, *end = line->buf + line->len;
	int n = 0;

	for (;;) {
		if (n == CSV_MAX_FIELDS)
			return -1;
		fields[n++] = w;
		if (r < end && *r == '"') {
			r++;
			for (;;) {
				if (r >= end)
					return -1;
				if (*r == '"') {
					if (r + 1 < end && r[1] == '"') {
						*w++ = '"';
						r += 2;
						continue;
					}
					r++;
					break;
				}
				*w++ = *r++;
			}
			if (r < end && *r != ',')
				return -1;
		} else {
			while (r < end && *r != ',')
				*w++ = *r++;
		}
		if (r >= end) {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++; /* the comma */
	}
}

int evidence_credential_report(const char *content_b64, size_t len,
			       int (*row)(void *arg, long line, char **fields, size_t n),
			       void *arg, struct diag *d)
{
	struct strbuf csv, line;
	char *fields[CSV_MAX_FIELDS];
	long lineno = 0;
	size_t pos = 0;
	int rc = 0;

	strbuf_init(&csv, len);
	strbuf_init(&line, 256);
	if (b64_decode(content_b64, len, &csv)) {
		rc = diag_set(d, NULL, 0, "credential report Content is not base64");
		goto out;
	}
	while (pos < csv.len) {
		const char *nl = memchr(csv.buf + pos, '\n', csv.len - pos);
		size_t end = nl ? (size_t)(nl - csv.buf) : csv.len;
		int n;

		lineno++;
		strbuf_reset(&line);
		strbuf_add(&line, csv.buf + pos, end - pos);
		pos = end + 1;
		if (line.len && line.buf[line.len - 1] == '\r')
			strbuf_setlen(&line, line.len - 1);
		if (line.len == 0 && lineno > 1)
			continue;
		n = csv_split(&line, fields);
		if (n < 0) {
			rc = diag_set(d, NULL, 0, "credential report line %ld is not CSV", lineno);
			goto out;
		}
		if (lineno == 1) {
			for (int i = 0; i < EVIDENCE_CREDENTIAL_COLUMNS; i++)
				if (i >= n || strcmp(fields[i], evidence_credential_columns[i])) {
					rc = diag_set(d, NULL, 0,
						      "credential report header is not AWS's: column"
						      " %d is '%.60s', expected '%s'",
						      i + 1, i < n ? fields[i] : "",
						      evidence_credential_columns[i]);
					goto out;
				}
		} else if (n < EVIDENCE_CREDENTIAL_COLUMNS) {
			rc = diag_set(d, NULL, 0,
				      "credential report line %ld has %d fields, the header %d",
				      lineno, n, EVIDENCE_CREDENTIAL_COLUMNS);
			goto out;
		}
		if (row && (rc = row(arg, lineno, fields, (size_t)n)) != 0)
			goto out;
	}
	if (lineno == 0)
		rc = diag_set(d, NULL, 0, "credential report is empty (no CSV header)");
out:
	strbuf_release(&csv);
	strbuf_release(&line);
	return rc;
}
