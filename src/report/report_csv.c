/*
 * report_csv: the CSV back end, for spreadsheets. One row per rule and
 * resource, RFC 4180: CRLF line ends, a header row, fields holding a
 * comma, a quote, CR or LF quoted with inner quotes doubled. Output is
 * valid UTF-8 (invalid bytes become U+FFFD).
 *
 * The data coverage rides on every row (so that the file stays one
 * table): the last three columns are the snapshot time, latest delivery
 * and status (fresh, stale, incomplete, missing) the run recorded for the
 * row's account and region; empty when the run recorded no coverage.
 * Then the rule's severity, and on NON_COMPLIANT rows its remediation and
 * documentation page; then, on a waived row, the waiver's reason, approver
 * and expiry date; the resource's name and ARN, the account's rule
 * coverage; last the account's name and OU path from Organizations
 * evidence (the path column says "(no Organizations evidence)" or "(OU
 * path not in Organizations evidence)" when there is none).
 *
 * Spreadsheet formula injection: a field from the data that starts with
 * '=', '+', '-', '@', TAB or CR would be run as a formula by Excel,
 * LibreOffice and Google Sheets; such a field gets a leading apostrophe,
 * which spreadsheets show as text (cfgaudit-report(5) documents it).
 */
#include "config.h"

#include "report/report_priv.h"
#include "util/csv.h"

#include <stdlib.h>
#include <string.h>

/* The rule's severity on every row; how to fix it, and its page, on
 * non-compliant rows. */
static void add_triage(struct strbuf *row, enum rp_ct ct, const struct rp_rule *rule)
{
	int nc = ct == RP_NON_COMPLIANT;

	csv_add_field(row, rule->severity, 0);
	csv_add_field(row, nc ? rule->remediation : NULL, 0);
	csv_add_field(row, nc ? rule->documentation : NULL, 0);
}

/* The waiver that covers a NON_COMPLIANT row, or three empty fields. */
static void add_waiver(struct strbuf *row, const struct rp_waiver *w)
{
	csv_add_field(row, w ? w->reason : NULL, 0);
	csv_add_field(row, w ? w->approved_by : NULL, 0);
	csv_add_field(row, w ? w->expires : NULL, 0);
}

/* The account's name from Organizations evidence (empty when unknown) and
 * its OU path, or why there is none (RP_OU_NO_PATH, RP_OU_NO_EVIDENCE). */
static void add_org(struct strbuf *row, const struct rp_model *m, size_t account_idx)
{
	csv_add_field(row, rp_org_account(m, account_idx)->name, 0);
	csv_add_field(row, rp_org_ou_label(m, account_idx), 0);
}

/* An incomplete run and failed input files come first, as rows of their
 * own compliance_type, so that the file stays one table. */
static void problem_rows(const struct rp_model *m, const char *run_id, struct strbuf *row,
			 FILE *out)
{
	for (size_t i = 0; i < m->n_errors + m->n_failed; i++) {
		struct strbuf msg = STRBUF_INIT;
		int is_error = i < m->n_errors;

		if (is_error)
			rp_error_text(&m->errors[i], &msg);
		strbuf_reset(row);
		csv_add_field(row, run_id, 1);
		csv_add_field(row, m->as_of, 0);
		for (int k = 0; k < 4; k++)
			csv_add_field(row, "", 0);
		csv_add_field(row, is_error ? "cfgaudit::Run" : "cfgaudit::InputFile", 0);
		csv_add_field(row, is_error ? run_id : m->failed[i - m->n_errors].path, 0);
		csv_add_field(row, is_error ? "RUN_ERROR" : "INPUT_FILE_FAILED", 0);
		csv_add_field(row, is_error ? msg.buf : m->failed[i - m->n_errors].error, 0);
		for (int k = 0; k < 14; k++)
			csv_add_field(row, "", 0);
		strbuf_addstr(row, "\r\n");
		fwrite(row->buf, 1, row->len, out);
		strbuf_release(&msg);
	}
}

