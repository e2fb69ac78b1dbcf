/* listen_rec: recording and reading back the real clients' side of a run. */
#include "listen_rec.h"
#include "cluster.h"
#include "util.h"
#include "wire.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "accept", "input", "wrote", "closed", "release",
                                     "fault", "end" };
#define NKINDS ((int)(sizeof kinds / sizeof *kinds))

/* Text safe inside a JSON string without escapes. */
static void plain(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = src[i] == '"' || src[i] == '\\' || (unsigned char)src[i] < 0x20 ? '\'' : src[i];
    dst[i] = 0;
}

void rec_write(FILE *f, const rec *r)
{
    if (!f) return;
    fprintf(f, "{\"real\":\"%s\",\"at_us\":%" PRIu64 ",\"id\":%d", kinds[r->kind], r->at_us, r->id);
    char t[sizeof r->text];
    switch (r->kind) {
    case REC_ACCEPT:
        plain(t, sizeof t, r->text);
        fprintf(f, ",\"sid\":%d,\"text\":\"%s\"", r->sid, t);
        break;
    case REC_CLOSED: case REC_FAULT: case REC_END:
        plain(t, sizeof t, r->text);
        fprintf(f, ",\"text\":\"%s\"", t);
        break;
    case REC_WROTE:
        fprintf(f, ",\"n\":%zu", r->n);
        break;
    case REC_INPUT:
        fputs(",\"hex\":\"", f);
        for (size_t i = 0; i < r->n; i++) fprintf(f, "%02x", r->bytes[i]);
        fputc('"', f);
        break;
    case REC_RELEASE:
        break;
    }
    fputs("}\n", f);
}

static bool field_num(const char *line, const char *key, long long *out)
{
    const char *p = strstr(line, key);
    if (!p) return false;
    char *end;
    *out = strtoll(p + strlen(key), &end, 10);
    return end != p + strlen(key);
}

static void field_str(const char *line, const char *key, char *out, size_t cap)
{
    out[0] = 0;
    const char *p = strstr(line, key);
    if (!p) return;
    p += strlen(key);
    size_t n = strcspn(p, "\"");
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool parse(const char *line, rec *r)
{
    memset(r, 0, sizeof *r);
    char kind[16];
    field_str(line, "\"real\":\"", kind, sizeof kind);
    int k = 0;
    while (k < NKINDS && strcmp(kinds[k], kind) != 0) k++;
    long long at, id, v;
    if (k == NKINDS || !field_num(line, "\"at_us\":", &at) || !field_num(line, "\"id\":", &id))
        return false;
    r->kind = (rec_kind)k;
    r->at_us = (uint64_t)at;
    r->id = (int)id;
    if (r->kind == REC_ACCEPT) {
        if (!field_num(line, "\"sid\":", &v)) return false;
        r->sid = (int)v;
    }
    if (r->kind == REC_ACCEPT || r->kind == REC_CLOSED || r->kind == REC_FAULT ||
        r->kind == REC_END)
        field_str(line, "\"text\":\"", r->text, sizeof r->text);
    if (r->kind == REC_WROTE) {
        if (!field_num(line, "\"n\":", &v) || v < 0) return false;
        r->n = (size_t)v;
    }
    if (r->kind == REC_INPUT) {
        const char *p = strstr(line, "\"hex\":\"");
        if (!p) return false;
        p += 7;
        size_t n = strcspn(p, "\"");
        if (n % 2) return false;
        r->n = n / 2;
        r->bytes = xmalloc(r->n ? r->n : 1);
        for (size_t i = 0; i < r->n; i++) {
            int hi = hexval(p[2 * i]), lo = hexval(p[2 * i + 1]);
            if (hi < 0 || lo < 0) { free(r->bytes); r->bytes = NULL; return false; }
            r->bytes[i] = (uint8_t)(hi << 4 | lo);
        }
    }
    return true;
}

bool rec_load(const char *path, rec_list *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) { snprintf(err, cap, "cannot read %s", path); return false; }
    char *line = NULL;
    size_t lcap = 0;
    long no = 0;
    bool ok = true;
    while (getline(&line, &lcap, f) >= 0) {
        no++;
        if (strncmp(line, "{\"real\":", 8) != 0) continue;
        rec r;
        if (!parse(line, &r)) {
            snprintf(err, cap, "%s:%ld: a real-client record that does not parse", path, no);
            ok = false;
            break;
        }
        VEC_GROW(out->v, out->n, out->cap);
        out->v[out->n++] = r;
    }
    free(line);
    fclose(f);
    if (!ok) rec_list_free(out);
    return ok;
}

