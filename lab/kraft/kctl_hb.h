/* kctl_hb: the active controller's soft state about broker heartbeats
 * (Kafka's BrokerHeartbeatManager): when each broker last heartbeat and
 * the metadata offset it reported. Not in the metadata log: a controller
 * that becomes active starts with none, so after a failover fencing can
 * take up to a whole session longer. Times in simulated microseconds. */
#ifndef QL_KCTL_HB_H
#define QL_KCTL_HB_H

#include <stdint.h>
#include <stdbool.h>

#define KCTL_HEARTBEAT_INTERVAL_MS 2000     /* broker.heartbeat.interval.ms */
#define KCTL_SESSION_TIMEOUT_MS 9000        /* broker.session.timeout.ms */

typedef struct kctl_hb kctl_hb;

kctl_hb *kctl_hb_new(uint64_t session_timeout_us);
void kctl_hb_free(kctl_hb *hb);             /* NULL is fine */

/* A heartbeat (or registration) from broker id at now_us; fenced is the
 * state the controller leaves it in. Only unfenced brokers are tracked
 * for fencing, as Kafka's unfenced list is. */
void kctl_hb_touch(kctl_hb *hb, int id, bool fenced, uint64_t now_us,
                   int64_t metadata_offset);
/* The controller fenced it (no longer watched for staleness). */
void kctl_hb_fence(kctl_hb *hb, int id);
/* Forgets the broker (another incarnation registered). */
void kctl_hb_remove(kctl_hb *hb, int id);

/* hasValidSession: unfenced and last contact + session >= now. */
bool kctl_hb_valid_session(const kctl_hb *hb, int id, uint64_t now_us);

/* findOneStaleBroker: the unfenced broker heard from longest ago whose
 * session has run out at now_us, or -1. */
int kctl_hb_stale(const kctl_hb *hb, uint64_t now_us);

/* When the next broker's session runs out: the oldest last contact plus
 * the session timeout, plus one microsecond (stale means strictly
 * later); UINT64_MAX with no unfenced broker. */
uint64_t kctl_hb_next_check_us(const kctl_hb *hb);

/* The unfenced brokers watched for staleness, up to cap: their ids and
 * last contacts (each fenced once last + session timeout has passed).
 * Returns how many. For the dashboard's countdowns. */
int kctl_hb_sessions(const kctl_hb *hb, int *ids, uint64_t *last_us, int cap);

/* The metadata offset a broker last reported, -1 unknown. */
int64_t kctl_hb_metadata_offset(const kctl_hb *hb, int id);

/* Controlled shutdown (BrokerHeartbeatManager.controlledShutdownOffset):
 * a broker in the CONTROLLED_SHUTDOWN state has the offset of the batch
 * that put it there; it is left out of the active set. A touch that
 * fences it clears the offset. */
bool kctl_hb_shutting_down(const kctl_hb *hb, int id);
/* maybeUpdateControlledShutdownOffset: sets it only the first time. */
void kctl_hb_set_shutdown_offset(kctl_hb *hb, int id, int64_t offset);
int64_t kctl_hb_shutdown_offset(const kctl_hb *hb, int id);  /* -1 none */
/* lowestActiveOffset: the lowest metadata offset reported by an
 * unfenced broker not shutting down; INT64_MAX with none. */
int64_t kctl_hb_lowest_active_offset(const kctl_hb *hb);

#endif
