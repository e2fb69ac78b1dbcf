/* check_report: how an invariant checker reports a violation, the same for
 * the ensemble's (zk_check) and the controller quorum's (raft_check): the
 * first one kept with the seed, a TR_VIOLATION event, and the world halted
 * so the failure is where the run stops. */
#ifndef CHECK_REPORT_H
#define CHECK_REPORT_H

#include <stddef.h>
#include "sim.h"

/* Counts it in *violations; the first one's text goes to first (cap). */
void check_report(sim *s, int node, int *violations, char *first, size_t cap,
                  const char *msg);

#endif
