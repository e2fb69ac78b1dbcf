/* What the message view shows of Kafka's requests (kafka_proto.c's detail
 * reader, through the trace's send events of a running cluster): Produce
 * names its partition, record count and acks (ProduceRequest), Fetch its
 * partition and fetch offset (FetchRequest), LeaderAndIsr and
 * UpdateMetadata a partition's leader, leader epoch and ISR
 * (LeaderAndIsrRequest, UpdateMetadataRequest), AlterIsr the ISR the
 * leader asks for (AlterIsrRequest, KIP-497) and StopReplica the partitions
 * and whether their logs go (StopReplicaRequest's deletePartitions); the
 * brokers' answers to the controller by their own names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kafka_testlib.h"

static kt_world w;
static char last[KMSG_END - KMSG_METADATA][160];   /* newest text per type */
static int seen[KMSG_END - KMSG_METADATA];          /* sends with a text */
static int sent[KMSG_END - KMSG_METADATA];          /* every send */
static int arrived[KMSG_END - KMSG_METADATA];       /* every delivery */

static void listen(void *ctx, const trace_event *ev)
{
    (void)ctx;
    if (ev->msg_type < KMSG_METADATA || ev->msg_type >= KMSG_END) return;
    if (ev->kind == TR_DELIVER) arrived[ev->msg_type - KMSG_METADATA]++;
    if (ev->kind != TR_SEND) return;
    sent[ev->msg_type - KMSG_METADATA]++;
    if (!ev->text[0]) return;
    int i = (int)(ev->msg_type - KMSG_METADATA);
    snprintf(last[i], sizeof last[i], "%s", ev->text);
    seen[i]++;
}

static const char *words(uint32_t type) { return last[type - KMSG_METADATA]; }

static int setup(void **state)
{
    (void)state;
    memset(last, 0, sizeof last);
    memset(seen, 0, sizeof seen);
    memset(sent, 0, sizeof sent);
    memset(arrived, 0, sizeof arrived);
    kt_init(&w, 3, 7);
    assert_true(trace_listen(sim_trace(w.s), listen, NULL));
    assert_int_equal(kt_create(&w, "t", 2, 3, 0, -1), KERR_NONE);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kt_free(&w);
    return 0;
}

/* "t-0 leader 10x epoch 0 isr a,b,c" for the state ZooKeeper holds. */
static void state_words(const char *topic, int p, char *out, size_t cap)
{
    kafka_pstate st = kt_state(&w, topic, p);
    int n = snprintf(out, cap, "%s-%d leader %d epoch %d isr ", topic, p, st.leader,
                     st.leader_epoch);
    for (int i = 0; i < st.nisr; i++)
        n += snprintf(out + n, cap - (size_t)n, "%s%d", i ? "," : "", st.isr[i]);
}

static void test_kafka_msg_words_controller_requests(void **state)
{
    (void)state;
    char want[96];
    /* the newest LeaderAndIsr carried one of t's partitions as it stands */
    const char *lai = words(KMSG_LEADER_AND_ISR);
    int p = strncmp(lai, "t-1 ", 4) == 0 ? 1 : 0;
    state_words("t", p, want, sizeof want);
    assert_non_null(strstr(lai, want));
    const char *um = words(KMSG_UPDATE_METADATA);
    assert_true(strncmp(um, "t-", 2) == 0);
    assert_non_null(strstr(um, " leader 10"));
}

static int count(const int *v, uint32_t type) { return v[type - KMSG_METADATA]; }

/* Each controller request is answered in kind (KafkaApis: LeaderAndIsr-,
 * UpdateMetadata-, StopReplicaResponse), one answer per request that
 * arrived, and the view names them so; the first keeps the number the
 * one "ControllerAck" had, so older traces still compare. */
static void test_kafka_msg_words_controller_responses(void **state)
{
    (void)state;
    assert_int_equal(KMSG_LEADER_AND_ISR_RESP, 0x30b);
    assert_string_equal(sim_msg_name(w.s, KMSG_LEADER_AND_ISR_RESP), "LeaderAndIsrResp");
    assert_string_equal(sim_msg_name(w.s, KMSG_UPDATE_METADATA_RESP), "UpdateMetadataResp");
    assert_string_equal(sim_msg_name(w.s, KMSG_STOP_REPLICA_RESP), "StopReplicaResp");
    assert_int_equal(kafka_ctrl_resp_of(KMSG_LEADER_AND_ISR), KMSG_LEADER_AND_ISR_RESP);
    assert_int_equal(kafka_ctrl_resp_of(KMSG_UPDATE_METADATA), KMSG_UPDATE_METADATA_RESP);
    assert_int_equal(kafka_ctrl_resp_of(KMSG_STOP_REPLICA), KMSG_STOP_REPLICA_RESP);
    assert_int_equal(kafka_ctrl_resp_of(KMSG_ALTER_ISR), 0);
    for (uint32_t k = KMSG_METADATA; k < KMSG_END; k++)
        assert_int_equal(kafka_is_ctrl_resp(k), k == KMSG_LEADER_AND_ISR_RESP ||
                         k == KMSG_UPDATE_METADATA_RESP || k == KMSG_STOP_REPLICA_RESP);
    /* the topic's creation: LeaderAndIsr and UpdateMetadata, each answered */
    kt_run_ms(&w, 2000);
    assert_true(count(arrived, KMSG_LEADER_AND_ISR) > 0);
    assert_true(count(arrived, KMSG_UPDATE_METADATA) > 0);
    assert_int_equal(count(sent, KMSG_LEADER_AND_ISR_RESP), count(arrived, KMSG_LEADER_AND_ISR));
    assert_int_equal(count(sent, KMSG_UPDATE_METADATA_RESP), count(arrived, KMSG_UPDATE_METADATA));
    assert_int_equal(count(sent, KMSG_STOP_REPLICA_RESP), 0);
    /* its deletion: StopReplica to each replica, each answered */
    kafka_client *a = kafka_world_admin(w.kw);
    assert_true(kafka_client_admin(a, 2, "t", 0, 0, 0, -1));
    assert_true(kt_wait_idle(&w, a, 30000));
    kt_run_ms(&w, 5000);
    assert_true(count(arrived, KMSG_STOP_REPLICA) >= 3);
    assert_int_equal(count(sent, KMSG_STOP_REPLICA_RESP), count(arrived, KMSG_STOP_REPLICA));
    assert_int_equal(count(arrived, KMSG_STOP_REPLICA_RESP), count(sent, KMSG_STOP_REPLICA_RESP));
}

