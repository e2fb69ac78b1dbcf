/* real_kafka: real Kafka clients (kcat, librdkafka) inside a world. Each TCP
 * connection a real client opens to a broker's port becomes a simulated
 * client node ("kreal1", "kreal2"...) attached to that broker: its requests
 * travel the simulated links to the broker's own Metadata, Produce, Fetch
 * and ListOffsets handling (lab/kafka; CreateTopics and DeleteTopics to
 * the controller's admin handling), and the answers come back as Kafka
 * wire bytes (kafka_wire.h) for the socket. So records a real producer
 * sends land in the lab's logs and ledger, a crash of the broker resets the
 * real connection, and a cut link makes the real client time out.
 *
 * Deterministic, like real_zk: no sockets here. The listening layer hands
 * in the bytes at the world's current simulated time and takes the bytes
 * to write. The lab stores record keys and values as text: a value with a
 * zero byte is cut at it. */
#ifndef QL_REAL_KAFKA_H
#define QL_REAL_KAFKA_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "cluster.h"
#include "real_zk.h"            /* real_end, the limits */

typedef struct real_khub real_khub;

/* The real Kafka clients of world w (freed before the world). */
real_khub *real_khub_new(cluster *w);
void real_khub_free(real_khub *h);      /* NULL is a no-op */
/* The port the broker at index i (0-based, kafka_world order) listens on:
 * what Metadata advertises for it, with host 127.0.0.1. */
void real_khub_port(real_khub *h, int i, int port);

/* A connection accepted on the port of the broker at index i, from peer.
 * Returns its id (>= 0), or -1 when refused at once (no such broker, the
 * broker is down, too many connections); why says so. */
int real_kafka_accept(real_khub *h, int i, const char *peer, char *why, size_t cap);
/* Bytes the client sent; returns how many were taken (fewer once a whole
 * frame and more wait: a broker reads a connection's next request only
 * after answering the last, as SocketServer mutes the channel, so later
 * ones wait in the input, within a bound). */
size_t real_kafka_input(real_khub *h, int id, const uint8_t *p, size_t n);
void real_kafka_closed(real_khub *h, int id, const char *why);
size_t real_kafka_output(real_khub *h, int id, const uint8_t **p);
void real_kafka_wrote(real_khub *h, int id, size_t n);
real_end real_kafka_end(const real_khub *h, int id);
void real_kafka_release(real_khub *h, int id);

int real_kafka_count(const real_khub *h);  /* connections open now */

/* For the dashboard's clients panel. */
typedef struct real_kafka_info {
    int node;               /* the simulated client node */
    int broker;             /* the broker id it is attached to */
    char peer[48];          /* the real client's address */
    char client[64];        /* its client.id ("rdkafka") */
    char last[48];          /* what it did last ("Produce t-0 x10") */
    uint64_t requests;
} real_kafka_info;
int real_kafka_slots(const real_khub *h);
bool real_kafka_info_get(const real_khub *h, int id, real_kafka_info *out);

#endif
