/* listen: the sockets of real clients and the wall clock they need. One
 * thread, one poll(): listening sockets accept, connections read into the
 * hub (lab/real) and write what it has for them, then close as it says
 * (a FIN after the last byte, or a reset when the server "died"). Every
 * buffer is bounded: a connection takes input only as fast as the hub
 * takes it, and the hub closes a client that does not read. */
#define _GNU_SOURCE
#include "listen.h"
#include "listen_rec.h"
#include "real_zk.h"
#include "real_kafka.h"
#include "kafka_world.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LISTEN_CONNS_MAX 1024   /* sockets at once; more are refused */
#define READ_CHUNK 65536
#define KAFKA_LISTEN_MAX 32     /* brokers given a port; later ones are not */
/* Kafka connections' ids, apart from the ZooKeeper hub's (in the trace's
 * records too: an accept on a broker's port has sid -(index + 1)) */
#define KID (1 << 20)

typedef struct lsock {
    int fd;
    int id;                     /* the hub's connection id */
    uint8_t *hold;              /* read but not yet taken by the hub */
    size_t nhold;
} lsock;

struct listen_ctx {
    char addr[64];
    int base_port;
    bool zk_port_given;         /* --zk-port: refused in a KRaft world */
    bool want;                  /* --listen: bind once a world exists */
    bool on;
    int lfd[CLUSTER_ZK_MAX];    /* listening sockets, per sid-1 */
    int nl;
    int kafka_port;
    int klfd[KAFKA_LISTEN_MAX]; /* the brokers' listening sockets, per index
                                 * (-1: closed, the broker not listening) */
    int nkl;
    int nkports;                /* brokers the hub knows a port of */
    cluster *world;             /* the world the hub serves */
    real_hub *hub;
    real_khub *khub;            /* its real Kafka clients */
    lsock *s;
    int ns, caps;
    uint64_t wall_base_us, sim_base_us;
    char line[256];             /* what poll tells the dashboard */
    uint64_t pace_until_us;     /* pace: the world may not pass this */
    bool touched;               /* the hub was called (and recorded) */
    rec_list replay;            /* --replay: the records to apply */
    bool replaying;
    bool dash;                  /* the dashboard: the learner's faults recorded */
};

static uint64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

listen_ctx *listen_new(const char *addr, int zk_port, int kafka_port, bool want)
{
    listen_ctx *l = xcalloc(1, sizeof *l);
    snprintf(l->addr, sizeof l->addr, "%s", addr ? addr : "127.0.0.1");
    l->base_port = zk_port > 0 ? zk_port : 2181;
    l->zk_port_given = zk_port > 0;
    l->kafka_port = kafka_port > 0 ? kafka_port : 9092;
    l->want = want;
    return l;
}

/* --- the hub's calls, each recorded in the --trace file --- */

static void record(listen_ctx *l, rec r)
{
    if (!l->world) return;
    l->touched = true;
    r.at_us = sim_now_us(cluster_sim(l->world));
    rec_write(trace_jsonl(sim_trace(cluster_sim(l->world))), &r);
}

/* --- the two hubs behind one id space: KID and up are Kafka's --- */

static int hub_accept(listen_ctx *l, int sid, const char *peer, char *why, size_t cap)
{
    if (sid > 0) return real_zk_accept(l->hub, sid, peer, why, cap);
    int id = real_kafka_accept(l->khub, -sid - 1, peer, why, cap);
    return id < 0 ? id : KID + id;
}

static size_t hub_input(listen_ctx *l, int id, const uint8_t *p, size_t n)
{
    return id >= KID ? real_kafka_input(l->khub, id - KID, p, n) : real_zk_input(l->hub, id, p, n);
}

static void hub_closed(listen_ctx *l, int id, const char *why)
{
    if (id >= KID) real_kafka_closed(l->khub, id - KID, why);
    else real_zk_closed(l->hub, id, why);
}

static size_t hub_output(listen_ctx *l, int id, const uint8_t **p)
{
    return id >= KID ? real_kafka_output(l->khub, id - KID, p) : real_zk_output(l->hub, id, p);
}

