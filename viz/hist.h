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
#define VIZ_TL_PARTS 16         /* grid rows with a timeline */
#define VIZ_TL_KEPT 32          /* partitions whose history is kept */
#define VIZ_TL_NONE (-2)        /* viz_hist_leader: no record that second */

/* One partition's leader second by second, keyed by its name (topic and
 * index), not by its grid row: a new topic sorted before it moves its
 * row, not its past. */
typedef struct viz_tl {
    char topic[48];             /* "" slot free */
    int part;
    uint64_t since_sec;         /* first second recorded: nothing before */
    uint64_t seen_sec;          /* last second recorded */
    long seen_sample;           /* the sample that recorded it last */
    int16_t leader[VIZ_HIST_N]; /* broker id, -1 none, VIZ_TL_NONE no record */
    bool moved[VIZ_HIST_N];     /* leader changed that second */
} viz_tl;

typedef struct viz_hist {
    uint64_t last_sec;          /* newest second recorded */
    bool any;                   /* something recorded since the reset */
    long acked[VIZ_HIST_N];     /* per second, slot sec % VIZ_HIST_N */
    long failed[VIZ_HIST_N];    /* records whose send failed */
    viz_tl tl[VIZ_TL_KEPT];     /* the partitions' leaders */
    long samples;               /* samples taken since the reset */
    long seen_acked, seen_failed;   /* client totals at the last sample */
} viz_hist;

struct viz_snap;

void viz_hist_reset(viz_hist *h);
/* Samples a snapshot: acknowledged and failed records since the last
 * sample (from its clients' totals) and the leaders of its first grid
 * rows, s->tl_leader (see snap_kafka), each under its partition's name.
 * A partition seen for the first time starts its history at this second;
 * seconds it was not sampled (before it existed, replayed after b,
 * scrolled out of the first rows) stay without a record. */
void viz_hist_sample(viz_hist *h, const struct viz_snap *s);
/* Value of second sec (0 when outside what is kept). */
long viz_hist_at(const viz_hist *h, const long *series, uint64_t sec);
/* The leader of topic-part at second sec: a broker id, -1 none (offline),
 * VIZ_TL_NONE no record; *moved says whether it changed that second. */
int viz_hist_leader(const viz_hist *h, const char *topic, int part, uint64_t sec,
                    bool *moved);

#endif
