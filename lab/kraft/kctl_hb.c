/* kctl_hb: BrokerHeartbeatManager's soft state, a small table by id. */
#include "kctl_hb.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct hb_entry {
    int id;                 /* broker id */
    bool fenced;            /* not watched for staleness when fenced */
    uint64_t last_us;       /* last contact */
    int64_t offset;         /* metadata offset last reported */
    int64_t cs_offset;      /* controlled shutdown offset, -1 none */
} hb_entry;

struct kctl_hb {
    hb_entry *e;            /* sorted by id */
    int n, cap;             /* used, allocated */
    uint64_t session_us;    /* broker.session.timeout.ms */
};

kctl_hb *kctl_hb_new(uint64_t session_timeout_us)
{
    kctl_hb *hb = xcalloc(1, sizeof *hb);
    hb->session_us = session_timeout_us;
    return hb;
}

void kctl_hb_free(kctl_hb *hb)
{
    if (!hb) return;
    free(hb->e);
    free(hb);
}

static hb_entry *find(const kctl_hb *hb, int id)
{
    for (int i = 0; i < hb->n; i++)
        if (hb->e[i].id == id) return &hb->e[i];
    return NULL;
}

void kctl_hb_touch(kctl_hb *hb, int id, bool fenced, uint64_t now_us,
                   int64_t metadata_offset)
{
    hb_entry *e = find(hb, id);
    if (!e) {
        VEC_GROW(hb->e, hb->n, hb->cap);
        int i = hb->n++;
        while (i > 0 && hb->e[i - 1].id > id) {
            hb->e[i] = hb->e[i - 1];
            i--;
        }
        e = &hb->e[i];
        e->id = id;
        e->cs_offset = -1;
    }
    /* a fenced broker leaves controlled shutdown: its next heartbeat
     * shuts it down at once (BrokerHeartbeatManager.touch) */
    if (fenced) e->cs_offset = -1;
    e->fenced = fenced;
    e->last_us = now_us;
    e->offset = metadata_offset;
}

void kctl_hb_fence(kctl_hb *hb, int id)
{
    hb_entry *e = find(hb, id);
    if (!e) return;
    e->fenced = true;
    e->cs_offset = -1;
}

void kctl_hb_remove(kctl_hb *hb, int id)
{
    hb_entry *e = find(hb, id);
    if (!e) return;
    int i = (int)(e - hb->e);
    memmove(&hb->e[i], &hb->e[i + 1], (size_t)(hb->n - i - 1) * sizeof *e);
    hb->n--;
}

bool kctl_hb_valid_session(const kctl_hb *hb, int id, uint64_t now_us)
{
    const hb_entry *e = find(hb, id);
    return e && !e->fenced && e->last_us + hb->session_us >= now_us;
}

/* The unfenced entry heard from longest ago (lowest id on a tie). */
static const hb_entry *oldest(const kctl_hb *hb)
{
    const hb_entry *o = NULL;
    for (int i = 0; i < hb->n; i++)
        if (!hb->e[i].fenced && (!o || hb->e[i].last_us < o->last_us))
            o = &hb->e[i];
    return o;
}

int kctl_hb_stale(const kctl_hb *hb, uint64_t now_us)
{
    const hb_entry *o = oldest(hb);
    return o && o->last_us + hb->session_us < now_us ? o->id : -1;
}

uint64_t kctl_hb_next_check_us(const kctl_hb *hb)
{
    const hb_entry *o = oldest(hb);
    return o ? o->last_us + hb->session_us + 1 : UINT64_MAX;
}

int kctl_hb_sessions(const kctl_hb *hb, int *ids, uint64_t *last_us, int cap)
{
    int n = 0;
    for (int i = 0; hb && i < hb->n && n < cap; i++) {
        if (hb->e[i].fenced) continue;
        ids[n] = hb->e[i].id;
        last_us[n++] = hb->e[i].last_us;
    }
    return n;
}

int64_t kctl_hb_metadata_offset(const kctl_hb *hb, int id)
{
    const hb_entry *e = find(hb, id);
    return e ? e->offset : -1;
}

bool kctl_hb_shutting_down(const kctl_hb *hb, int id)
{
    const hb_entry *e = find(hb, id);
    return e && e->cs_offset >= 0;
}

void kctl_hb_set_shutdown_offset(kctl_hb *hb, int id, int64_t offset)
{
    hb_entry *e = find(hb, id);
    if (e && !e->fenced && e->cs_offset < 0) e->cs_offset = offset;
}

int64_t kctl_hb_shutdown_offset(const kctl_hb *hb, int id)
{
    const hb_entry *e = find(hb, id);
    return e ? e->cs_offset : -1;
}

int64_t kctl_hb_lowest_active_offset(const kctl_hb *hb)
{
    int64_t low = INT64_MAX;
    for (int i = 0; i < hb->n; i++)
        if (!hb->e[i].fenced && hb->e[i].cs_offset < 0 && hb->e[i].offset < low)
            low = hb->e[i].offset;
    return low;
}
