/* kctl_proto: the requests a KRaft broker sends the active controller
 * besides Raft's Fetch (which it sends as an observer): BrokerRegistration
 * and BrokerHeartbeat (KIP-631). AlterPartition and CreateTopics travel
 * in the brokers' own KMSG_ALTER_ISR and KMSG_ADMIN formats. */
#ifndef QL_KCTL_PROTO_H
#define QL_KCTL_PROTO_H

#include <stdint.h>
#include <stdbool.h>

#include "kmeta_rec.h"
#include "sim.h"

enum kctl_msg {
    KCTL_MSG_REGISTER = 0x4C01,     /* BrokerRegistration: broker -> controller */
    KCTL_MSG_REGISTER_RESP,
    KCTL_MSG_HEARTBEAT,             /* BrokerHeartbeat: broker -> controller */
    KCTL_MSG_HEARTBEAT_RESP,
    KCTL_MSG_END
};

/* BrokerRegistrationRequest / Response. */
typedef struct kctl_reg_msg {
    uint64_t corr;                  /* request id */
    int32_t broker_id;
    kmeta_uuid incarnation;
    char rack[KMETA_RACK_MAX];
    /* response */
    uint8_t err;                    /* kctl_err */
    int64_t broker_epoch;
} kctl_reg_msg;

/* BrokerHeartbeatRequest / Response. */
typedef struct kctl_hb_msg {
    uint64_t corr;
    int32_t broker_id;
    int64_t broker_epoch;
    int64_t metadata_offset;        /* CurrentMetadataOffset */
    bool want_fence, want_shutdown;
    /* response */
    uint8_t err;
    bool caught_up, fenced, shutdown_now;
} kctl_hb_msg;

void kctl_reg_write(wbuf *w, const kctl_reg_msg *m);
bool kctl_reg_read(const uint8_t *p, size_t n, kctl_reg_msg *m);
void kctl_hb_write(wbuf *w, const kctl_hb_msg *m);
bool kctl_hb_read(const uint8_t *p, size_t n, kctl_hb_msg *m);

/* Names the message types in the trace (once per world). */
void kctl_name_msgs(sim *s);

#endif
