/*
 * gen-services: the service resource types of the generator (load
 * balancers, API stages, CodeBuild, ECS, Lambda, network plumbing, data
 * stores, AWS Backup), written from compact templates rather than one C
 * function each. gen-items.c keeps the identity and the item envelope and
 * calls in here for the types below T_NTYPES that svc_is() accepts.
 */
#ifndef CFGAUDIT_GEN_SERVICES_H
#define CFGAUDIT_GEN_SERVICES_H

#include "gen-items.h"

/* Flag bit every backup-able service resource may carry: a "backup" tag
 * that the generated backup selections select by. */
#define SVC_BACKUP_TAG (1u << 7)

/* 1 when t is one of the template-driven service types. */
int svc_is(enum rtype t);

/* Random flags for a new resource of service type t (per-type odds of
 * each non-compliant variant). */
uint32_t svc_random_flags(enum rtype t, struct rng *r);

/* The identity of service resource r of area a into o (id, name, ARN,
 * availability zone). */
void svc_ident(const struct area *a, const struct res *r, struct ident *o);

/* Relationship sink: the item's relationships are reported through it. */
typedef void svc_rel_fn(void *ctx, const char *type, const char *id, const char *relname);

/* The configuration and supplementary configuration (JSON objects) of
 * service resource r, whose identity is me; relationships go to rel. */
void svc_emit(const struct area *a, const struct res *r, const struct ident *me,
	      const char *created, struct gbuf *conf, struct gbuf *supp, svc_rel_fn *rel,
	      void *rel_ctx);

#endif
