/* check_report: see check_report.h. */
#include "check_report.h"
#include "trace.h"

#include <stdio.h>

void check_report(sim *s, int node, int *violations, char *first, size_t cap,
                  const char *msg)
{
    unsigned long long seed = (unsigned long long)sim_seed(s);
    if ((*violations)++ == 0) snprintf(first, cap, "%s (seed %llu)", msg, seed);
    trace_emit(sim_trace(s), TR_VIOLATION, node, -1, 0, 0, "%s (seed %llu)", msg, seed);
    sim_halt(s);
}
