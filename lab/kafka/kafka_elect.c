/* kafka_elect: leader election rules (PartitionLeaderElectionAlgorithms in
 * Kafka's controller) and the ISR membership rules of Partition.scala. */
#include "kafka_elect.h"
#include "util.h"

bool kafka_in_list(const int *list, int n, int id)
{
    for (int i = 0; i < n; i++)
        if (list[i] == id) return true;
    return false;
}

static void none(kafka_choice *out, const int *isr, int nisr)
{
    out->leader = -1;
    out->unclean = false;
    out->nisr = 0;
    for (int i = 0; i < nisr && i < (int)QL_ARRAY_LEN(out->isr); i++)
        out->isr[out->nisr++] = isr[i];
}

/* The ISR without dead brokers and without `drop`. */
static void live_isr(const int *isr, int nisr, int drop, kafka_alive_fn alive,
                     void *ctx, kafka_choice *out)
{
    out->nisr = 0;
    for (int i = 0; i < nisr; i++)
        if (isr[i] != drop && alive(ctx, isr[i]))
            out->isr[out->nisr++] = isr[i];
}

void kafka_elect_offline(const int *replicas, int nrep, const int *isr,
                         int nisr, bool unclean_allowed, kafka_alive_fn alive,
                         void *ctx, kafka_choice *out)
{
    for (int i = 0; i < nrep; i++) {
        if (alive(ctx, replicas[i]) && kafka_in_list(isr, nisr, replicas[i])) {
            out->leader = replicas[i];
            out->unclean = false;
            live_isr(isr, nisr, -1, alive, ctx, out);
            return;
        }
    }
    if (unclean_allowed) {
        for (int i = 0; i < nrep; i++) {
            if (!alive(ctx, replicas[i])) continue;
            out->leader = replicas[i];
            out->unclean = true;
            out->isr[0] = replicas[i];
            out->nisr = 1;
            return;
        }
    }
    /* offline: dead members leave the ISR, but the last one stays. The
     * controller takes dead brokers' replicas out one broker at a time in
     * ascending id order and refuses to empty the ISR
     * (ReplicaStateMachine.doRemoveReplicasFromIsr): with every member
     * dead, the one with the highest id remains. */
    live_isr(isr, nisr, -1, alive, ctx, out);
    if (out->nisr == 0 && nisr > 0) {
        int last = isr[0];
        for (int i = 1; i < nisr; i++)
            if (isr[i] > last) last = isr[i];
        out->isr[0] = last;
        out->nisr = 1;
    }
    out->leader = -1;
    out->unclean = false;
}

void kafka_elect_preferred(const int *replicas, int nrep, const int *isr,
                           int nisr, kafka_alive_fn alive, void *ctx,
                           kafka_choice *out)
{
    if (nrep > 0 && alive(ctx, replicas[0]) &&
        kafka_in_list(isr, nisr, replicas[0])) {
        out->leader = replicas[0];
        out->unclean = false;
        out->nisr = 0;
        for (int i = 0; i < nisr; i++) out->isr[out->nisr++] = isr[i];
        return;
    }
    none(out, isr, nisr);
}

void kafka_elect_shutdown(const int *replicas, int nrep, const int *isr,
                          int nisr, int leaving, kafka_alive_fn alive,
                          void *ctx, kafka_choice *out)
{
    for (int i = 0; i < nrep; i++) {
        int r = replicas[i];
        if (r != leaving && alive(ctx, r) && kafka_in_list(isr, nisr, r)) {
            out->leader = r;
            out->unclean = false;
            live_isr(isr, nisr, leaving, alive, ctx, out);
            return;
        }
    }
    none(out, isr, nisr);
}

bool kafka_isr_should_drop(int64_t follower_leo, int64_t leader_leo,
                           uint64_t now_us, uint64_t last_caught_up_us,
                           uint64_t lag_max_us)
{
    return follower_leo != leader_leo && now_us > last_caught_up_us &&
           now_us - last_caught_up_us > lag_max_us;
}

bool kafka_isr_can_join(int64_t follower_leo, int64_t hw, int64_t epoch_start)
{
    return follower_leo >= hw && follower_leo >= epoch_start;
}

uint64_t kafka_caught_up_time(int64_t fetch_offset, int64_t leader_leo,
                              uint64_t now_us, int64_t prev_fetch_leo,
                              uint64_t prev_fetch_us, uint64_t last_caught_up_us)
{
    if (fetch_offset >= leader_leo) return now_us;
    if (fetch_offset >= prev_fetch_leo && prev_fetch_us > last_caught_up_us)
        return prev_fetch_us;
    return last_caught_up_us;
}
