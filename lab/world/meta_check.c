/* meta_check: a broker's image against the committed log, by rebuilding
 * the image from the log's records and comparing field by field. */
#include "meta_check.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Topic configs the lab's records set (ReplicationControlManager.
 * createTopics writes these two as ConfigRecords). */
static const char *const conf_keys[] = {
    "min.insync.replicas", "unclean.leader.election.enable",
};

static bool same_broker(const kmeta_broker *x, const kmeta_broker *y)
{
    return x->id == y->id && x->epoch == y->epoch && x->reg_offset == y->reg_offset &&
           x->incarnation.hi == y->incarnation.hi && x->incarnation.lo == y->incarnation.lo &&
           strcmp(x->rack, y->rack) == 0 && x->fenced == y->fenced;
}

static bool same_part(const kmeta_part *x, const kmeta_part *y)
{
    return kmeta_ids_equal(&x->replicas, &y->replicas) && kmeta_ids_equal(&x->isr, &y->isr) &&
           kmeta_ids_equal(&x->removing, &y->removing) &&
           kmeta_ids_equal(&x->adding, &y->adding) && x->leader == y->leader &&
           x->leader_epoch == y->leader_epoch && x->partition_epoch == y->partition_epoch &&
           x->leader_recovery == y->leader_recovery;
}

static bool same_conf(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static bool same_topic(const kmeta_image *a, const kmeta_topic *x, const kmeta_image *b,
                       const kmeta_topic *y, char *why, size_t cap)
{
    if (strcmp(x->name, y->name) != 0 || x->id.hi != y->id.hi || x->id.lo != y->id.lo ||
        x->nparts != y->nparts) {
        snprintf(why, cap, "topic %.60s: name, id or partition count differ", x->name);
        return false;
    }
    for (int p = 0; p < x->nparts; p++)
        if (!same_part(&x->parts[p], &y->parts[p])) {
            snprintf(why, cap, "%.60s-%d: replicas, ISR, leader or epochs differ (leader "
                     "%d epoch %d against %d epoch %d)", x->name, p, x->parts[p].leader,
                     x->parts[p].leader_epoch, y->parts[p].leader, y->parts[p].leader_epoch);
            return false;
        }
    for (size_t k = 0; k < sizeof conf_keys / sizeof conf_keys[0]; k++)
        if (!same_conf(kmeta_image_topic_config(a, x->name, conf_keys[k]),
                       kmeta_image_topic_config(b, y->name, conf_keys[k]))) {
            snprintf(why, cap, "topic %.60s: config %s differs", x->name, conf_keys[k]);
            return false;
        }
    return true;
}

bool meta_check_same(const kmeta_image *a, const kmeta_image *b, char *why, size_t cap)
{
    if (kmeta_image_offset(a) != kmeta_image_offset(b)) {
        snprintf(why, cap, "applied up to offset %lld against %lld",
                 (long long)kmeta_image_offset(a), (long long)kmeta_image_offset(b));
        return false;
    }
    return meta_check_same_state(a, b, why, cap);
}

bool meta_check_same_state(const kmeta_image *a, const kmeta_image *b, char *why, size_t cap)
{
    if (kmeta_image_nbrokers(a) != kmeta_image_nbrokers(b) ||
        kmeta_image_ntopics(a) != kmeta_image_ntopics(b)) {
        snprintf(why, cap, "%d brokers and %d topics against %d and %d",
                 kmeta_image_nbrokers(a), kmeta_image_ntopics(a),
                 kmeta_image_nbrokers(b), kmeta_image_ntopics(b));
        return false;
    }
    for (int i = 0; i < kmeta_image_nbrokers(a); i++) {
        const kmeta_broker *x = kmeta_image_broker_at(a, i), *y = kmeta_image_broker_at(b, i);
        if (!same_broker(x, y)) {
            snprintf(why, cap, "broker %d's registration differs (epoch %lld%s against "
                     "broker %d epoch %lld%s)", x->id, (long long)x->epoch,
                     x->fenced ? ", fenced" : "", y->id, (long long)y->epoch,
                     y->fenced ? ", fenced" : "");
            return false;
        }
    }
    for (int i = 0; i < kmeta_image_ntopics(a); i++)
        if (!same_topic(a, kmeta_image_topic_at(a, i), b, kmeta_image_topic_at(b, i), why, cap))
            return false;
    return true;
}

/* Images in order of their offsets (insertion sort: a handful). */
static void by_offset(const kmeta_image *const *imgs, int n, int *order)
{
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && kmeta_image_offset(imgs[order[j - 1]]) > kmeta_image_offset(imgs[i])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

meta_verdict meta_check_prefixes(const kmeta_image *const *imgs, int n, int64_t committed,
                                 meta_entry_fn entry, void *ctx, int *bad, char *why,
                                 size_t cap)
{
    int order[META_CHECK_MAX];
    QL_ASSERT(n >= 0 && n <= META_CHECK_MAX);
    by_offset(imgs, n, order);
    kmeta_image *ref = kmeta_image_new();
    meta_verdict v = META_OK;
    int64_t next = 0;           /* the first record not replayed yet */
    for (int k = 0; k < n && v == META_OK; k++) {
        const kmeta_image *img = imgs[order[k]];
        int64_t last = kmeta_image_offset(img);
        *bad = order[k];
        if (last >= committed) {
            snprintf(why, cap, "applied offset %lld is not committed (high watermark %lld)",
                     (long long)last, (long long)committed);
            v = META_DIVERGED;
            break;
        }
        for (; next <= last && v == META_OK; next++) {
            bool control;
            const uint8_t *d;
            size_t len;
            kmeta_rec rec;
            char err[8];
            if (!entry(ctx, next, &control, &d, &len)) v = META_UNCHECKED;
            else if (!control && kmeta_rec_decode(d, len, &rec))
                (void)kmeta_image_apply(ref, &rec, next, err, sizeof err);  /* as a broker does */
        }
        /* an image loaded from a snapshot is at the snapshot's last offset
         * (MetadataProvenance.lastContainedOffset), which may be a
         * control record the replay skips: every record up to `last` was
         * replayed, so only the state is compared then */
        char diff[200];
        bool same = kmeta_image_offset(ref) < last ? meta_check_same_state(img, ref, diff, sizeof diff)
                                                   : meta_check_same(img, ref, diff, sizeof diff);
        if (v == META_OK && !same) {
            snprintf(why, cap, "not the committed log's image at offset %lld: %s",
                     (long long)last, diff);
            v = META_DIVERGED;
        }
    }
    kmeta_image_free(ref);
    return v;
}

meta_verdict meta_check_prefix(const kmeta_image *applied, int64_t committed,
                               meta_entry_fn entry, void *ctx, char *why, size_t cap)
{
    int bad;
    return meta_check_prefixes(&applied, 1, committed, entry, ctx, &bad, why, cap);
}
