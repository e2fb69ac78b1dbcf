/* mlog: a metadata record's key fields on one short line, for a row too
 * narrow for Kafka's whole toString ("PartitionChange orders-3 L104 isr
 * 104,101" for PartitionChangeRecord(partitionId=3, topicId=..., isr=[104,
 * 101], leader=104)): the record's name without "Record", then what the
 * record changes. Topics are named from the controller's image, as a
 * learner knows them, not by their ids. */
#include "mlog.h"

#include "text.h"
#include "words.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(out *o, const char *fmt, ...)
{
    if (o->len >= o->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n < o->cap - o->len ? (size_t)n : o->cap - o->len - 1;
}

/* " isr 104,101"; nothing for a null list (a change that keeps it) */
static void ids(out *o, const char *name, const kmeta_ids *l)
{
    if (l->n < 0) return;
    put(o, " %s ", name);
    if (l->n == 0) put(o, "-");
    for (int i = 0; i < l->n; i++) put(o, i ? ",%d" : "%d", l->id[i]);
}

/* The topic's name in img, else the start of its id. */
static void topic(out *o, const kmeta_image *img, kmeta_uuid id)
{
    const kmeta_topic *t = img ? kmeta_image_topic_id(img, id) : NULL;
    if (t) {
        put(o, " %s", t->name);
        return;
    }
    char s[23];
    kmeta_uuid_str(id, s);
    put(o, " %.6s", s);
}

void viz_mlog_brief(const kmeta_rec *r, const kmeta_image *img, const char *lang, char *buf,
                    size_t cap)
{
    out o = { buf, cap, 0 };
    if (cap) buf[0] = '\0';
    const char *name = kmeta_type_name(r->type);
    size_t n = strlen(name);
    if (n > 6 && strcmp(name + n - 6, "Record") == 0) n -= 6;
    put(&o, "%.*s", (int)n, name);
    switch (r->type) {
    case KMETA_REGISTER_BROKER:
        put(&o, " %d epoch %lld%s", r->broker_id, (long long)r->broker_epoch,
            r->fenced ? " fenced" : "");
        break;
    case KMETA_UNREGISTER_BROKER: case KMETA_FENCE_BROKER: case KMETA_UNFENCE_BROKER:
        put(&o, " %d", r->broker_id);
        break;
    case KMETA_BROKER_REG_CHANGE:
        /* Kafka 3.7's BrokerRegistrationChangeRecord: Fenced (1 fenced,
         * -1 unfenced, 0 no change) and InControlledShutdown (1 entered) */
        put(&o, " %d", r->broker_id);
        if (r->fencing_change)
            put(&o, " %s", viz_tr(lang, r->fencing_change > 0 ? "fenced" : "unfenced"));
        if (r->in_controlled_shutdown > 0)
            put(&o, "%s%s", r->fencing_change ? ", " : " ",
                viz_tr(lang, "enters controlled shutdown"));
        break;
    case KMETA_TOPIC:
        put(&o, " %s", r->topic);
        break;
    case KMETA_REMOVE_TOPIC:
        topic(&o, img, r->topic_id);
        break;
    case KMETA_PARTITION:
    case KMETA_PARTITION_CHANGE:
        topic(&o, img, r->topic_id);
        put(&o, "-%d", r->partition);
        if (r->leader == KMETA_NO_LEADER) put(&o, " no leader");
        else if (r->leader != KMETA_NO_LEADER_CHANGE) put(&o, " L%d", r->leader);
        ids(&o, "isr", &r->isr);
        /* a new partition's ISR is its replicas: said once */
        if (r->replicas.n >= 0 && (r->replicas.n != r->isr.n ||
                                   memcmp(r->replicas.id, r->isr.id,
                                          (size_t)r->isr.n * sizeof r->isr.id[0]) != 0))
            ids(&o, "replicas", &r->replicas);
        break;
    case KMETA_CONFIG:
        put(&o, " %s %s=%s", r->topic, r->conf_name, r->conf_value[0] ? r->conf_value : "null");
        break;
    }
}

/* Ids of the comma list that goes on at row[at] (',' before the next one):
 * how many are left out when the row is cut there; *rest says whether
 * text follows the list. */
static int ids_after(const char *row, size_t at, bool *rest)
{
    int n = 0;
    size_t i = at;
    while (row[i] == ',') {
        n++;
        i++;
        while (row[i] && row[i] != ',' && row[i] != ' ') i++;
    }
    *rest = row[i] != '\0';
    return n;
}

void viz_mlog_fit(const char *row, int cols, char *dst, size_t cap)
{
    if (!cap) return;
    if (text_width(row) <= cols) {
        snprintf(dst, cap, "%s", row);
        return;
    }
    /* the longest cut before a ',' or ' ' whose row and mark fit; not
     * between a name and its number (a bare "isr" or "epoch" says nothing) */
    for (size_t at = strlen(row); at > 0; at--) {
        if (row[at] != ',' && row[at] != ' ') continue;
        if (row[at] == ' ' && isdigit((unsigned char)row[at + 1])) continue;  /* "isr…" */
        bool rest = row[at] == ' ';
        int left = row[at] == ',' ? ids_after(row, at, &rest) : 0;
        char mark[24] = "";
        if (left) snprintf(mark, sizeof mark, "+%d%s", left, rest ? "\u2026" : "");
        else snprintf(mark, sizeof mark, "\u2026");
        char head[512];
        snprintf(head, sizeof head, "%.*s", (int)at, row);
        if (text_width(head) + text_width(mark) <= cols) {
            snprintf(dst, cap, "%s%s", head, mark);
            return;
        }
    }
    text_fit(row, cols, dst, cap);          /* one word wider than the row */
}

/* A space at row[at] between two fields: not before a number (it belongs
 * to the word before it) and not inside "no leader". */
static bool field_break(const char *row, size_t at)
{
    if (row[at] != ' ' || isdigit((unsigned char)row[at + 1])) return false;
    return !(at >= 2 && strncmp(row + at - 2, "no", 2) == 0 &&
             (at == 2 || row[at - 3] == ' '));
}

static int width_of(const char *text, size_t len)
{
    char buf[VIZ_MLOG_PIECE];
    snprintf(buf, sizeof buf, "%.*s", (int)len, text);
    return text_width(buf);
}

int viz_mlog_wrap(const char *text, int first_cols, int rest_cols, int max,
                  char (*pieces)[VIZ_MLOG_PIECE])
{
    int n = 0;
    const char *p = text;
    while (*p && n < max) {
        int cols = n ? rest_cols : first_cols;
        if (n == max - 1 || text_width(p) <= cols) {
            viz_mlog_fit(p, cols, pieces[n++], VIZ_MLOG_PIECE);
            break;
        }
        /* the most whole fields that fit; a first field wider than the
         * row alone, cut */
        size_t take = 0, first = 0;
        for (size_t at = 1; p[at]; at++) {
            if (!field_break(p, at)) continue;
            if (!first) first = at;
            if (width_of(p, at) > cols) break;
            take = at;
        }
        if (!take && !first) {
            viz_mlog_fit(p, cols, pieces[n++], VIZ_MLOG_PIECE);
            break;
        }
        if (!take) {
            char field[VIZ_MLOG_PIECE];
            snprintf(field, sizeof field, "%.*s", (int)first, p);
            viz_mlog_fit(field, cols, pieces[n++], VIZ_MLOG_PIECE);
            take = first;
        } else {
            snprintf(pieces[n++], VIZ_MLOG_PIECE, "%.*s", (int)take, p);
        }
        p += take + 1;
    }
    return n;
}
