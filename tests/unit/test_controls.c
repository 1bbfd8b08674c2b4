/*
 * test_controls: the control mapping loader (src/packs/controls.c) on the
 * small files in tests/data/controls/: a good mapping, and each error with
 * its exact file:line:column message; then every shipped mapping in
 * packs/controls/ loads against the shipped catalogue and rule files.
 */
#include "packs/controls.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/tap.h"

#define DATA CFGAUDIT_SRCDIR "/tests/data/controls/"
#define SHIPPED CFGAUDIT_SRCDIR "/packs/controls/"

static struct diag d;
static struct controls_known known;

static const char *load_error(const char *name)
{
	static char buf[DIAG_PATH_MAX + DIAG_MSG_MAX + 64];
	char path[4096];
	struct controls *c;
	const char *base;

	snprintf(path, sizeof(path), "%s%s", DATA, name);
	c = controls_load(path, &known, &d);
	if (c) {
		controls_free(c);
		return "(loaded)";
	}
	base = strrchr(d.path, '/');
	base = base ? base + 1 : d.path;
	snprintf(buf, sizeof(buf), "%s:%ld:%ld: %s", base, d.line, d.column, d.msg);
	return buf;
}

int main(void)
{
	struct controls *c;
	size_t idx[8];
	DIR *dh;
	struct dirent *de;
	int shipped = 0;

	controls_known_init(&known);
	ok(controls_known_add_file(&known, DATA "catalogue.txt", &d) == 0, "catalogue loads");
	ok(controls_known_has(&known, "ROOT_ACCOUNT_MFA_ENABLED"), "comment after an identifier");
	ok(!controls_known_has(&known, "test"), "comment lines are not identifiers");

	c = controls_load(DATA "good.yaml", &known, &d);
	ok(c != NULL, "good.yaml loads");
	if (c) {
		is_str(c->framework, "SOC 2 (2017 Trust Services Criteria)", "framework");
		is_str(c->read, "2026-12-01", "read date");
		is_int(c->n_controls, 2, "two controls");
		is_str(c->controls[0].id, "CC6.1", "first id");
		is_str(c->controls[0].title, "Logical access security", "title");
		is_int(c->controls[0].line, 8, "line of the first control");
		is_str(c->controls[1].note, "monitoring", "note");
		is_int(c->controls[1].n_rules, 2, "flow list of rules");
		ok(controls_names_pack(c, "my-pack") && !controls_names_pack(c, "other"),
		   "names its pack only");
		is_int(controls_of_rule(c, "ROOT_ACCOUNT_MFA_ENABLED", idx), 2,
		       "a rule in two controls");
		is_int(controls_of_rule(c, "CLOUD_TRAIL_ENABLED", idx), 1, "a rule in one");
		is_int(idx[0], 1, "... the second control");
		is_int(controls_of_rule(c, "S3_BUCKET_LOGGING_ENABLED", idx), 0, "a rule in none");
		controls_free(c);
	}
	c = controls_load(DATA "empty.yaml", &known, &d);
	ok(c && c->n_controls == 0 && c->n_packs == 1, "controls: [] is a mapping with none yet");
	controls_free(c);

	is_str(load_error("dup.yaml"), "dup.yaml:7:9: duplicate control 'A-1' (first at line 3)",
	       "duplicate control");
	is_str(load_error("unknown.yaml"),
	       "unknown.yaml:6:9: control 'A-1': unknown rule identifier 'NO_SUCH_RULE_AT_ALL' "
	       "(not a cfgaudit rule nor an AWS managed rule of the catalogue)",
	       "unknown rule identifier");
	is_str(load_error("kebab.yaml"),
	       "kebab.yaml:5:9: control 'A-1': 's3-bucket-ssl-requests-only' is a rule name, not "
	       "an identifier (write 'S3_BUCKET_SSL_REQUESTS_ONLY')",
	       "a rule name where an identifier belongs");
	ok(!strncmp(load_error("syntax.yaml"), "syntax.yaml:5:", 14), "bad syntax has a position: %s",
	   load_error("syntax.yaml"));
	is_str(load_error("nokey.yaml"),
	       "nokey.yaml:4:5: unknown key 'rule' in a control (id, title, note, rules)",
	       "unknown key");
	is_str(load_error("norules.yaml"), "norules.yaml:4:12: control 'A-1' maps no rule",
	       "empty rules");
	is_str(load_error("twice.yaml"),
	       "twice.yaml:4:34: control 'A-1' names rule 'CLOUD_TRAIL_ENABLED' twice",
	       "a rule twice in one control");
	ok(!strncmp(load_error("missing.yaml"), "missing.yaml:0:0: ", 18), "a missing file: %s",
	   load_error("missing.yaml"));
	ok(d.line == 0, "a missing file has no line");

	/* Shipped mappings, against the shipped catalogue plus rule files. */
	controls_known_release(&known);
	controls_known_init(&known);
	ok(controls_known_add_file(&known, SHIPPED "managed-rules.txt", &d) == 0,
	   "shipped catalogue loads");
	dh = opendir(CFGAUDIT_SRCDIR "/rules");
	while (dh && (de = readdir(dh))) {
		size_t len = strlen(de->d_name);

		if (len > 4 && !strcmp(de->d_name + len - 4, ".sql")) {
			de->d_name[len - 4] = '\0';
			controls_known_add(&known, de->d_name);
		}
	}
	if (dh)
		closedir(dh);
	dh = opendir(SHIPPED);
	while (dh && (de = readdir(dh))) {
		char path[4096];
		size_t len = strlen(de->d_name);

		if (len <= 5 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s%s", SHIPPED, de->d_name);
		c = controls_load(path, &known, &d);
		ok(c != NULL && c->n_packs > 0 && c->source && c->read, "shipped %s loads: %s",
		   de->d_name, c ? "ok" : d.msg);
		controls_free(c);
		shipped++;
	}
	if (dh)
		closedir(dh);
	ok(shipped >= 5, "five shipped mappings (%d)", shipped);
	{
		char *p = controls_find_for_pack(SHIPPED, "Operational-Best-Practices-for-NIST-800-53-rev-5");

		ok(p && strstr(p, "NIST-800-53-rev5.yaml"), "the NIST pack finds its mapping");
		free(p);
		p = controls_find_for_pack(SHIPPED, "no-such-pack");
		ok(p == NULL, "an unknown pack finds none");
		free(p);
	}
	controls_known_release(&known);
	return tap_done();
}
