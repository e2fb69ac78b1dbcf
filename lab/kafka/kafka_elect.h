/* kafka_elect: the controller's leader choices and the leader's ISR
 * decisions, as pure functions (no world, no clock), so they are tested on
 * their own. Replica lists are broker ids in assignment order. */
#ifndef QL_KAFKA_ELECT_H
#define QL_KAFKA_ELECT_H

#include <stdint.h>
#include <stdbool.h>

/* Is broker id alive (registered, not shutting down)? */
typedef bool (*kafka_alive_fn)(void *ctx, int id);

typedef struct kafka_choice {
    int leader;             /* broker id, -1: offline */
    int isr[16];            /* new ISR */
    int nisr;
    bool unclean;           /* chosen outside the ISR */
} kafka_choice;

/* Offline election (the leader's broker is gone): the first replica in
 * assignment order that is alive and in the ISR; new ISR = old ISR minus
 * dead brokers. With none: unclean (when allowed) takes the first live
 * replica with ISR = [it]; otherwise leader -1 and the ISR keeps its last
 * member, never emptied (with every member dead at once, the highest id,
 * as Kafka's controller removes them in ascending order), so a clean
 * election stays possible when it returns. */
void kafka_elect_offline(const int *replicas, int nrep, const int *isr,
                         int nisr, bool unclean_allowed, kafka_alive_fn alive,
                         void *ctx, kafka_choice *out);

/* Preferred election: replica 0 when it is alive and in the ISR; leader
 * -1 otherwise (no change). */
void kafka_elect_preferred(const int *replicas, int nrep, const int *isr,
                           int nisr, kafka_alive_fn alive, void *ctx,
                           kafka_choice *out);

/* Controlled shutdown of broker `leaving`: the first replica in the ISR
 * that is alive and not leaving; the ISR loses `leaving`. leader -1 when
 * no other ISR member can take over. */
void kafka_elect_shutdown(const int *replicas, int nrep, const int *isr,
                          int nisr, int leaving, kafka_alive_fn alive,
                          void *ctx, kafka_choice *out);

bool kafka_in_list(const int *list, int n, int id);

/* ISR shrink (Partition.isFollowerOutOfSync): a follower in the ISR is
 * out only when its LEO differs from the leader's AND it has not been
 * caught up for longer than lag_max_us. An idle follower that holds the
 * leader's whole log stays, however long it has not fetched. */
bool kafka_isr_should_drop(int64_t follower_leo, int64_t leader_leo,
                           uint64_t now_us, uint64_t last_caught_up_us,
                           uint64_t lag_max_us);
/* ISR expand: a follower rejoins once its LEO reaches the HW and the
 * start offset of the leader's current epoch. */
bool kafka_isr_can_join(int64_t follower_leo, int64_t hw,
                        int64_t epoch_start);
/* When a follower's fetch at fetch_offset was last caught up: now when it
 * reached the leader's LEO; the time of its previous fetch when it reached
 * the LEO the leader had then; otherwise unchanged. */
uint64_t kafka_caught_up_time(int64_t fetch_offset, int64_t leader_leo,
                              uint64_t now_us, int64_t prev_fetch_leo,
                              uint64_t prev_fetch_us, uint64_t last_caught_up_us);

#endif
