/* ops: clean stops, admin and producer work, the sandbox feed. */
#include "ops.h"
#include "kafka_world.h"
#include "util.h"
#include "words.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct viz_ops {
    /* admin: a :topic (or the sandbox's topic) in flight */
    bool admin_busy;
    bool admin_own;             /* the sandbox's topic: retried, not reported */
    char admin_topic[48];
    bool admin_delete;          /* the request in flight deletes the topic */
    int admin_part;             /* a :reassign's partition, -1: a :topic */
    char admin_reps[64];        /* its target replicas, "104,102,103" */
    /* :produce through client "p2" (created on first use), or with a
     * bootstrap list through a new producer each time (p3, p4...) */
    int prod_p2;                /* p2's node, -1 none yet */
    int prod_node;              /* the producer the status line follows */
    char prod_name[16];
    bool prod_busy;
    char prod_topic[48];
    long prod_acked0, prod_failed0;
    /* the sandbox feed */
    bool feed;
    char feed_topic[48];
    int feed_parts, feed_rf, feed_per_tick;
    bool feed_created;
    int feed_node;              /* producer p1, -1 before it exists */
    /* the last message for the status line */
    char msg[320];
    viz_role role;
    bool has_msg;
    const char *lang;           /* of the messages; NULL: English */
};

viz_ops *viz_ops_new(void)
{
    viz_ops *o = xcalloc(1, sizeof *o);
    viz_ops_reset(o);
    return o;
}

void viz_ops_free(viz_ops *o) { free(o); }

void viz_ops_reset(viz_ops *o)
{
    o->admin_busy = false;
    o->prod_node = -1;
    o->prod_p2 = -1;
    o->prod_busy = false;
    o->feed_created = false;
    o->feed_node = -1;
}

void viz_ops_set_lang(viz_ops *o, const char *lang) { o->lang = lang; }

void viz_ops_sandbox(viz_ops *o, const char *topic, int parts, int rf,
                     int per_tick)
{
    o->feed = true;
    snprintf(o->feed_topic, sizeof o->feed_topic, "%s", topic);
    o->feed_parts = parts;
    o->feed_rf = rf;
    o->feed_per_tick = per_tick;
}

static void say(viz_ops *o, viz_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(viz_ops *o, viz_role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->msg, sizeof o->msg, viz_tr(o->lang, fmt), ap);
    va_end(ap);
    o->role = role;
    o->has_msg = true;
}

bool viz_ops_poll(viz_ops *o, char *msg, size_t cap, viz_role *role)
{
    if (!o->has_msg) return false;
    snprintf(msg, cap, "%s", o->msg);
    *role = o->role;
    o->has_msg = false;
    return true;
}

static int *broker_nodes(kafka_world *kw, int *n)
{
    *n = kafka_world_count(kw);
    int *boot = xcalloc((size_t)*n + 1, sizeof *boot);
    for (int i = 0; i < *n; i++) boot[i] = kafka_broker_node(kafka_world_broker(kw, i));
    return boot;
}

/* A producer named name with the brokers ids[0..nids) in its bootstrap
 * list (ids NULL: every broker); -1 when the world has no room. */
static int new_producer(cluster *c, kafka_world *kw, const char *name,
                        const int *ids, int nids)
{
    int n;
    int *boot = broker_nodes(kw, &n);
    if (ids) {
        n = 0;
        for (int i = 0; i < nids; i++)
            boot[n++] = kafka_broker_node(kafka_world_by_id(kw, ids[i]));
    }
    kafka_client_config cfg;
    kafka_client_config_defaults(&cfg);
    kafka_client *p = kafka_client_new(cluster_sim(c), name, boot, n, &cfg,
                                       kafka_world_hooks(kw));
    free(boot);
    return p ? kafka_client_node(p) : -1;
}

/* The world tells how a stop ended (from inside the run, so only the
 * status line's message is set here). */
static void stop_over(void *ctx, cluster *c, int node, bool clean)
{
    viz_ops *o = ctx;
    say(o, clean ? VR_GOOD : VR_BAD, clean
        ? "%s stopped cleanly"
        : "%s did not finish its clean stop in time: killed", sim_node_name(cluster_sim(c), node));
}

static bool stop_broker(viz_ops *o, cluster *c, int node, char *msg, size_t cap)
{
    const char *name = sim_node_name(cluster_sim(c), node);
    if (cluster_stopping(c, node)) {
        snprintf(msg, cap, viz_tr(o->lang, "%s is already stopping"), name);
        return false;
    }
    /* the same stop as lab.stop: controlled shutdown, then the process
     * ends once the broker says it may */
    char err[96];
    if (!cluster_stop(c, node, stop_over, o, err, sizeof err)) {
        snprintf(msg, cap, "%s", err);
        return false;
    }
    snprintf(msg, cap, viz_tr(o->lang, "stopping %s cleanly: its leadership moves away first"), name);
    return true;
}

