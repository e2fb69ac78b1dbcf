/* events_ko: the event log's lines in Korean. The trace texts come from
 * the protocol code in English ("orders-0 leader 101 epoch 2"); each
 * known shape is read back with sscanf and said again in Korean, with the
 * terms Korean learners of Kafka and ZooKeeper know (리더, 팔로워, 에포크,
 * 세션, 워치, 컨트롤러, ISR). A text of unknown shape keeps its English.
 * Lines avoid particles after names and numbers ("zk3: 리더가 됨"), whose
 * form would depend on how the name is read. */
#include "events.h"

#include <stdio.h>
#include <string.h>

typedef struct ko_pair {
    const char *en, *ko;
} ko_pair;

/* why a server went LOOKING (zk_zab.c) */
static const ko_pair looking_why[] = {
    { "follower is ahead of the leader", "팔로워가 리더보다 앞서 있음" },
    { "commit of a txn it never received", "받지 못한 트랜잭션의 커밋이 옴" },
    { "bad snapshot", "잘못된 스냅샷" },
    { "leader proposed an older epoch", "리더가 더 오래된 에포크를 제안함" },
    { "gap in the proposals", "제안(proposal) 순서에 빈틈이 생김" },
    { "leader closed the connection", "리더가 연결을 닫음" },
    { "connection to the leader broken", "리더와의 연결이 끊어짐" },
    { "no quorum of followers within initLimit", "initLimit 안에 쿼럼만큼의 팔로워가 오지 않음" },
    { "Not sufficient followers synced", "동기화된 팔로워가 쿼럼에 못 미침" },
    { "leader silent", "리더의 응답이 끊김" },
    { "connection to the leader reset", "리더와의 연결이 리셋됨" },
};

static const ko_pair zk_states[] = {
    { "CONNECTING", "연결 중" }, { "CONNECTED", "연결됨" },
    { "EXPIRED", "만료됨" }, { "CLOSED", "닫힘" },
};

static const char *lookup(const ko_pair *t, size_t n, const char *en)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].en, en) == 0) return t[i].ko;
    return NULL;
}

/* A server's new role: "LEADING epoch 3", "FOLLOWING zk3 epoch 1",
 * "LOOKING", "LOOKING: why". */
static bool role_ko(const char *n, const char *t, unsigned long long a,
                    char *out, size_t cap)
{
    unsigned e;
    char leader[32];
    if (sscanf(t, "LEADING epoch %u", &e) == 1)
        snprintf(out, cap, "%s: 리더가 됨 (LEADING, 에포크 %u)", n, e);
    else if (sscanf(t, "FOLLOWING %31s epoch %u", leader, &e) == 2)
        snprintf(out, cap, "%s: %s의 팔로워가 됨 (FOLLOWING, 에포크 %u)", n, leader, e);
    else if (strcmp(t, "LOOKING") == 0)
        snprintf(out, cap, "%s: 리더를 찾는 중 (LOOKING, 에포크 %llu)", n, a);
    else if (strncmp(t, "LOOKING: ", 9) == 0) {
        const char *why = lookup(looking_why, sizeof looking_why / sizeof looking_why[0], t + 9);
        snprintf(out, cap, "%s: 리더를 찾는 중 (LOOKING): %s", n, why ? why : t + 9);
    } else if (viz_ev_observer(n, t) == 10)
        snprintf(out, cap, "%s: 이제 Observer (Unattached: 아직 리더 모름)%s", n, t + 10);
    else if (viz_ev_observer(n, t))
        snprintf(out, cap, "%s: 이제 Observer%s (투표하지 않고 메타데이터 로그를 가져옴)", n, t + 8);
    else if (strstr(t, "epoch"))    /* a KRaft role: its text has the epoch */
        snprintf(out, cap, "%s: 이제 %s", n, t);
    else
        snprintf(out, cap, "%s: 이제 %s (에포크 %llu)", n, t[0] ? t : "?", a);
    return true;
}

