/*
 * param: --param overrides and typed parameter values (see param.h).
 */
#include "rules/param.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int param_override_parse(const char *text, struct param_override *o, struct diag *d)
{
	const char *eq = strchr(text, '='), *dot = NULL;

	memset(o, 0, sizeof(*o));
	for (const char *p = text; eq && p < eq; p++)
		if (*p == '.')
			dot = p;
	if (!eq || eq == text || dot == text || (dot && dot + 1 == eq))
		return diag_set(d, NULL, 0, "--param '%s': not NAME=VALUE or RULE.KEY=VALUE", text);
	o->text = xstrdup(text);
	if (dot)
		o->rule = xstrndup(text, (size_t)(dot - text));
	o->key =
	    dot ? xstrndup(dot + 1, (size_t)(eq - dot - 1)) : xstrndup(text, (size_t)(eq - text));
	o->value = xstrdup(eq + 1);
	return 0;
}

void param_override_release(struct param_override *o)
{
	free(o->text);
	free(o->rule);
	free(o->key);
	free(o->value);
	memset(o, 0, sizeof(*o));
}

int param_overrides_add(struct param_overrides *l, const char *text, struct diag *d)
{
	struct param_override o;

	if (param_override_parse(text, &o, d))
		return -1;
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr++] = o;
	return 0;
}

void param_overrides_release(struct param_overrides *l)
{
	for (size_t i = 0; i < l->nr; i++)
		param_override_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int param_value_parse(enum rule_param_type t, const char *text, struct param_value *v,
		      const char **why)
{
	memset(v, 0, sizeof(*v));
	/* The one check of a value against its type (rule_check_param_value,
	 * which also checks header defaults): after it, the conversions
	 * below cannot fail. */
	if (rule_check_param_value(t, text, why))
		return -1;
	v->set = 1;
	v->type = t;
	v->text = xstrdup(text);
	if (t == RULE_PARAM_INT)
		v->number = strtoll(text, NULL, 10);
	else if (t == RULE_PARAM_BOOL)
		v->number = !strcasecmp(text, "true");
	return 0;
}

void param_value_release(struct param_value *v)
{
	free(v->text);
	memset(v, 0, sizeof(*v));
}
