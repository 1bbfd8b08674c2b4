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

int rp_render_csv(const struct rp_model *m, FILE *out, struct diag *d)
{
	size_t *order = rp_results_order(m, m->opt->group_by);
	struct strbuf row = STRBUF_INIT;
	char run_id[32];

	snprintf(run_id, sizeof(run_id), "%lld", (long long)m->run_id);
	fputs("run_id,as_of,pack_name,config_rule_name,account_id,aws_region,resource_type,"
	      "resource_id,compliance_type,annotation,data_snapshot_time,data_latest_delivery,"
	      "data_status\r\n",
	      out);
	for (size_t i = 0; i < m->n_results; i++) {
		const struct rp_result *r = &m->results[order[i]];
		const struct rp_coverage *cov;

		if (!r->listed)
			continue;
		strbuf_reset(&row);
		csv_add_field(&row, run_id, 1);
		csv_add_field(&row, m->as_of, 0);
		csv_add_field(&row, r->pack, 0);
		csv_add_field(&row, r->rule, 0);
		csv_add_field(&row, r->account, 0);
		csv_add_field(&row, r->region, 0);
		csv_add_field(&row, r->rtype, 0);
		csv_add_field(&row, r->rid, 0);
		csv_add_field(&row, rp_ct_name(r->ct), 0);
		csv_add_field(&row, r->annotation, 0);
		cov = rp_coverage_find(m, r->account, r->region);
		csv_add_field(&row, cov ? cov->snapshot_time : NULL, 0);
		csv_add_field(&row, cov ? cov->latest : NULL, 0);
		csv_add_field(&row, cov ? cov->status : m->coverage_recorded ? "missing" : "",
			      0);
		strbuf_addstr(&row, "\r\n");
		if (fwrite(row.buf, 1, row.len, out) != row.len)
			break;
	}
	strbuf_release(&row);
	free(order);
	if (ferror(out))
		return diag_set(d, NULL, 0, "cannot write the CSV report");
	return 0;
}
