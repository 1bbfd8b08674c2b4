/*
 * gen-evidence: the evidence files of the --landing-zone organization
 * (cfgaudit-ingest(1), EVIDENCE): what cfgaudit-collect would have
 * captured shortly before the end of the generated week, for the facts
 * AWS Config does not record and the landing-zone pack reads, with one
 * deliberate break per evidence-decided check (testdata/README.md).
 */
#ifndef CFGAUDIT_GEN_EVIDENCE_H
#define CFGAUDIT_GEN_EVIDENCE_H

#include <stddef.h>

#include "gen-common.h"

/* Writes a whole file (the generator's writer: creates directories). */
typedef void (*gen_write_fn)(const char *path, const char *data, size_t n);

/*
 * Write the evidence files under awslogs (".../AWSLogs", no final slash)
 * for the five landing-zone accounts (management, security, log-archive,
 * production, development, in that order) in the regions (the first is
 * the home region), captured at `when`. org_id is the organization id.
 */
void gen_lz_evidence(const char *awslogs, const char *const accounts[5], const char *const *regions,
		     int nregions, const char *org_id, ms_t when, gen_write_fn write);

#endif