static bool start_topic(viz_ops *o, cluster *c, const char *topic, int parts,
                        int rf, bool own, char *msg, size_t cap)
{
    kafka_client *a = kafka_world_admin(cluster_kafka(c));
    if (o->admin_busy || kafka_client_busy(a)) {
        snprintf(msg, cap, "%s", viz_tr(o->lang, "the admin client is busy: try again in a moment"));
        return false;
    }
    kafka_client_admin(a, 1, topic, parts, rf, 0, -1);
    o->admin_busy = true;
    o->admin_delete = false;
    o->admin_own = own;
    o->admin_part = -1;
    snprintf(o->admin_topic, sizeof o->admin_topic, "%.47s", topic);
    snprintf(msg, cap, viz_tr(o->lang, "creating topic %s: %d partitions, RF %d"), topic, parts, rf);
    return true;
}

/* :delete-topic: the admin client's DeleteTopics, which writes
 * /admin/delete_topics/<name>; the controller's watch does the rest. */
static bool delete_topic(viz_ops *o, cluster *c, const char *topic, char *msg, size_t cap)
{
    kafka_client *a = kafka_world_admin(cluster_kafka(c));
    if (o->admin_busy || kafka_client_busy(a)) {
        snprintf(msg, cap, "%s", viz_tr(o->lang, "the admin client is busy: try again in a moment"));
        return false;
    }
    kafka_client_admin(a, 2, topic, 0, 0, 0, -1);
    o->admin_busy = true;
    o->admin_own = false;
    o->admin_delete = true;
    o->admin_part = -1;
    snprintf(o->admin_topic, sizeof o->admin_topic, "%.47s", topic);
    snprintf(msg, cap, viz_tr(o->lang, "deleting topic %s"), topic);
    return true;
}

/* :produce TOPIC COUNT [ID,...]: through p2, whose bootstrap list is
 * every broker, or, with ids, through a new producer whose list is them
 * (a client started with that bootstrap.servers). */
static bool produce(viz_ops *o, cluster *c, const viz_cmd *cmd, char *msg, size_t cap)
{
    kafka_world *kw = cluster_kafka(c);
    sim *s = cluster_sim(c);
    const char *topic = cmd->text;
    long n = cmd->n1;
    if (o->prod_busy) {
        snprintf(msg, cap, viz_tr(o->lang, "%s is still sending its last batch"), o->prod_name);
        return false;
    }
    int ids[VIZ_CMD_NAMES];
    char boot[120] = "";
    for (int i = 0; i < cmd->nnames; i++) {
        ids[i] = atoi(cmd->names[i]);
        if (!kafka_world_by_id(kw, ids[i])) {
            snprintf(msg, cap, viz_tr(o->lang, "no broker %s"), cmd->names[i]);
            return false;
        }
        size_t l = strlen(boot);
        snprintf(boot + l, sizeof boot - l, "%s%d", i ? "," : "", ids[i]);
    }
    if (cmd->nnames) {
        char name[16];
        for (int k = 3; k < 1000; k++) {    /* the first free name from p3 */
            snprintf(name, sizeof name, "p%d", k);
            if (sim_find_node(s, name) < 0) break;
        }
        o->prod_node = new_producer(c, kw, name, ids, cmd->nnames);
        snprintf(o->prod_name, sizeof o->prod_name, "%s", name);
    } else {
        if (o->prod_p2 < 0) o->prod_p2 = new_producer(c, kw, "p2", NULL, 0);
        o->prod_node = o->prod_p2;
        snprintf(o->prod_name, sizeof o->prod_name, "p2");
    }
    kafka_client *p = o->prod_node >= 0 ? kafka_client_at(s, o->prod_node) : NULL;
    if (!p) {
        snprintf(msg, cap, "%s", viz_tr(o->lang, "the world has no room for another client"));
        return false;
    }
    if (kafka_client_busy(p)) {
        snprintf(msg, cap, viz_tr(o->lang, "%s is still sending its last batch"), o->prod_name);
        return false;
    }
    kafka_client_view cv;
    kafka_client_view_get(p, &cv);
    o->prod_acked0 = cv.acked;
    o->prod_failed0 = cv.failed;
    kafka_client_send(p, topic, -1, NULL, NULL, (int)n);
    o->prod_busy = true;
    snprintf(o->prod_topic, sizeof o->prod_topic, "%.47s", topic);
    /* p2 is one producer, made on the first :produce and reused, apart
     * from the sandbox's p1: the line says so, and its acks; one with a
     * bootstrap list is new each time */
    if (cmd->nnames)
        snprintf(msg, cap, viz_tr(o->lang, "%s sends %ld records to %s (bootstrap %s, acks=%s)"),
                 o->prod_name, n, topic, boot, cv.acks < 0 ? "all" : cv.acks ? "1" : "0");
    else
        snprintf(msg, cap, viz_tr(o->lang, "p2 sends %ld records to %s (p2: :produce's own producer, acks=%s)"),
                 n, topic, cv.acks < 0 ? "all" : cv.acks ? "1" : "0");
    return true;
}

