/* bench_util: what every benchmark needs: the wall clock (allowed here,
 * never in lab/), peak memory, and one "label value unit" row, the format
 * tests/bench.sh lays out as a table. */
#ifndef QL_BENCH_UTIL_H
#define QL_BENCH_UTIL_H

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static inline double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static inline void row(const char *label, double v, const char *unit)
{
    printf("%s\t%.6g\t%s\n", label, v, unit);
}

#endif