static void hub_wrote(listen_ctx *l, int id, size_t n)
{
    if (id >= KID) real_kafka_wrote(l->khub, id - KID, n);
    else real_zk_wrote(l->hub, id, n);
}

static real_end hub_end(listen_ctx *l, int id)
{
    return id >= KID ? real_kafka_end(l->khub, id - KID) : real_zk_end(l->hub, id);
}

static void hub_release(listen_ctx *l, int id)
{
    if (id >= KID) real_kafka_release(l->khub, id - KID);
    else real_zk_release(l->hub, id);
}

/* sid: a server's (1..), or -(index + 1) for a broker's port */
static int h_accept(listen_ctx *l, int sid, const char *peer, char *why, size_t cap)
{
    int id = hub_accept(l, sid, peer, why, cap);
    rec r = { .kind = REC_ACCEPT, .id = id, .sid = sid };
    snprintf(r.text, sizeof r.text, "%s", peer);
    record(l, r);
    return id;
}

static size_t h_input(listen_ctx *l, int id, const uint8_t *p, size_t n)
{
    size_t took = hub_input(l, id, p, n);
    if (took) record(l, (rec){ .kind = REC_INPUT, .id = id, .bytes = (uint8_t *)p, .n = took });
    return took;
}

static void h_closed(listen_ctx *l, int id, const char *why)
{
    rec r = { .kind = REC_CLOSED, .id = id };
    snprintf(r.text, sizeof r.text, "%s", why);
    record(l, r);
    hub_closed(l, id, why);
}

static void h_wrote(listen_ctx *l, int id, size_t n)
{
    record(l, (rec){ .kind = REC_WROTE, .id = id, .n = n });
    hub_wrote(l, id, n);
}

static void h_release(listen_ctx *l, int id)
{
    record(l, (rec){ .kind = REC_RELEASE, .id = id });
    hub_release(l, id);
}

/* Closes socket i; hub: tell the hub (not when the world goes away: its
 * end is no event of the run, and --replay must not miss one). */
