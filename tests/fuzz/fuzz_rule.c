/*
 * fuzz_rule: libFuzzer target for the rule-file header parser.
 */
#include "rules/rule.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	struct rule *r;

	diag_clear(&d);
	r = rule_parse("rules/FUZZ.sql", (const char *)data, size, &d);
	if (r) {
		for (size_t i = 0; i < r->n_params; i++)
			(void)rule_find_param(r, r->params[i].name);
		for (size_t i = 0; i < r->n_constants; i++)
			(void)rule_find_constant(r, r->constants[i].name);
		/* The same bytes as its shared statement file. */
		if (r->statement)
			(void)rule_attach_statement(r, "rules/shared/FUZZ.sql", (const char *)data,
						    size, &d);
		rule_free(r);
	}
	return 0;
}