/* :reassign: AlterPartitionReassignments through the admin client, as
 * kafka-reassign-partitions --execute; the grid shows the move. */
static bool start_reassign(viz_ops *o, cluster *c, const viz_cmd *cmd, char *msg,
                           size_t cap)
{
    kafka_client *a = kafka_world_admin(cluster_kafka(c));
    if (o->admin_busy || kafka_client_busy(a)) {
        snprintf(msg, cap, "%s", viz_tr(o->lang, "the admin client is busy: try again in a moment"));
        return false;
    }
    int ids[KAFKA_RF_MAX], n = 0;
    o->admin_reps[0] = 0;
    for (int i = 0; i < cmd->nnames && n < KAFKA_RF_MAX; i++) {
        ids[n++] = atoi(cmd->names[i]);
        size_t l = strlen(o->admin_reps);
        snprintf(o->admin_reps + l, sizeof o->admin_reps - l, "%s%s", i ? "," : "", cmd->names[i]);
    }
    if (cmd->nnames > KAFKA_RF_MAX || !kafka_client_reassign(a, cmd->text, (int)cmd->n1, ids, n)) {
        snprintf(msg, cap, viz_tr(o->lang, "at most %d replicas"), KAFKA_RF_MAX);
        return false;
    }
    o->admin_busy = true;
    o->admin_own = false;
    o->admin_delete = false;
    o->admin_part = (int)cmd->n1;
    snprintf(o->admin_topic, sizeof o->admin_topic, "%.47s", cmd->text);
    snprintf(msg, cap, viz_tr(o->lang, "reassigning %s-%d to %s"), o->admin_topic,
             o->admin_part, o->admin_reps);
    return true;
}

bool viz_ops_act(viz_ops *o, cluster *c, const viz_cmd *cmd, char *msg,
                 size_t cap)
{
    kafka_world *kw = cluster_kafka(c);
    switch (cmd->kind) {
    case VC_STOP: {
        int node = cmd->nnames ? cluster_find_node(c, cmd->names[0]) : -1;
        if (node >= 0 && kw && kafka_world_by_node(kw, node)) {
            if (sim_node_status(cluster_sim(c), node) == NODE_DOWN) {
                snprintf(msg, cap, viz_tr(o->lang, "%s is already down"), cmd->names[0]);
                return false;
            }
            return stop_broker(o, c, node, msg, cap);
        }
        break;      /* a server: viz_act stops it */
    }
    case VC_TOPIC:
    case VC_PRODUCE:
    case VC_DELETE_TOPIC:
    case VC_REASSIGN:
        if (!kw) {
            snprintf(msg, cap, "%s", viz_tr(o->lang, "this world has no brokers"));
            return false;
        }
        if (cmd->kind == VC_DELETE_TOPIC) return delete_topic(o, c, cmd->text, msg, cap);
        if (cmd->kind == VC_REASSIGN) return start_reassign(o, c, cmd, msg, cap);
        if (cmd->kind == VC_TOPIC)
            return start_topic(o, c, cmd->text, (int)cmd->n1, (int)cmd->n2, false,
                               msg, cap);
        return produce(o, c, cmd, msg, cap);
    default:
        break;
    }
    return viz_act_lang(c, cmd, o->lang, msg, cap);
}

static bool all_registered(kafka_world *kw)
{
    bool kraft = kafka_world_is_kraft(kw);
    if (!kraft && kafka_world_controller(kw) < 0) return false;
    for (int i = 0; i < kafka_world_count(kw); i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(kw, i), &bi);
        /* KRaft: registered and unfenced in the metadata log */
        if (kraft ? !kafka_world_kraft_unfenced(kw, bi.id) : !bi.registered) return false;
    }
    return true;
}