static void close_sock(listen_ctx *l, int i, bool reset, bool hub)
{
    lsock *k = &l->s[i];
    if (reset) {
        struct linger lg = { .l_onoff = 1, .l_linger = 0 };
        setsockopt(k->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(k->fd);
    free(k->hold);
    if (hub && l->hub && k->id >= 0) h_release(l, k->id);
    l->s[i] = l->s[--l->ns];
}

/* Cuts every real client off (the world goes away): resets. */
static void drop_all(listen_ctx *l)
{
    while (l->ns > 0) close_sock(l, l->ns - 1, true, false);
    real_khub_free(l->khub);
    l->khub = NULL;
    real_hub_free(l->hub);
    l->hub = NULL;
    l->world = NULL;
}

void listen_free(listen_ctx *l)
{
    if (!l) return;
    drop_all(l);
    rec_list_free(&l->replay);
    for (int i = 0; i < l->nl; i++) if (l->lfd[i] >= 0) close(l->lfd[i]);
    for (int i = 0; i < l->nkl; i++) if (l->klfd[i] >= 0) close(l->klfd[i]);
    free(l->s);
    free(l);
}

static int bind_one(const char *addr, int port, char *err, size_t cap)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        snprintf(err, cap, "not an IPv4 address: %s", addr);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { snprintf(err, cap, "socket: %s", strerror(errno)); return -1; }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1024) != 0) {
        snprintf(err, cap, "cannot listen on %s:%d: %s", addr, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static bool loopback(const char *addr) { return strncmp(addr, "127.", 4) == 0; }

/* Binds a port per broker of w (the first KAFKA_LISTEN_MAX). */
static bool start_kafka(listen_ctx *l, cluster *w, char *err, size_t cap)
{
    int n = kafka_world_count(cluster_kafka(w));
    if (n > KAFKA_LISTEN_MAX) n = KAFKA_LISTEN_MAX;
    if (n > 0 && l->kafka_port + n - 1 > 65535) {
        snprintf(err, cap, "ports %d..%d: past 65535", l->kafka_port, l->kafka_port + n - 1);
        return false;
    }
    for (int i = 0; i < n; i++) {
        int fd = bind_one(l->addr, l->kafka_port + i, err, cap);
        if (fd < 0) {
            while (l->nkl > 0) close(l->klfd[--l->nkl]);
            return false;
        }
        l->klfd[l->nkl++] = fd;
    }
    return true;
}

/* Binds a port per server and broker of w and puts the world on the wall
 * clock. */
static bool start(listen_ctx *l, cluster *w, char *err, size_t cap)
{
    if (l->on) {
        snprintf(err, cap, "already listening on %s", l->addr);
        return false;
    }
    /* a KRaft world's clients reach only its brokers: its controllers take
     * no client (kcat bootstraps from brokers), and it has no ZooKeeper */
    bool kraft = cluster_quorum(w) != NULL;
    if (kraft && l->zk_port_given) {
        snprintf(err, cap, "--zk-port: a KRaft world has no ZooKeeper (real clients reach its "
                 "brokers, from --kafka-port on)");
        return false;
    }
    if (kraft && kafka_world_count(cluster_kafka(w)) == 0) {
        snprintf(err, cap, "this KRaft world has no brokers, and brokers are all real clients "
                 "can talk to (there is no ZooKeeper; the controllers take no clients)");
        return false;
    }
    int n = cluster_zk_count(w);
    if (l->base_port + n - 1 > 65535) {
        snprintf(err, cap, "ports %d..%d: past 65535", l->base_port, l->base_port + n - 1);
        return false;
    }
    for (int i = 0; i < n; i++) {
        int fd = bind_one(l->addr, l->base_port + i, err, cap);
        if (fd < 0) {
            while (l->nl > 0) close(l->lfd[--l->nl]);
            return false;
        }
        l->lfd[l->nl++] = fd;
    }
    if (!start_kafka(l, w, err, cap)) {
        while (l->nl > 0) close(l->lfd[--l->nl]);
        return false;
    }
    l->on = true;
    l->wall_base_us = wall_us();
    l->sim_base_us = sim_now_us(cluster_sim(w));
    if (!loopback(l->addr))
        fprintf(stderr, "quorumlab: warning: listening on %s, not a loopback address: "
                        "anyone who reaches this machine can use the lab's servers\n", l->addr);
    /* one status line, whole at 120 columns with 5-digit ports: the
     * ports first, the wall clock last */
    int k;
    if (kraft)
        k = snprintf(l->line, sizeof l->line, "listening for Kafka clients on %s:%d-%d "
                     "(KRaft: no ZooKeeper)", l->addr, l->kafka_port, l->kafka_port + l->nkl - 1);
    else
        k = snprintf(l->line, sizeof l->line, "listening for ZooKeeper clients on %s:%d-%d",
                     l->addr, l->base_port, l->base_port + n - 1);
    if (!kraft && l->nkl > 0)
        k += snprintf(l->line + k, sizeof l->line - (size_t)k, ", Kafka clients on %s:%d-%d",
                      l->addr, l->kafka_port, l->kafka_port + l->nkl - 1);
    snprintf(l->line + k, sizeof l->line - (size_t)k, "; wall clock, 1x");
    return true;
}

/* Gives each broker the hub does not know yet a port, base + its index,
 * as the first ones got theirs: a broker added after the start
 * (lab.add_broker, :add-broker) included, up to KAFKA_LISTEN_MAX. Live,
 * its listening socket starts closed and follow_nodes binds it once the
 * broker listens; a replay needs only the hub's port (Metadata names it). */
static void grow_kafka(listen_ctx *l)
{
    kafka_world *kw = cluster_kafka(l->world);
    int n = kw ? kafka_world_count(kw) : 0;
    if (n > KAFKA_LISTEN_MAX) n = KAFKA_LISTEN_MAX;
    for (; l->nkports < n && l->kafka_port + l->nkports <= 65535; l->nkports++) {
        int i = l->nkports, port = l->kafka_port + i;
        real_khub_port(l->khub, i, port);
        if (!l->on || l->replaying || i < l->nkl) continue;
        l->klfd[l->nkl++] = -1;
        snprintf(l->line, sizeof l->line, "broker %d's Kafka port: %s:%d",
                 kafka_broker_id(kafka_world_broker(kw, i)), l->addr, port);
        if (!l->dash) {
            printf("%s\n", l->line);
            fflush(stdout);
        }
    }
}

static void ensure_hub(listen_ctx *l, cluster *w)
{
    if (l->world != w || !l->hub) {
        drop_all(l);
        l->world = w;
        l->hub = real_hub_new(w);
        for (int i = 0; i < cluster_zk_count(w); i++)
            real_hub_port(l->hub, i + 1, l->base_port + i);
        l->khub = real_khub_new(w);
        l->nkports = 0;
    }
    grow_kafka(l);
}

static void refuse_line(listen_ctx *l, const char *peer, const char *why)
{
    trace_emit(sim_trace(cluster_sim(l->world)), TR_CLIENT, -1, -1, 0, 0,
               "real client %s refused: %s", peer, why);
}

/* sid: the server's (1..), or -(index + 1) for a broker's port */
static void accept_on(listen_ctx *l, int lfd, int sid)
{
    for (int k = 0; k < 128; k++) {         /* a bounded number per pass: others wait */
        struct sockaddr_in sa;
        socklen_t sl = sizeof sa;
        int fd = accept4(lfd, (struct sockaddr *)&sa, &sl,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        char peer[48], ip[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip);
        snprintf(peer, sizeof peer, "%s:%u", ip, (unsigned)ntohs(sa.sin_port));
        char why[128];
        int id = l->ns >= LISTEN_CONNS_MAX ? -1 : h_accept(l, sid, peer, why, sizeof why);
        if (l->ns >= LISTEN_CONNS_MAX) snprintf(why, sizeof why, "the lab holds %d sockets already",
                                                LISTEN_CONNS_MAX);
        VEC_GROW(l->s, l->ns, l->caps);
        l->s[l->ns++] = (lsock){ .fd = fd, .id = id };
        if (id < 0) {
            refuse_line(l, peer, why);
            close_sock(l, l->ns - 1, true, true);
        }
    }
}

/* Offers what the socket holds to the hub; true when something was taken. */
static bool feed(listen_ctx *l, lsock *k)
{
    if (!k->nhold) return false;
    size_t took = h_input(l, k->id, k->hold, k->nhold);
    memmove(k->hold, k->hold + took, k->nhold - took);
    k->nhold -= took;
    return took > 0;
}

/* Reads, writes and closes one connection. Returns true when input was fed. */
static bool serve(listen_ctx *l, int i, short revents)
{
    lsock *k = &l->s[i];
    bool fed = feed(l, k);
    if ((revents & (POLLIN | POLLHUP | POLLERR)) && k->nhold == 0 &&
        hub_end(l, k->id) == REAL_OPEN) {
        if (!k->hold) k->hold = xmalloc(READ_CHUNK);
        ssize_t n = read(k->fd, k->hold, READ_CHUNK);
        if (n > 0) {
            k->nhold = (size_t)n;
            fed = feed(l, k) || fed;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            h_closed(l, k->id, n == 0 ? "EOF from the client" : strerror(errno));
        }
    }
    return fed;
}

/* Writes pending output and closes what the hub ended. */
static void flush_all(listen_ctx *l)
{
    for (int i = 0; i < l->ns;) {
        lsock *k = &l->s[i];
        const uint8_t *p;
        size_t n = hub_output(l, k->id, &p);
        real_end e = hub_end(l, k->id);
        if (n > 0 && e != REAL_RESET) {
            ssize_t w = send(k->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0) { h_wrote(l, k->id, (size_t)w); n -= (size_t)w; }
            else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                h_closed(l, k->id, strerror(errno));
                e = REAL_RESET;
            }
        }
        if (e == REAL_RESET || (e == REAL_CLOSE && n == 0)) {
            close_sock(l, i, e == REAL_RESET, true);
            continue;
        }
        i++;
    }
}

/* Whether node (a server's or a broker's) has no process: crashed or
 * stopped. A paused one is still there (its kernel accepts). */
static bool node_gone(listen_ctx *l, int node)
{
    return sim_node_status(cluster_sim(l->world), node) == NODE_DOWN;
}

/* A broker's port is closed while it is down, and in KRaft mode until
 * it has been unfenced since its start (kafka_broker_listening). */
static bool broker_closed(listen_ctx *l, kafka_broker *b)
{
    return node_gone(l, kafka_broker_node(b)) || !kafka_broker_listening(b);
}

/* One listening socket follows its node: closed while the node is down
 * (or, a KRaft broker, not yet unfenced since its start), so a client
 * meets ECONNREFUSED as from a dead ZooKeeper or Kafka JVM (an accept
 * followed by a reset read as a TLS listener to kcat), bound again when
 * it is back. A port taken meanwhile is tried again next pass. */
static void follow_port(listen_ctx *l, int *fd, bool gone, int port)
{
    if (gone && *fd >= 0) {
        close(*fd);
        *fd = -1;
    } else if (!gone && *fd < 0) {
        char err[200];
        *fd = bind_one(l->addr, port, err, sizeof err);
        if (*fd < 0) snprintf(l->line, sizeof l->line, "--listen: %s", err);
    }
}

static void follow_nodes(listen_ctx *l)
{
    if (!l->world || l->replaying) return;
    const int *zk = cluster_zk_nodes(l->world);
    for (int i = 0; i < l->nl && i < cluster_zk_count(l->world); i++)
        follow_port(l, &l->lfd[i], node_gone(l, zk[i]), l->base_port + i);
    kafka_world *kw = cluster_kafka(l->world);
    for (int i = 0; kw && i < l->nkl && i < kafka_world_count(kw); i++)
        follow_port(l, &l->klfd[i], broker_closed(l, kafka_world_broker(kw, i)),
                    l->kafka_port + i);
}

/* One pass: waits up to wait_ms for sockets, moves bytes. Input is fed at
 * the world's time now, after `at` ran it forward (to the wall clock's
 * instant). True when input was fed. */
static bool pass(listen_ctx *l, int wait_ms, void (*at)(listen_ctx *), bool *moved)
{
    struct pollfd pf[CLUSTER_ZK_MAX + KAFKA_LISTEN_MAX + LISTEN_CONNS_MAX];
    int n = 0;
    follow_nodes(l);            /* poll skips a closed port's fd, -1 */
    for (int i = 0; i < l->nl; i++) pf[n++] = (struct pollfd){ .fd = l->lfd[i], .events = POLLIN };
    for (int i = 0; i < l->nkl; i++) pf[n++] = (struct pollfd){ .fd = l->klfd[i], .events = POLLIN };
    int nlisten = n;
    for (int i = 0; i < l->ns; i++) {
        const uint8_t *p;
        short ev = 0;
        if (l->s[i].nhold == 0) ev |= POLLIN;
        if (hub_output(l, l->s[i].id, &p) > 0) ev |= POLLOUT;
        pf[n++] = (struct pollfd){ .fd = l->s[i].fd, .events = ev };
    }
    int r = poll(pf, (nfds_t)n, wait_ms);
    bool fed = false;
    if (at) at(l);
    if (r > 0) {
        int ns = l->ns;                     /* accepted ones wait for the next pass */
        for (int i = ns - 1; i >= 0; i--) fed = serve(l, i, pf[nlisten + i].revents) || fed;
        for (int i = 0; i < l->nl; i++)
            if (l->lfd[i] >= 0 && (pf[i].revents & POLLIN)) accept_on(l, l->lfd[i], i + 1);
        for (int i = 0; i < l->nkl; i++)
            if (l->klfd[i] >= 0 && (pf[l->nl + i].revents & POLLIN))
                accept_on(l, l->klfd[i], -(i + 1));
    } else {
        for (int i = l->ns - 1; i >= 0; i--) fed = feed(l, &l->s[i]) || fed;
    }
    flush_all(l);
    if (moved) *moved = fed;
    return fed;
}

/* ------------------------------------------------------------ headless */

static uint64_t wall_target(const listen_ctx *l)
{
    return l->sim_base_us + (wall_us() - l->wall_base_us);
}

/* Moves the world's clock to the wall clock's instant before input is
 * fed, never to the next event or the instant pace was asked to reach:
 * events run only in lab_advance, which checks the script's conditions
 * after each, and bytes fed strictly before until_us belong to this stretch
 * of time without doubt (--replay must apply them in the same one). */
static void catch_up(listen_ctx *l)
{
    sim *s = cluster_sim(l->world);
    uint64_t t = wall_target(l), next;
    if (t >= l->pace_until_us) t = l->pace_until_us - 1;
    if (sim_next_time(s, &next) && next <= t) return;
    if (t > sim_now_us(s)) sim_run_until(s, t);
}

/* --- replay: the records applied at their instants, no socket --- */

/* The dashboard session ended here: the same state, or a divergence. */
static bool replay_end(listen_ctx *l, const rec *r, char *err, size_t cap)
{
    char now[sizeof r->text];
    rec_digest(l->world, now, sizeof now);
    if (strcmp(now, r->text) != 0) {
        snprintf(err, cap, "--replay: at %.3f s the state differs from the recorded "
                 "session's end: %s, recorded %s", (double)r->at_us / 1e6, now, r->text);
        return false;
    }
    printf("--replay: at %.3f s, where the recorded session ended, the state is the "
           "same: %s\n", (double)r->at_us / 1e6, now);
    fflush(stdout);
    return true;
}

static bool apply(listen_ctx *l, const rec *r, char *err, size_t cap)
{
    char why[128];
    int id;
    switch (r->kind) {
    case REC_ACCEPT:
        id = hub_accept(l, r->sid, r->text, why, sizeof why);
        if (id < 0) refuse_line(l, r->text, why);
        if (id != r->id) {
            snprintf(err, cap, "--replay: the run went another way (connection %d where the "
                     "trace has %d): same script and seed?", id, r->id);
            return false;
        }
        break;
    case REC_INPUT: hub_input(l, r->id, r->bytes, r->n); break;
    case REC_WROTE: hub_wrote(l, r->id, r->n); break;
    case REC_CLOSED: hub_closed(l, r->id, r->text); break;
    case REC_RELEASE: hub_release(l, r->id); break;
    case REC_FAULT: return rec_fault_apply(l->world, r->text, err, cap);
    case REC_END: return replay_end(l, r, err, cap);
    }
    return true;
}

/* Applies the records of the next instant if they come before any event
 * (a live run feeds bytes only before the next event): 1 when it did, 0
 * when the world runs first, -1 on a divergence. */
static int replay_pace(listen_ctx *l, cluster *w, uint64_t until_us, char *err, size_t cap)
{
    ensure_hub(l, w);
    sim *s = cluster_sim(w);
    rec_list *rl = &l->replay;
    if (rl->next >= rl->n || rl->v[rl->next].at_us >= until_us) return 0;
    uint64_t at = rl->v[rl->next].at_us, ev;
    if (sim_next_time(s, &ev) && ev <= at) return 0;
    if (at > sim_now_us(s)) sim_run_until(s, at);
    while (rl->next < rl->n && rl->v[rl->next].at_us == at)
        if (!apply(l, &rl->v[rl->next++], err, cap)) return -1;
    return 1;
}

bool listen_replay(listen_ctx *l, const char *path, char *err, size_t cap)
{
    if (!rec_load(path, &l->replay, err, cap)) return false;
    l->replaying = true;
    return true;
}

int listen_replay_left(const listen_ctx *l)
{
    return l->replaying ? l->replay.n - l->replay.next : 0;
}

static bool lab_listen(void *u, cluster *w, const char *addr, int port, int kafka_port,
                       char *err, size_t cap)
{
    listen_ctx *l = u;
    if (addr) snprintf(l->addr, sizeof l->addr, "%s", addr);
    l->base_port = port;
    l->zk_port_given = false;           /* the script's ports, not the command line's */
    l->kafka_port = kafka_port;
    if (l->replaying) {                 /* the clients come from the trace */
        l->on = true;
        ensure_hub(l, w);
        return true;
    }
    if (!start(l, w, err, cap)) return false;
    ensure_hub(l, w);
    printf("%s\n", l->line);
    fflush(stdout);
    return true;
}

static int lab_pace(void *u, cluster *w, uint64_t until_us, char *err, size_t cap)
{
    listen_ctx *l = u;
    if (l->replaying) return replay_pace(l, w, until_us, err, cap);
    if (!l->on && l->want) {
        if (!start(l, w, err, cap)) return -1;
        printf("%s\n", l->line);
        fflush(stdout);
    }
    if (!l->on) return 0;
    ensure_hub(l, w);
    l->touched = false;
    flush_all(l);
    if (l->touched) return 1;       /* the run loop looks again first */
    l->pace_until_us = until_us;
    for (;;) {
        uint64_t t = wall_target(l);
        if (t + 1000 < sim_now_us(cluster_sim(w))) {      /* a script ran ahead */
            l->wall_base_us = wall_us();
            l->sim_base_us = sim_now_us(cluster_sim(w));
            t = l->sim_base_us;
        }
        if (t >= until_us) return 0;
        uint64_t ms = (until_us - t) / 1000 + 1;
        if (ms > 50) ms = 50;
        pass(l, (int)ms, catch_up, NULL);
        if (l->touched) return 1;
    }
}

static void lab_drop(void *u, cluster *w)
{
    listen_ctx *l = u;
    if (l->world != w) return;
    if (l->dash && l->on) {             /* the session's end, for --replay */
        rec r = { .kind = REC_END, .id = -1 };
        rec_digest(w, r.text, sizeof r.text);
        record(l, r);
        cluster_on_fault(w, NULL, NULL);
    }
    drop_all(l);
}

lab_live listen_lab_hooks(listen_ctx *l, bool headless)
{
    return (lab_live){ .listen = lab_listen, .pace = headless ? lab_pace : NULL,
                       .drop = lab_drop, .u = l };
}

/* ------------------------------------------------------------ dashboard */

/* A fault the learner made on the dashboard, recorded for --replay. */
static void on_fault(void *u, const char *line)
{
    rec r = { .kind = REC_FAULT, .id = -1 };
    snprintf(r.text, sizeof r.text, "%s", line);
    record(u, r);
}

static const char *viz_poll(void *u, cluster *w)
{
    listen_ctx *l = u;
    l->line[0] = 0;
    if (!w) return NULL;
    if (!l->on && l->want) {
        char err[200];
        if (!start(l, w, err, sizeof err)) {
            l->want = false;
            snprintf(l->line, sizeof l->line, "--listen: %s", err);
            return l->line;
        }
    }
    if (!l->on) return NULL;
    ensure_hub(l, w);
    l->dash = true;
    cluster_on_fault(w, on_fault, l);   /* this world's, each pass */
    pass(l, 0, NULL, NULL);
    return l->line[0] ? l->line : NULL;
}

static int viz_clients(void *u)
{
    listen_ctx *l = u;
    return (l->hub ? real_zk_count(l->hub) : 0) + (l->khub ? real_kafka_count(l->khub) : 0);
}

static bool viz_listening(void *u) { return ((listen_ctx *)u)->on; }

static bool viz_client(void *u, int i, char *name, size_t namecap, char *server,
                       size_t servercap, char *line, size_t linecap)
{
    listen_ctx *l = u;
    if (!l->hub) return false;
    int k = 0;
    for (int id = 0; id < real_zk_slots(l->hub); id++) {
        real_zk_info in;
        if (!real_zk_info_get(l->hub, id, &in) || k++ < i) continue;
        snprintf(name, namecap, "%s", sim_node_name(cluster_sim(l->world), in.node));
        snprintf(server, servercap, "zk%d", in.sid);
        if (in.session)
            snprintf(line, linecap, "real %s 0x%llx %s", in.peer,
                     (unsigned long long)in.session, in.last[0] ? in.last : "");
        else
            snprintf(line, linecap, "real %s (no session yet)", in.peer);
        return true;
    }
    for (int id = 0; l->khub && id < real_kafka_slots(l->khub); id++) {
        real_kafka_info in;
        if (!real_kafka_info_get(l->khub, id, &in) || k++ < i) continue;
        snprintf(name, namecap, "%s", sim_node_name(cluster_sim(l->world), in.node));
        snprintf(server, servercap, "%d", in.broker);
        snprintf(line, linecap, "real %s %s %s", in.peer, in.client, in.last);
        return true;
    }
    return false;
}

viz_live listen_viz_hooks(listen_ctx *l)
{
    return (viz_live){ .poll = viz_poll, .clients = viz_clients,
                       .listening = viz_listening, .client = viz_client, .u = l };
}
