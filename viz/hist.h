/* hist: what the small plots show: the clients' records acknowledged and
 * failed per simulated second (sparklines; a broker's own trouble, such
 * as its ZooKeeper session reconnecting, is no client's error) and the leader of the first partitions
 * second by second (a leader timeline). Fed from snapshots and trace
 * events as the world runs; cleared when a new world is built. */
#ifndef QL_VIZ_HIST_H
#define QL_VIZ_HIST_H

#include <stdbool.h>
#include <stdint.h>
#include "trace.h"

#define VIZ_HIST_N 256          /* seconds kept */
#define VIZ_TL_PARTS 16         /* partitions with a timeline */

typedef struct viz_hist {
    uint64_t last_sec;          /* newest second recorded */
    bool any;                   /* something recorded since the reset */
    long acked[VIZ_HIST_N];     /* per second, slot sec % VIZ_HIST_N */
    long failed[VIZ_HIST_N];    /* records whose send failed */
    int16_t leader[VIZ_TL_PARTS][VIZ_HIST_N];   /* broker id, -1 none */
    bool moved[VIZ_TL_PARTS][VIZ_HIST_N];       /* leader changed that second */
    char tl_topic[VIZ_TL_PARTS][48];            /* what each timeline row is */
    int tl_part[VIZ_TL_PARTS];
    int ntl;
    long seen_acked, seen_failed;   /* client totals at the last sample */
} viz_hist;

struct viz_snap;

void viz_hist_reset(viz_hist *h);
/* Samples a snapshot: acknowledged and failed records since the last
 * sample (from its clients' totals) and the leaders of its first grid
 * rows (the snapshot must have been taken with them: see snap_kafka). */
void viz_hist_sample(viz_hist *h, const struct viz_snap *s, const int *leaders,
                     int nleaders);
/* Value of second sec (0 when outside what is kept). */
long viz_hist_at(const viz_hist *h, const long *series, uint64_t sec);
int viz_hist_leader(const viz_hist *h, int row, uint64_t sec, bool *moved);

#endif