/* "links among zk1, zk2: drop X delay Y ms", or "...: drop X, delays
 * unchanged" (cluster_link_all) */
static bool links_among_ko(const char *t, char *out, size_t cap)
{
    const char *at = strncmp(t, "links among ", 12) == 0 ? strstr(t, ": drop ") : NULL;
    if (!at) return false;
    int names = (int)(at - t - 12), used = 0;
    char drop[16], delay[32];
    if (sscanf(at, ": drop %15s delay %31s ms%n", drop, delay, &used) == 2 && !at[used])
        snprintf(out, cap, "장애: %.*s 사이의 모든 링크 설정: 손실 %s, 지연 %s ms",
                 names, t + 12, drop, delay);
    else if (sscanf(at, ": drop %15[^,], delays unchanged%n", drop, &used) == 1 && !at[used])
        snprintf(out, cap, "장애: %.*s 사이의 모든 링크 설정: 손실 %s, 지연은 그대로",
                 names, t + 12, drop);
    else
        return false;
    return true;
}

static bool fault_ko(const char *t, char *out, size_t cap)
{
    char x[64], y[64], drop[16], delay[32];
    unsigned long long ms;
    int used = 0;
    if (links_among_ko(t, out, cap))
        return true;
    if (sscanf(t, "crash %63s%n", x, &used) == 1 && !t[used])
        snprintf(out, cap, "장애: %s 크래시(비정상 종료)", x);
    else if (sscanf(t, "restart %63s%n", x, &used) == 1 && !t[used])
        snprintf(out, cap, "복구: %s 재시작", x);
    else if (sscanf(t, "pause %63s for %llu ms%n", x, &ms, &used) == 2 && !t[used])
        snprintf(out, cap, ms ? "장애: %s 일시정지 %llu ms" : "장애: %s 일시정지 (재개할 때까지)",
                 x, ms);
    else if (sscanf(t, "resume %63s%n", x, &used) == 1 && !t[used])
        snprintf(out, cap, "복구: %s 재개", x);
    else if (sscanf(t, "isolate %63s%n", x, &used) == 1 && !t[used])
        snprintf(out, cap, "장애: %s 네트워크에서 격리", x);
    else if (sscanf(t, "add broker %63s%n", x, &used) == 1 && !t[used])
        snprintf(out, cap, "추가: 브로커 %s 시작", x);
    else if (sscanf(t, "add broker %63s rack %63s%n", x, y, &used) == 2 && !t[used])
        snprintf(out, cap, "추가: 브로커 %s 시작 (랙 %s)", x, y);
    else if (strcmp(t, "heal every link") == 0)
        snprintf(out, cap, "복구: 모든 링크 복구");
    else if (strncmp(t, "split ", 6) == 0)
        snprintf(out, cap, "장애: 네트워크 분할 %s", t + 6);
    else if (strncmp(t, "cut ", 4) == 0)
        snprintf(out, cap, "장애: 링크 끊김 %s", t + 4);
    else if (sscanf(t, "link %63s -> %63s drop %15s delay %31s ms%n", x, y, drop, delay,
                    &used) == 4 && !t[used])
        snprintf(out, cap, "장애: 링크 %s → %s 설정: 손실 %s, 지연 %s ms", x, y, drop, delay);
    else if (strncmp(t, "link ", 5) == 0)
        snprintf(out, cap, "장애: 링크 설정 %s", t + 5);
    else
        return false;
    return true;
}

/* Kafka leadership: "orders-0 leader 101 epoch 2" and the ISR line
 * "orders-0 leader 101 epoch 2 isr [101,102]". */