void rec_list_free(rec_list *l)
{
    for (int i = 0; i < l->n; i++) free(l->v[i].bytes);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ------------------------------------------------- a dashboard session */

static int node_of(cluster *w, const char *name, char *err, size_t cap)
{
    int n = cluster_find_node(w, name);
    if (n < 0) snprintf(err, cap, "--replay: the trace names '%s', which this world lacks", name);
    return n;
}

/* "zk1,zk2" into nodes; -1 when a name is unknown */
static int nodes_of(cluster *w, char *list, int *out, int max, char *err, size_t cap)
{
    int n = 0;
    for (char *save = NULL, *t = strtok_r(list, ",", &save); t && n < max;
         t = strtok_r(NULL, ",", &save))
        if ((out[n++] = node_of(w, t, err, cap)) < 0) return -1;
    return n;
}

bool rec_fault_apply(cluster *w, const char *line, char *err, size_t cap)
{
    char verb[16] = "", a[80] = "", b[80] = "";
    int k = sscanf(line, "%15s %79s %79s", verb, a, b);
    if (k >= 1 && strcmp(verb, "heal") == 0) { cluster_heal(w); return true; }
    if (k >= 3 && strcmp(verb, "split") == 0) {
        int na[CLUSTER_ZK_MAX + 64], nb[CLUSTER_ZK_MAX + 64];
        int ma = nodes_of(w, a, na, CLUSTER_ZK_MAX + 64, err, cap);
        int mb = ma < 0 ? -1 : nodes_of(w, b, nb, CLUSTER_ZK_MAX + 64, err, cap);
        if (mb < 0) return false;
        cluster_split(w, na, ma, nb, mb);
        return true;
    }
    int n = k >= 2 ? node_of(w, a, err, cap) : -1;
    if (n < 0) {
        if (k < 2) snprintf(err, cap, "--replay: a fault it cannot read: %s", line);
        return false;
    }
    if (strcmp(verb, "kill") == 0) cluster_kill(w, n);
    else if (strcmp(verb, "restart") == 0) cluster_restart(w, n);
    else if (strcmp(verb, "resume") == 0) cluster_resume(w, n);
    else if (strcmp(verb, "isolate") == 0) cluster_isolate(w, n);
    else if (strcmp(verb, "pause") == 0) cluster_pause(w, n, strtoull(b, NULL, 10));
    else {
        snprintf(err, cap, "--replay: a fault it cannot read: %s", line);
        return false;
    }
    return true;
}

void rec_digest(cluster *w, char *buf, size_t cap)
{
    ensemble_info e;
    cluster_ensemble(w, &e);
    uint64_t d = 0;
    char part[48];
    size_t at = 0;
    char roles[128] = "";
    for (int i = 0; i < e.size; i++) {
        const zk_server_info *s = &e.servers[i];
        uint64_t v[4] = { (uint64_t)s->state, s->last_zxid, (uint64_t)s->sessions,
                          ztree_digest(zk_server_tree(cluster_zk(w, s->sid))) };
        d = wire_digest(v, sizeof v, d);
        snprintf(part, sizeof part, "%szk%d %.1s 0x%llx", i ? ", " : "", s->sid,
                 zk_state_name(s->state), (unsigned long long)s->last_zxid);
        if (at < sizeof roles) at += (size_t)snprintf(roles + at, sizeof roles - at, "%s", part);
    }
    snprintf(buf, cap, "digest 0x%016llx: %s", (unsigned long long)d, roles);
}