static void poll_admin(viz_ops *o, cluster *c)
{
    kafka_client *a = kafka_world_admin(cluster_kafka(c));
    if (!o->admin_busy || kafka_client_busy(a)) return;
    o->admin_busy = false;
    kerr e = kafka_client_admin_result(a);
    if (o->admin_own) {
        o->feed_created = e == KERR_NONE || e == KERR_TOPIC_ALREADY_EXISTS;
        return;     /* otherwise tried again at a later tick */
    }
    if (o->admin_part >= 0) {
        if (e == KERR_NONE)
            say(o, VR_GOOD, "reassignment of %s-%d to %s started: the new replicas catch up, then the old ones go",
                o->admin_topic, o->admin_part, o->admin_reps);
        else say(o, VR_BAD, "reassignment of %s-%d: %s", o->admin_topic, o->admin_part, kerr_name(e));
        return;
    }
    if (e == KERR_NONE && o->admin_delete)
        say(o, VR_GOOD, "topic %s marked for deletion: the controller deletes its replicas", o->admin_topic);
    else if (e == KERR_NONE) say(o, VR_GOOD, "topic %s created", o->admin_topic);
    else say(o, VR_BAD, "topic %s: %s", o->admin_topic, kerr_name(e));
}

/* The topic is in ZooKeeper (what the brokers' metadata follows). */
static bool topic_exists(cluster *c, const char *topic)
{
    kafka_pstate st;
    int nparts = 0;
    return kafka_world_pstate(cluster_kafka(c), topic, 0, &st, &nparts) && nparts > 0;
}

static void poll_produce(viz_ops *o, cluster *c)
{
    if (!o->prod_busy) return;
    kafka_client *p = kafka_client_at(cluster_sim(c), o->prod_node);
    if (p && kafka_client_busy(p)) return;
    o->prod_busy = false;
    if (!p) return;
    kafka_client_view cv;
    kafka_client_view_get(p, &cv);
    long acked = cv.acked - o->prod_acked0, failed = cv.failed - o->prod_failed0;
    if (failed == 0) {
        say(o, VR_GOOD, "%s to %s: %ld acknowledged, %ld failed", o->prod_name, o->prod_topic,
            acked, failed);
        return;
    }
    /* a failure says why: no such topic fails the send as Kafka 2.8's
     * KafkaProducer.waitOnMetadata does, a TimeoutException after
     * max.block.ms with its words (UNKNOWN_TOPIC_OR_PARTITION is only
     * what each Metadata answer said on the way); else the error the
     * producer's send ended with */
    char why[400];
    kafka_send_result r;
    kafka_client_send_result(p, &r);
    if (!topic_exists(c, o->prod_topic) && r.message && r.message[0])
        snprintf(why, sizeof why, viz_tr(o->lang, "%s: %s (:topic %s 6 3)"),
                 kerr_name(r.first_err ? r.first_err : KERR_TIMEOUT), r.message, o->prod_topic);
    else
        snprintf(why, sizeof why, "%s", kerr_name(cv.last_err ? cv.last_err : KERR_TIMEOUT));
    say(o, VR_BAD, "%s to %s: %ld acknowledged, %ld failed: %s", o->prod_name, o->prod_topic,
        acked, failed, why);
}

static void feed(viz_ops *o, cluster *c)
{
    kafka_world *kw = cluster_kafka(c);
    if (!o->feed || !kw) return;
    if (!o->feed_created) {
        char m[160];
        /* a topic is created once every broker has registered: the
         * controller counts only registered brokers for RF */
        if (!o->admin_busy && all_registered(kw))
            start_topic(o, c, o->feed_topic, o->feed_parts, o->feed_rf, true,
                        m, sizeof m);
        return;
    }
    sim *s = cluster_sim(c);
    if (o->feed_node < 0) o->feed_node = new_producer(c, kw, "p1", NULL, 0);
    kafka_client *p = o->feed_node >= 0 ? kafka_client_at(s, o->feed_node) : NULL;
    if (p && !kafka_client_busy(p))
        kafka_client_send(p, o->feed_topic, -1, NULL, NULL, o->feed_per_tick);
}

void viz_ops_tick(viz_ops *o, cluster *c)
{
    if (!c || !cluster_kafka(c)) return;
    poll_admin(o, c);
    poll_produce(o, c);
    if (sim_now_us(cluster_sim(c)) % VIZ_OPS_TICK_US == 0) feed(o, c);
}

uint64_t viz_ops_next_tick(uint64_t now_us)
{
    return (now_us / VIZ_OPS_TICK_US + 1) * VIZ_OPS_TICK_US;
}

bool viz_ops_run_until(viz_ops *o, cluster *c, uint64_t until_us)
{
    sim *s = cluster_sim(c);
    while (sim_now_us(s) < until_us) {
        uint64_t t = viz_ops_next_tick(sim_now_us(s));
        if (t > until_us) t = until_us;
        if (!sim_run_until(s, t)) return false;
        viz_ops_tick(o, c);
    }
    return true;
}