static bool leader_ko(const char *t, bool isr, char *out, size_t cap)
{
    char part[64], list[96];
    int leader, epoch, used = 0;
    if (sscanf(t, "%63s leader %d epoch %d%n", part, &leader, &epoch, &used) != 3)
        return false;
    if (isr) {
        if (sscanf(t + used, " isr [%95[^]]]", list) != 1) list[0] = '\0';
        if (leader >= 0)
            snprintf(out, cap, "%s ISR [%s] (리더 %d, 리더 에포크 %d)", part, list, leader, epoch);
        else
            snprintf(out, cap, "%s ISR [%s] (리더 없음, 리더 에포크 %d)", part, list, epoch);
    } else if (t[used]) {
        return false;
    } else if (leader >= 0) {
        snprintf(out, cap, "%s 새 리더: %d (리더 에포크 %d)", part, leader, epoch);
    } else {
        snprintf(out, cap, "%s 리더 없음: 오프라인 (리더 에포크 %d)", part, epoch);
    }
    return true;
}

static bool loss_ko(const char *t, char *out, size_t cap)
{
    char part[64], acks[8], on[32];
    long long off;
    unsigned long long total;
    int used = 0;
    if (sscanf(t, "%63s offset %lld (acks=%7[^)]) truncated away on %31s", part, &off,
               acks, on) == 4)
        snprintf(out, cap, "확인된 쓰기 유실: %s 오프셋 %lld (acks=%s), %s에서 잘려 나감",
                 part, off, acks, on);
    else if (sscanf(t, "acknowledged record lost: %63s offset %lld (acks=%7[^)])",
                    part, &off, acks) == 3)
        snprintf(out, cap, "확인된 쓰기 유실: %s 오프셋 %lld (acks=%s)", part, off, acks);
    else if (sscanf(t, "%llu acknowledged records lost in all%n", &total, &used) == 1 && !t[used])
        snprintf(out, cap, "확인된 레코드가 모두 %llu개 유실됨", total);
    else
        return false;
    return true;
}

/* Client events: a Kafka client's silent broker, a ZooKeeper client's
 * session state and lost server. */
static bool client_ko(const char *n, const char *t, char *out, size_t cap)
{
    char who[32], peer[32], st[16];
    unsigned ms;
    unsigned long long sess;
    if (sscanf(t, "%31[^:]: no answer from %31s within %u ms", who, peer, &ms) == 3)
        snprintf(out, cap, "%s: %s에서 %u ms 안에 응답 없음", who, peer, ms);
    else if (sscanf(t, "zk session 0x%llx %15s", &sess, st) == 2) {
        const char *k = lookup(zk_states, sizeof zk_states / sizeof zk_states[0], st);
        snprintf(out, cap, "%s%sZooKeeper 세션 0x%llx %s (%s)", n, n[0] ? ": " : "", sess,
                 k ? k : st, st);
    } else if (sscanf(t, "zk client could not connect to %31s", peer) == 1)
        snprintf(out, cap, "%s%sZooKeeper 서버 %s에 연결하지 못함", n, n[0] ? ": " : "", peer);
    else if (sscanf(t, "zk client lost %31s", peer) == 1)
        snprintf(out, cap, "%s%sZooKeeper 서버 %s와(과)의 연결 끊김", n, n[0] ? ": " : "", peer);
    else
        return false;
    return true;
}

