/* kctl_proto: bytes of BrokerRegistration and BrokerHeartbeat. */
#include "kctl_proto.h"

#include <string.h>

static void w_uuid(wbuf *w, kmeta_uuid u)
{
    w_u64(w, u.hi);
    w_u64(w, u.lo);
}

void kctl_reg_write(wbuf *w, const kctl_reg_msg *m)
{
    w_u64(w, m->corr);
    w_u32(w, (uint32_t)m->broker_id);
    w_uuid(w, m->incarnation);
    w_str(w, m->rack);
    w_u8(w, m->err);
    w_i64(w, m->broker_epoch);
}

bool kctl_reg_read(const uint8_t *p, size_t n, kctl_reg_msg *m)
{
    rbuf r = rbuf_of(p, n);
    memset(m, 0, sizeof *m);
    m->corr = r_u64(&r);
    m->broker_id = (int32_t)r_u32(&r);
    m->incarnation.hi = r_u64(&r);
    m->incarnation.lo = r_u64(&r);
    r_str(&r, m->rack, sizeof m->rack);
    m->err = r_u8(&r);
    m->broker_epoch = r_i64(&r);
    return !r.bad;
}

void kctl_hb_write(wbuf *w, const kctl_hb_msg *m)
{
    w_u64(w, m->corr);
    w_u32(w, (uint32_t)m->broker_id);
    w_i64(w, m->broker_epoch);
    w_i64(w, m->metadata_offset);
    w_u8(w, (uint8_t)(m->want_fence | m->want_shutdown << 1));
    w_u8(w, m->err);
    w_u8(w, (uint8_t)(m->caught_up | m->fenced << 1 | m->shutdown_now << 2));
}

bool kctl_hb_read(const uint8_t *p, size_t n, kctl_hb_msg *m)
{
    rbuf r = rbuf_of(p, n);
    memset(m, 0, sizeof *m);
    m->corr = r_u64(&r);
    m->broker_id = (int32_t)r_u32(&r);
    m->broker_epoch = r_i64(&r);
    m->metadata_offset = r_i64(&r);
    uint8_t want = r_u8(&r);
    m->want_fence = want & 1;
    m->want_shutdown = want & 2;
    m->err = r_u8(&r);
    uint8_t st = r_u8(&r);
    m->caught_up = st & 1;
    m->fenced = st & 2;
    m->shutdown_now = st & 4;
    return !r.bad;
}

static const char *const names[] = {
    "BrokerRegistration", "BrokerRegistrationResponse",
    "BrokerHeartbeat", "BrokerHeartbeatResponse",
};

void kctl_name_msgs(sim *s)
{
    if (sim_msg_name(s, KCTL_MSG_REGISTER)) return;
    sim_name_msgs(s, KCTL_MSG_REGISTER, names, KCTL_MSG_END - KCTL_MSG_REGISTER);
}
