/*
 * pg_lazy.h — libpq, loaded when ladder first connects to PostgreSQL, not
 * at start-up: linking it made every ladder process (an SQLite `status`
 * too) map libpq and its two dozen libraries (TLS, Kerberos, LDAP), which
 * cost more than a no-op run's whole work (docs/performance.md). The
 * driver's code calls PQ* as usual; the names below are redirected to a
 * table that ldr_pq_load() fills once per process from libpq.so.5 (the
 * table is written once, under pthread_once, and only read after).
 * Included by driver_pg.h only.
 */
#ifndef LADDER_PG_LAZY_H
#define LADDER_PG_LAZY_H

#include <libpq-fe.h>

#include "internal.h"

/* Every libpq function the driver calls (one it calls that is missing
 * here fails the link: the name is never resolved at build time). */
#define LDR_PQ_FUNCTIONS(X)                                                    \
	X(PQbackendPID)                                                        \
	X(PQcancel)                                                            \
	X(PQclear)                                                             \
	X(PQcmdTuples)                                                         \
	X(PQconnectdbParams)                                                   \
	X(PQconninfo)                                                          \
	X(PQconninfoFree)                                                      \
	X(PQconsumeInput)                                                      \
	X(PQdb)                                                                \
	X(PQenterPipelineMode)                                                 \
	X(PQerrorMessage)                                                      \
	X(PQexecParams)                                                        \
	X(PQexitPipelineMode)                                                  \
	X(PQfinish)                                                            \
	X(PQflush)                                                             \
	X(PQfreeCancel)                                                        \
	X(PQgetCancel)                                                         \
	X(PQgetResult)                                                         \
	X(PQgetisnull)                                                         \
	X(PQgetvalue)                                                          \
	X(PQisBusy)                                                            \
	X(PQnfields)                                                           \
	X(PQntuples)                                                           \
	X(PQpipelineStatus)                                                    \
	X(PQpipelineSync)                                                      \
	X(PQputCopyEnd)                                                        \
	X(PQresultErrorField)                                                  \
	X(PQresultErrorMessage)                                                \
	X(PQresultStatus)                                                      \
	X(PQsendQueryParams)                                                   \
	X(PQsetNoticeProcessor)                                                \
	X(PQsocket)                                                            \
	X(PQstatus)                                                            \
	X(PQtransactionStatus)

struct ldr_pq {
#define LDR_PQ_MEMBER(f) __typeof__(f) *f;
	LDR_PQ_FUNCTIONS(LDR_PQ_MEMBER)
#undef LDR_PQ_MEMBER
};

/* Loads libpq (once per process); LADDER_EUNSUPPORTED and a diagnostic
 * naming `target` when it cannot be loaded. Every PQ* call comes after a
 * successful load (pg_open() makes it first). */
int ldr_pq_load(const char *target, ladder_diags *diags);
const struct ldr_pq *ldr_pq(void);

#ifndef LDR_PQ_NO_REDIRECT
#define PQbackendPID	     (ldr_pq()->PQbackendPID)
#define PQcancel	     (ldr_pq()->PQcancel)
#define PQclear		     (ldr_pq()->PQclear)
#define PQcmdTuples	     (ldr_pq()->PQcmdTuples)
#define PQconnectdbParams    (ldr_pq()->PQconnectdbParams)
#define PQconninfo	     (ldr_pq()->PQconninfo)
#define PQconninfoFree	     (ldr_pq()->PQconninfoFree)
#define PQconsumeInput	     (ldr_pq()->PQconsumeInput)
#define PQdb		     (ldr_pq()->PQdb)
#define PQenterPipelineMode  (ldr_pq()->PQenterPipelineMode)
#define PQerrorMessage	     (ldr_pq()->PQerrorMessage)
#define PQexecParams	     (ldr_pq()->PQexecParams)
#define PQexitPipelineMode   (ldr_pq()->PQexitPipelineMode)
#define PQfinish	     (ldr_pq()->PQfinish)
#define PQflush		     (ldr_pq()->PQflush)
#define PQfreeCancel	     (ldr_pq()->PQfreeCancel)
#define PQgetCancel	     (ldr_pq()->PQgetCancel)
#define PQgetResult	     (ldr_pq()->PQgetResult)
#define PQgetisnull	     (ldr_pq()->PQgetisnull)
#define PQgetvalue	     (ldr_pq()->PQgetvalue)
#define PQisBusy	     (ldr_pq()->PQisBusy)
#define PQnfields	     (ldr_pq()->PQnfields)
#define PQntuples	     (ldr_pq()->PQntuples)
#define PQpipelineStatus     (ldr_pq()->PQpipelineStatus)
#define PQpipelineSync	     (ldr_pq()->PQpipelineSync)
#define PQputCopyEnd	     (ldr_pq()->PQputCopyEnd)
#define PQresultErrorField   (ldr_pq()->PQresultErrorField)
#define PQresultErrorMessage (ldr_pq()->PQresultErrorMessage)
#define PQresultStatus	     (ldr_pq()->PQresultStatus)
#define PQsendQueryParams    (ldr_pq()->PQsendQueryParams)
#define PQsetNoticeProcessor (ldr_pq()->PQsetNoticeProcessor)
#define PQsocket	     (ldr_pq()->PQsocket)
#define PQstatus	     (ldr_pq()->PQstatus)
#define PQtransactionStatus  (ldr_pq()->PQtransactionStatus)
#endif

#endif