/* Broker, controller and server notes (kafka_*.c, zk_*.c). */
static bool note_ko(const char *t, char *out, size_t cap)
{
    int b, b2, e, e2;
    char part[64], name[64];
    long long at, dropped;
    unsigned long long z1, z2;
    size_t bytes, txns;
    int used = 0;
    unsigned ms;
    long long ep;
    if (sscanf(t, "KRaft leader %d resigns: no fetch from a majority in %u ms", &b, &ms) == 2)
        snprintf(out, cap, "ctl%d 사임: %u ms 동안 과반수의 Fetch가 없음", b, ms);
    else if (sscanf(t, "ctl%d is the active controller (epoch %lld)", &b, &ep) == 2)
        snprintf(out, cap, "ctl%d이(가) 활성 컨트롤러 (에포크 %lld)", b, ep);
    else if (sscanf(t, "%d: /brokers/ids/%d still held by an old session%n", &b, &b2, &used) == 2)
        snprintf(out, cap, "%d: /brokers/ids/%d을(를) 아직 옛 세션이 쥐고 있어 다시 시도", b, b2);
    else if (sscanf(t, "%d: ZooKeeper session expired%n", &b, &used) == 1 && used)
        snprintf(out, cap, "%d: ZooKeeper 세션 만료, 다시 등록함", b);
    else if (sscanf(t, "%d: controlled shutdown done%n", &b, &used) == 1 && used)
        snprintf(out, cap, "%d: 정상 종료(controlled shutdown) 끝, ZooKeeper 세션을 닫음", b);
    else if (sscanf(t, "%d: controlled shutdown begins%n", &b, &used) == 1 && used)
        snprintf(out, cap, "%d: 정상 종료(controlled shutdown) 시작", b);
    else if (sscanf(t, "%d rejects a request of stale controller epoch %d (now %d)",
                    &b, &e, &e2) == 3)
        snprintf(out, cap, "%d: 낡은 컨트롤러 에포크 %d의 요청을 거절 (지금은 %d)", b, e, e2);
    else if (sscanf(t, "controller: topic %63s marked for deletion%n", name, &used) == 1 && used)
        snprintf(out, cap, "컨트롤러: 토픽 %s 삭제 표시 (모든 레플리카가 지워지면 사라짐)", name);
    else if (sscanf(t, "controller: deletion of topic %63s halted: its replica on broker %d%n",
                    name, &b, &used) == 2 && used)
        snprintf(out, cap, "컨트롤러: 토픽 %s 삭제 보류: 브로커 %d의 레플리카가 오프라인", name, b);
    else if (sscanf(t, "controller: topic %63s deleted%n", name, &used) == 1 && used)
        snprintf(out, cap, "컨트롤러: 토픽 %s 삭제", name);
    else if (sscanf(t, "%d: controlled shutdown failed %d times%n", &b, &e, &used) == 2 && used)
        snprintf(out, cap, "%d: 정상 종료(controlled shutdown) %d번 실패, 그래도 멈춤", b, e);
    else if (sscanf(t, "%d: controlled shutdown: no controller registered%n", &b, &used) == 1 && used)
        snprintf(out, cap, "%d: 정상 종료: 등록된 컨트롤러 없음", b);
    else if (sscanf(t, "unclean leader election: %63s goes to %d", part, &b) == 2)
        snprintf(out, cap, "언클린 리더 선출: %s의 새 리더는 ISR 밖의 %d", part, b);
    else if (sscanf(t, "auto leader rebalance: %d partition(s) back to preferred leader %d",
                    &e, &b) == 2)
        snprintf(out, cap, "자동 리더 재조정: 파티션 %d개의 리더를 선호(preferred) 레플리카 %d(으)로 "
                 "되돌림", e, b);
    else if (strncmp(t, "auto leader rebalance:", 22) == 0)
        snprintf(out, cap, "자동 리더 재조정: 리더를 선호(preferred) 레플리카로 되돌림");
    else if (sscanf(t, "controller: %63s is being reassigned: replicas %63s", part, name) == 2)
        snprintf(out, cap, "컨트롤러: %s 재할당 중: 복제본 %s", part, name);
    else if (sscanf(t, "controller: %63s reassignment complete: replicas %63s", part, name) == 2)
        snprintf(out, cap, "컨트롤러: %s 재할당 완료: 복제본 %s", part, name);
    else if (sscanf(t, "controller: broker %d is gone%n", &b, &used) == 1 && used)
        snprintf(out, cap, "컨트롤러: 브로커 %d 사라짐 (세션 끝남)", b);
    else if (sscanf(t, "controller: broker %d joined%n", &b, &used) == 1 && used)
        snprintf(out, cap, "컨트롤러: 브로커 %d 합류 (등록 정보를 읽음)", b);
    else if (sscanf(t, "%d truncates %63s to offset %lld (%lld records dropped, leader epoch %d",
                    &b, part, &at, &dropped, &e) == 5)
        snprintf(out, cap, "%d: %s 로그를 오프셋 %lld까지 잘라 냄 (레코드 %lld개 버림, "
                 "리더 에포크 %d의 끝)", b, part, at, dropped, e);
    else if (sscanf(t, "snapshot at 0x%llx (%zu bytes), log keeps %zu txns", &z1, &bytes,
                    &txns) == 3)
        snprintf(out, cap, "스냅샷 0x%llx (%zu 바이트), 로그에 트랜잭션 %zu개 남김", z1, bytes,
                 txns);
    else if (sscanf(t, "refusing a client that has seen zxid 0x%llx: our last is 0x%llx",
                    &z1, &z2) == 2)
        snprintf(out, cap, "zxid 0x%llx까지 본 클라이언트를 거절: 이 서버는 0x%llx까지",
                 z1, z2);
    else
        return false;
    return true;
}

