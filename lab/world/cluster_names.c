/* cluster_names: what a learner types to name a node, for the Lua API and
 * the dashboard alike. A node is named as the dashboard shows it: servers
 * "zk1".."zkN" (KRaft controllers "ctl1".."ctlN"), brokers by id ("101"),
 * clients "c1", "p1". A bare number is a broker id, never a server's
 * number: broker ids may be any positive number (broker_ids = { 1, 2, 3
 * }), so "3" for zk3 could not be told apart from broker 3. */
#include "cluster.h"
#include "kafka_world.h"

#include <stdio.h>
#include <string.h>

/* "101..104" when the ids run up by one, else "1, 5, 9" (cut with "..."
 * when long). */
static void broker_ids(cluster *c, char *buf, size_t cap)
{
    kafka_world *kw = cluster_kafka(c);
    int n = kafka_world_count(kw);
    bool run = true;
    for (int i = 1; i < n; i++)
        run = run && kafka_broker_id(kafka_world_broker(kw, i)) ==
                     kafka_broker_id(kafka_world_broker(kw, i - 1)) + 1;
    if (n > 1 && run) {
        snprintf(buf, cap, "%d..%d", kafka_broker_id(kafka_world_broker(kw, 0)),
                 kafka_broker_id(kafka_world_broker(kw, n - 1)));
        return;
    }
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < cap; i++) {
        int w = snprintf(buf + len, cap - len, "%s%d", i ? ", " : "",
                         kafka_broker_id(kafka_world_broker(kw, i)));
        if (w < 0 || (size_t)w >= cap - len) {
            /* no room for the rest: end the list with an ellipsis */
            snprintf(buf + (cap > 4 ? cap - 4 : 0), cap > 4 ? 4 : cap, "...");
            return;
        }
        len += (size_t)w;
    }
}

static const cluster_words english = {
    CLUSTER_WORDS_UNKNOWN, CLUSTER_WORDS_SERVERS, CLUSTER_WORDS_BROKERS
};

void cluster_names(cluster *c, const cluster_words *w, char *buf, size_t cap)
{
    char zk[16], ids[96];
    int nzk = cluster_zk_count(c);
    if (!w) w = &english;
    raft_quorum *q = cluster_quorum(c);
    if (q) {                    /* KRaft mode: the controllers stand there */
        int n = raft_quorum_size(q);
        if (n == 1) snprintf(zk, sizeof zk, RAFT_QUORUM_NAME "1");
        else snprintf(zk, sizeof zk, RAFT_QUORUM_NAME "1.." RAFT_QUORUM_NAME "%d", n);
    } else if (nzk == 1) snprintf(zk, sizeof zk, "zk1");
    else snprintf(zk, sizeof zk, "zk1..zk%d", nzk);
    if (kafka_world_count(cluster_kafka(c)) == 0) {
        snprintf(buf, cap, w->servers, zk);
        return;
    }
    broker_ids(c, ids, sizeof ids);
    snprintf(buf, cap, w->brokers, zk, ids);
}

int cluster_resolve(cluster *c, const char *name, const cluster_words *w,
                    char *err, size_t cap)
{
    int node = cluster_find_node(c, name);
    if (node >= 0) return node;
    char have[160];
    if (!w) w = &english;
    cluster_names(c, w, have, sizeof have);
    snprintf(err, cap, w->unknown, name, have);
    return -1;
}