static void test_kafka_msg_words_produce_and_fetch(void **state)
{
    (void)state;
    kafka_client *c = kt_producer(&w, "p1", -1);
    assert_true(kafka_client_send(c, "t", 0, NULL, NULL, 5));
    assert_true(kt_wait_idle(&w, c, 30000));
    assert_string_equal(words(KMSG_PRODUCE), "t-0 5 recs acks=all");
    kafka_client *one = kt_producer(&w, "p2", 1);
    assert_true(kafka_client_send(one, "t", 1, NULL, NULL, 1));
    assert_true(kt_wait_idle(&w, one, 30000));
    assert_string_equal(words(KMSG_PRODUCE), "t-1 1 rec acks=1");
    /* followers fetch both partitions from their leaders: one request
     * names the first and counts the others */
    const char *f = words(KMSG_FETCH);
    long long off;
    char rest[32] = "";
    assert_int_equal(sscanf(f, "t-%*d from %lld%31[^\n]", &off, rest) >= 1, 1);
    assert_true(off >= 0 && off <= 5);
    assert_true(rest[0] == '\0' || strcmp(rest, " +1") == 0);
}

/* A Fetch's words are written without snprintf (two million of them in
 * the 300-broker scale run): the same bytes as "%s-%u from %lld%s" with
 * " +%u" for the others, cut where the trace's 64 bytes cut it. */
static void test_kafka_msg_words_fetch_as_snprintf(void **state)
{
    (void)state;
    static const struct { const char *topic; uint32_t p; int64_t off; uint32_t n; } cases[] = {
        { "t", 0, 0, 1 }, { "orders", 4294967295u, 9223372036854775807ll, 2 },
        { "x", 7, -9223372036854775807ll - 1, 4294967295u }, { "y", 12, -1, 1 },
        { "a-topic-name-of-forty-seven-bytes-exactly-12345", 99999, 123456789012ll, 300 },
    };
    int from = kafka_broker_node(kafka_world_broker(w.kw, 0));
    int to = kafka_broker_node(kafka_world_broker(w.kw, 1));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wbuf b;
        wbuf_init(&b);
        w_u64(&b, 1);
        w_u32(&b, 1);
        w_u32(&b, 0);
        w_u32(&b, cases[i].n);
        w_str(&b, cases[i].topic);
        w_u32(&b, cases[i].p);
        w_u32(&b, 0);
        w_i64(&b, cases[i].off);
        w_u32(&b, 1000);
        int before = seen[KMSG_FETCH - KMSG_METADATA];
        sim_send(w.s, from, to, KMSG_FETCH, b.data, b.len);
        wbuf_free(&b);
        assert_int_equal(seen[KMSG_FETCH - KMSG_METADATA], before + 1);
        char m[16] = "", want[64];
        if (cases[i].n > 1) snprintf(m, sizeof m, " +%u", cases[i].n - 1);
        snprintf(want, sizeof want, "%s-%u from %lld%s", cases[i].topic, cases[i].p,
                 (long long)cases[i].off, m);
        assert_string_equal(words(KMSG_FETCH), want);
    }
}

static void test_kafka_msg_words_alter_isr_and_stop_replica(void **state)
{
    (void)state;
    kafka_pstate st = kt_state(&w, "t", 0);
    int leader = st.leader, gone = st.isr[0] == leader ? st.isr[1] : st.isr[0];
    /* a follower cut off from the leader alone falls out of the ISR after
     * replica.lag.time.max.ms: the leader asks the controller (AlterIsr) */
    kt_cut(&w, leader, gone);
    kafka_client *c = kt_producer(&w, "p1", 1);
    assert_true(kafka_client_send(c, "t", 0, NULL, NULL, 3));
    assert_true(kt_wait_idle(&w, c, 30000));
    kt_run_ms(&w, 45000);
    st = kt_state(&w, "t", 0);
    assert_int_equal(st.nisr, 2);
    char want[64];
    snprintf(want, sizeof want, "t-0 isr %d,%d epoch %d", st.isr[0], st.isr[1], st.leader_epoch);
    assert_string_equal(words(KMSG_ALTER_ISR), want);
    /* deleting t stops every replica of both partitions, logs deleted */
    kafka_client *a = kafka_world_admin(w.kw);
    assert_true(kafka_client_admin(a, 2, "t", 0, 0, 0, -1));
    assert_true(kt_wait_idle(&w, a, 30000));
    kt_run_ms(&w, 5000);
    const char *stop = words(KMSG_STOP_REPLICA);
    assert_true(strcmp(stop, "t-0 +1 delete") == 0 || strcmp(stop, "t-1 +1 delete") == 0 ||
                strcmp(stop, "t-0 delete") == 0 || strcmp(stop, "t-1 delete") == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kafka_msg_words_controller_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_msg_words_controller_responses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_msg_words_produce_and_fetch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_msg_words_alter_isr_and_stop_replica, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_msg_words_fetch_as_snprintf, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