bool viz_event_words_ko(const trace_event *ev, const char *n, const char *p,
                        char *out, size_t cap)
{
    const char *t = ev->text;
    unsigned long long a = (unsigned long long)ev->a;
    switch (ev->kind) {
    case TR_ROLE:
        return role_ko(n, t, a, out, cap);
    case TR_VOTE: {
        /* events.c lets through only a vote for a fresher log */
        const char *over = strstr(t, " over zk");
        unsigned long long was;
        if (!over || sscanf(over, " over zk%*d (zxid 0x%llx)", &was) != 1) return false;
        snprintf(out, cap, "%s: zk%llu에 투표 (기록된 zxid 0x%llx), zk%d(0x%llx)보다 최신 로그",
                 n, a, (unsigned long long)ev->b, ev->code, was);
        return true;
    }
    case TR_ELECTION:
        if (p[0] && strncmp(ev->text, "KRaft", 5) == 0)
            snprintf(out, cap, "선출: %s, 에포크 %llu", p, (unsigned long long)ev->a);
        else if (p[0]) snprintf(out, cap, "선출: %s, zxid 0x%llx", p,
                                (unsigned long long)ev->b);
        else snprintf(out, cap, "%s에서 선출 끝", n);
        return true;
    case TR_SYNC:
        if (ev->code == TSYNC_LOAD)
            snprintf(out, cap, "%s: 스냅샷과 로그를 읽어 들임", n);
        else
            snprintf(out, cap, "%s: 리더와 동기화 (%s)", n, t[0] ? t : "?");
        return true;
    case TR_SESSION_NEW:
        snprintf(out, cap, "세션 0x%llx 열림%s%s%s", a, n[0] ? " (" : "", n, n[0] ? ")" : "");
        return true;
    case TR_SESSION_EXPIRE:
        snprintf(out, cap, "세션 0x%llx 만료", a);
        return true;
    case TR_SESSION_CLOSE:
        snprintf(out, cap, "세션 0x%llx 닫힘", a);
        return true;
    case TR_WATCH:
        snprintf(out, cap, "워치 발동: %s", t[0] ? t : "?");
        return true;
    case TR_FAULT:
        return fault_ko(t, out, cap);
    case TR_CONTROLLER:
        if (strncmp(n, "ctl", 3) == 0)
            snprintf(out, cap, "%s이(가) 활성 컨트롤러 (에포크 %llu)", n, a);
        else
            snprintf(out, cap, "새 컨트롤러: 브로커 %s (컨트롤러 에포크 %llu)", n, a);
        return true;
    case TR_LEADER:
        return leader_ko(t, false, out, cap);
    case TR_ISR:
        return leader_ko(t, true, out, cap);
    case TR_PRODUCE:
        if (t[0]) return false;
        snprintf(out, cap, "쓰기 확인됨");
        return true;
    case TR_LOSS:
        return loss_ko(t, out, cap);
    case TR_CLIENT:
        return client_ko(n, t, out, cap);
    case TR_NOTE:
        return note_ko(t, out, cap);
    case TR_CHECK:
        snprintf(out, cap, "검사 %s: %s", ev->a ? "통과" : "실패", t);
        return true;
    case TR_VIOLATION:
        snprintf(out, cap, "불변식 위반: %s", t);
        return true;
    default:
        return false;
    }
}
