/* kafka_converge: the liveness half of the Kafka checkers ("after faults
 * heal, replicas converge"). Read from the registry and the replicas, as
 * a learner could: every partition has a leader, every replica on a
 * running broker is in the ISR and holds the leader's log record for
 * record (same leader epochs, same record ids), and the leader's HW has
 * reached its log end. */
#include "kafka_world.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why topic/p has not converged, or NULL. */
static const char *partition_diverged(kafka_world *w, sim *s, const char *topic,
                                      int p, char *why, size_t cap)
{
    kafka_pstate st;
    int n;
    if (!kafka_world_pstate(w, topic, p, &st, &n)) return NULL;
    if (st.leader < 0) {
        snprintf(why, cap, "%s-%d has no leader", topic, p);
        return why;
    }
    kafka_broker *lb = kafka_world_by_id(w, st.leader);
    kafka_replica_info li;
    if (!lb || sim_node_status(s, kafka_broker_node(lb)) != NODE_UP ||
        !kafka_broker_replica(lb, topic, p, &li) || !li.leader) {
        snprintf(why, cap, "%s-%d: leader %d is not serving it", topic, p, st.leader);
        return why;
    }
    if (li.hw != li.leo) {
        snprintf(why, cap, "%s-%d: HW %lld behind the log end %lld", topic, p,
                 (long long)li.hw, (long long)li.leo);
        return why;
    }
    for (int i = 0; i < st.nrep; i++) {
        int id = st.replicas[i];
        kafka_broker *b = kafka_world_by_id(w, id);
        kafka_replica_info ri;
        if (id == st.leader || !b || sim_node_status(s, kafka_broker_node(b)) != NODE_UP)
            continue;
        if (!kafka_broker_replica(b, topic, p, &ri) || ri.leo != li.leo) {
            snprintf(why, cap, "%s-%d: replica %d has %lld records, leader %d has %lld",
                     topic, p, id, ri.log ? (long long)ri.leo : 0LL, st.leader,
                     (long long)li.leo);
            return why;
        }
        if (!kafka_pstate_in_isr(&st, id)) {
            snprintf(why, cap, "%s-%d: replica %d caught up but not in the ISR", topic, p, id);
            return why;
        }
        for (int64_t o = 0; o < li.leo; o++) {
            const kafka_record *a = kafka_log_get(li.log, o), *b2 = kafka_log_get(ri.log, o);
            if (!a || !b2 || a->rid != b2->rid || a->leader_epoch != b2->leader_epoch) {
                snprintf(why, cap, "%s-%d: replica %d differs from leader %d at offset %lld",
                         topic, p, id, st.leader, (long long)o);
                return why;
            }
        }
    }
    return NULL;
}

int kafka_world_diverged(kafka_world *w, char *why, size_t cap)
{
    sim *s = kafka_world_sim(w);
    /* KRaft: until a controller is active (after every controller
     * restarted, none has replayed the log yet) the topics are unknown */
    if (kafka_world_is_kraft(w) && !kafka_world_kraft_active(w)) {
        if (why) snprintf(why, cap, "no active controller: the metadata log is not replayed");
        return 1;
    }
    char (*names)[KAFKA_TOPIC_NAME_MAX] = NULL;
    int nt = kafka_world_topics(w, &names);
    int bad = 0;
    char tmp[256];
    for (int t = 0; t < nt; t++) {
        kafka_pstate st;
        int np = 0;
        if (!kafka_world_pstate(w, names[t], 0, &st, &np)) continue;
        for (int p = 0; p < np; p++)
            if (partition_diverged(w, s, names[t], p, tmp, sizeof tmp)) {
                if (bad++ == 0 && why) snprintf(why, cap, "%s", tmp);
            }
    }
    free(names);
    return bad;
}
