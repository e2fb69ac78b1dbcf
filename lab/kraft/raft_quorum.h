/* raft_quorum: the KRaft controller quorum of a world: N controller
 * processes (process.roles=controller) named ctl1..ctlN, node.ids 1..N
 * (controller.quorum.voters=1@...,2@...,3@...), each running a raft
 * voter. The QuorumController on top attaches through hooks and the
 * raft's own raft_app; a reader gets the quorum as lab.quorum() shows it. */
#ifndef QL_RAFT_QUORUM_H
#define QL_RAFT_QUORUM_H
#include "raft.h"

#define RAFT_QUORUM_NAME "ctl"  /* node names: ctl1, ctl2, ... */

/* What a controller process does besides Raft: messages that are not
 * Raft's (broker heartbeats, registrations), and the process's life. */
typedef struct raft_proc_hooks {
    void (*start)(void *ctx);           /* after the raft started */
    void (*crash)(void *ctx);
    void (*recv)(void *ctx, int from, uint32_t type, const uint8_t *data, size_t len);
    void (*reset)(void *ctx, int peer);
} raft_proc_hooks;

typedef struct raft_quorum raft_quorum;

/* n controller processes (1 .. RAFT_VOTERS_MAX) added to the world, not
 * yet started. cfg NULL: Kafka's defaults. */
raft_quorum *raft_quorum_new(sim *s, int n, const raft_config *cfg);
/* Frees the quorum's own table; the processes belong to the sim (it
 * frees them in sim_free). NULL is a no-op. */
void raft_quorum_free(raft_quorum *q);
void raft_quorum_start(raft_quorum *q);         /* boots every controller */

int raft_quorum_size(const raft_quorum *q);
/* The controllers' settings (the world's lab.cluster config). */
const raft_config *raft_quorum_config(const raft_quorum *q);
const int *raft_quorum_ids(const raft_quorum *q);   /* node.ids, 1..n */
const int *raft_quorum_nodes(const raft_quorum *q); /* sim nodes */
raft *raft_quorum_raft(raft_quorum *q, int i);      /* 0-based */
/* The controller process on sim node `node`, -1 when it is none. */
int raft_quorum_index(const raft_quorum *q, int node);
void raft_quorum_set_hooks(raft_quorum *q, int i, const raft_proc_hooks *h, void *ctx);

/* The clean stop of controller i: a leader resigns (EndQuorumEpoch) and
 * the process exits once a new epoch began or after the shutdown timeout;
 * any other exits at once. False when it is not running. */
bool raft_quorum_stop(raft_quorum *q, int i);

/* The quorum as a learner reads it (DescribeQuorum): the leader, its
 * epoch, and each voter's state, log end offset, high watermark and lag
 * behind the leader's log end. */
typedef struct raft_voter_info {
    raft_info r;
    char name[16];              /* ctl1 */
    bool paused;
    int64_t lag;                /* leader's log end - its log end; -1 no leader */
} raft_voter_info;

typedef struct raft_quorum_info {
    int size;
    int up;
    int leader_id;              /* -1 when no voter leads */
    int32_t epoch;              /* the leader's, else the highest seen */
    int64_t high_watermark;     /* the leader's, -1 without a leader */
    raft_voter_info voters[RAFT_VOTERS_MAX];
} raft_quorum_info;
void raft_quorum_info_get(const raft_quorum *q, raft_quorum_info *out);

#endif