/* The row of result r into row (tally: scratch). */
static void result_row(const struct rp_model *m, const struct rp_result *r, const char *run_id,
		       struct strbuf *row, struct strbuf *tally)
{
	const struct rp_coverage *cov = rp_coverage_find(m, r->account, r->region);

	strbuf_reset(row);
	csv_add_field(row, run_id, 1);
	csv_add_field(row, m->as_of, 0);
	csv_add_field(row, r->pack, 0);
	csv_add_field(row, r->rule, 0);
	csv_add_field(row, r->account, 0);
	csv_add_field(row, r->region, 0);
	csv_add_field(row, r->rtype, 0);
	csv_add_field(row, r->rid, 0);
	csv_add_field(row, rp_ct_name(r->ct), 0);
	csv_add_field(row, r->annotation, 0);
	csv_add_field(row, cov ? cov->snapshot_time : NULL, 0);
	csv_add_field(row, cov ? cov->latest : NULL, 0);
	csv_add_field(row, cov ? cov->status : m->coverage_recorded ? "missing" : "", 0);
	add_triage(row, r->ct, &m->rules[r->rule_idx]);
	add_waiver(row, r->waiver >= 0 ? &m->waivers[r->waiver] : NULL);
	csv_add_field(row, r->name, 0);
	csv_add_field(row, r->arn, 0);
	strbuf_reset(tally);
	rp_tally_text(&m->tally_by_account[m->pairs[r->pair].account_idx], tally);
	csv_add_field(row, tally->buf, 0);
	add_org(row, m, m->pairs[r->pair].account_idx);
	strbuf_addstr(row, "\r\n");
}

/* The whole selection's rule coverage closes the table. */
static void coverage_row(const struct rp_model *m, const char *run_id, struct strbuf *row,
			 struct strbuf *tally, FILE *out)
{
	strbuf_reset(row);
	strbuf_reset(tally);
	rp_tally_text(&m->tally, tally);
	csv_add_field(row, run_id, 1);
	csv_add_field(row, m->as_of, 0);
	for (int k = 0; k < 6; k++)
		csv_add_field(row, "", 0);
	csv_add_field(row, "RULE_COVERAGE", 0);
	csv_add_field(row, tally->buf, 0);
	for (int k = 0; k < 11; k++)
		csv_add_field(row, "", 0);
	csv_add_field(row, tally->buf, 0);
	csv_add_field(row, "", 0);
	csv_add_field(row, "", 0);
	strbuf_addstr(row, "\r\n");
	fwrite(row->buf, 1, row->len, out);
}

int rp_render_csv(const struct rp_model *m, FILE *out, struct diag *d)
{
	size_t *order;
	struct strbuf row = STRBUF_INIT, tally = STRBUF_INIT;
	char run_id[32];

	if (m->controls && m->opt->group_by == REPORT_BY_CONTROL)
		return rp_controls_csv(m, out, d);
	order = m->opt->group_by == REPORT_BY_OU ? rp_org_results_order(m)
						 : rp_results_order(m, m->opt->group_by);
	snprintf(run_id, sizeof(run_id), "%lld", (long long)m->run_id);
	fputs("run_id,as_of,pack_name,config_rule_name,account_id,aws_region,resource_type,"
	      "resource_id,compliance_type,annotation,data_snapshot_time,data_latest_delivery,"
	      "data_status,severity,remediation,documentation,waiver_reason,waiver_approved_by,"
	      "waiver_expires,resource_name,arn,rule_coverage,account_name,ou_path\r\n",
	      out);
	problem_rows(m, run_id, &row, out);
	for (size_t i = 0; i < m->n_results; i++) {
		const struct rp_result *r = &m->results[order[i]];

		if (!r->listed)
			continue;
		result_row(m, r, run_id, &row, &tally);
		if (fwrite(row.buf, 1, row.len, out) != row.len)
			break;
	}
	coverage_row(m, run_id, &row, &tally, out);
	strbuf_release(&row);
	strbuf_release(&tally);
	free(order);
	if (ferror(out))
		return diag_set(d, NULL, 0, "cannot write the CSV report");
	return 0;
}
