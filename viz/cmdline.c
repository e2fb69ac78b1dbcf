/* cmdline: parsing of the ':' command line. Anything typed gives either a
 * command or an error message in the learner's language (words.c), never
 * a crash: input is bounded, tokens are copied with their length checked,
 * numbers are range-checked. */
#include "cmd.h"
#include "util.h"
#include "words.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct verb {
    const char *word;           /* as typed */
    viz_cmd_kind kind;
    int args;                   /* node names needed: 0, 1 */
} verb;

static const verb verbs[] = {
    { "kill", VC_KILL, 1 },     { "crash", VC_KILL, 1 },
    { "stop", VC_STOP, 1 },     { "restart", VC_RESTART, 1 },
    { "start", VC_RESTART, 1 }, { "pause", VC_PAUSE, 1 },
    { "resume", VC_RESUME, 1 }, { "isolate", VC_ISOLATE, 1 },
    { "heal", VC_HEAL, 0 },     { "split", VC_SPLIT, 0 },
    { "lua", VC_LUA, 0 },       { "topic", VC_TOPIC, 0 },
    { "produce", VC_PRODUCE, 0 }, { "speed", VC_SPEED, 0 },
    { "reassign", VC_REASSIGN, 0 },
    { "step", VC_STEP, 0 },     { "run", VC_RUN, 0 },
    { "hold", VC_HOLD, 0 },     { "help", VC_HELP, 0 },
    { "quit", VC_QUIT, 0 },     { "q", VC_QUIT, 0 },
    { "add-broker", VC_ADD_BROKER, 0 }, { "delete-topic", VC_DELETE_TOPIC, 0 },
};

/* A message without arguments into err, in the learner's language;
 * returns false, the parse's answer. */
static bool refuse(const char *lang, char *err, size_t cap, const char *en)
{
    snprintf(err, cap, "%s", viz_tr(lang, en));
    return false;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

/* Copies the next token (up to a space, ',' or '/') into out. Returns
 * the position after it, or NULL when it is too long. */
static const char *token(const char *p, char *out, size_t cap)
{
    size_t n = 0;
    while (*p && *p != ' ' && *p != '\t' && *p != ',' && *p != '/') {
        if (n + 1 >= cap) { out[n] = '\0'; return NULL; }
        out[n++] = *p++;
    }
    out[n] = '\0';
    return p;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* Broker ids to the end of the line, commas or spaces between them,
 * into out->names; false on anything else. */
static bool parse_ids(const char *q, viz_cmd *out)
{
    for (;;) {
        q = skip_space(q);
        if (*q == ',') { q++; continue; }
        if (!*q) return true;
        long id;
        char name[16];
        const char *r = token(q, name, sizeof name);
        if (!r || !parse_long(name, 0, 2147483647L, &id) || out->nnames >= VIZ_CMD_NAMES)
            return false;
        snprintf(out->names[out->nnames++], sizeof out->names[0], "%s", name);
        q = r;
    }
}

/* reassign TOPIC PARTITION ID,ID,... (commas or spaces between ids) */
static bool parse_reassign(const char *p, const char *lang, viz_cmd *out, char *err,
                           size_t cap)
{
    char part[24] = "";
    const char *q = token(p, out->text, sizeof out->text);
    if (q) { q = skip_space(q); q = token(q, part, sizeof part); }
    if (!q || !out->text[0] || !parse_long(part, 0, 99999, &out->n1) ||
        !parse_ids(q, out) || out->nnames == 0)
        return refuse(lang, err, cap, "usage: reassign TOPIC PARTITION BROKER,BROKER,... "
                                      "(e.g. reassign orders 0 104,102,103)");
    return true;
}

/* produce TOPIC COUNT [ID,ID,...]: the ids, when given, are the new
 * producer's bootstrap list */
static bool parse_produce(const char *p, const char *lang, viz_cmd *out, char *err,
                          size_t cap)
{
    char count[24] = "";
    const char *q = token(p, out->text, sizeof out->text);
    if (q) { q = skip_space(q); q = token(q, count, sizeof count); }
    if (!q || !out->text[0] || !parse_long(count, 1, 1000000, &out->n1) || !parse_ids(q, out))
        return refuse(lang, err, cap, "usage: produce TOPIC COUNT [BROKER,...] (the brokers: "
                                      "a new producer's bootstrap list)");
    return true;
}

static bool parse_split(const char *p, const char *lang, viz_cmd *out, char *err,
                        size_t cap)
{
    int side = 0;
    int count[2] = { 0, 0 };
    for (;;) {
        p = skip_space(p);
        if (*p == ',') { p++; continue; }
        if (*p == '/') {
            if (side == 1) return refuse(lang, err, cap, "split takes two sides: a,b / c,d");
            side = 1;
            p++;
            continue;
        }
        if (!*p) break;
        if (out->nnames >= VIZ_CMD_NAMES) return refuse(lang, err, cap, "too many names");
        char name[16];
        const char *q = token(p, name, sizeof name);
        if (!q) return refuse(lang, err, cap, "name too long");
        snprintf(out->names[out->nnames], sizeof out->names[0], "%s", name);
        out->side[out->nnames++] = side;
        count[side]++;
        p = q;
    }
    if (side != 1 || count[0] == 0 || count[1] == 0)
        return refuse(lang, err, cap, "usage: split zk1,zk2 / zk3");
    return true;
}

/* add-broker [ID [RACK]]: no id takes the next one (n1 = 0). */
static bool parse_add_broker(const char *p, const char *lang, viz_cmd *out, char *err,
                             size_t cap)
{
    char id[24] = "", rack[16] = "";
    const char *r = token(p, id, sizeof id);
    if (r) { r = skip_space(r); r = token(r, rack, sizeof rack); }
    if (r) r = skip_space(r);
    if (!r || *r || (id[0] && !parse_long(id, 0, 32767, &out->n1)))
        return refuse(lang, err, cap, "usage: add-broker [ID [RACK]] (e.g. add-broker 105)");
    out->n2 = id[0] != '\0';
    snprintf(out->text, sizeof out->text, "%s", rack);
    return true;
}

bool viz_cmd_parse(const char *line, viz_cmd *out, char *err, size_t errcap)
{
    return viz_cmd_parse_lang(line, NULL, out, err, errcap);
}

bool viz_cmd_parse_lang(const char *line, const char *lang, viz_cmd *out, char *err,
                        size_t errcap)
{
    memset(out, 0, sizeof *out);
    err[0] = '\0';
    const char *p = skip_space(line);
    char word[16];
    const char *q = token(p, word, sizeof word);
    if (!q || !word[0])
        return refuse(lang, err, errcap,
                      !q ? "unknown command" : "type a command, e.g. :kill zk1");
    /* commands are words, not names: :KILL 101 is :kill 101 */
    for (char *c = word; *c; c++) *c = (char)tolower((unsigned char)*c);
    const verb *vb = NULL;
    ql_nearest near = { NULL, 0 };
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strcmp(verbs[i].word, word) == 0) vb = &verbs[i];
        ql_nearest_try(&near, word, verbs[i].word);
    }
    if (!vb && near.best) {
        snprintf(err, errcap,
                 viz_tr(lang, "unknown command '%s': did you mean '%s'? (? shows the commands)"),
                 word, near.best);
        return false;
    }
    if (!vb) {
        snprintf(err, errcap, viz_tr(lang, "unknown command '%s' (? shows the commands)"), word);
        return false;
    }
    out->kind = vb->kind;
    p = skip_space(q);
    switch (vb->kind) {
    case VC_SPLIT:
        return parse_split(p, lang, out, err, errcap);
    case VC_REASSIGN:
        return parse_reassign(p, lang, out, err, errcap);
    case VC_PRODUCE:
        return parse_produce(p, lang, out, err, errcap);
    case VC_LUA:
        if (!*p) return refuse(lang, err, errcap, "usage: lua <expression or statement>");
        snprintf(out->text, sizeof out->text, "%s", p);
        return true;
    case VC_SPEED: {
        char *end;
        double v = strtod(p, &end);
        while (*end == 'x' || *end == ' ') end++;
        if (end == p || *end || !(v >= 0.1 && v <= 1000))
            return refuse(lang, err, errcap, "usage: speed N (0.1 to 1000)");
        out->speed = v;
        return true;
    }
    case VC_TOPIC: {
        char a[64] = "", b[24] = "", c[24] = "";
        const char *r = token(p, a, sizeof a);
        if (r) { r = skip_space(r); r = token(r, b, sizeof b); }
        if (r) { r = skip_space(r); r = token(r, c, sizeof c); }
        if (r) r = skip_space(r);
        if (!r || *r || !a[0] || !parse_long(b, 1, 10000, &out->n1) ||
            !parse_long(c, 1, 100, &out->n2))
            return refuse(lang, err, errcap, "usage: topic NAME PARTITIONS RF");
        snprintf(out->text, sizeof out->text, "%s", a);
        return true;
    }
    case VC_ADD_BROKER:
        return parse_add_broker(p, lang, out, err, errcap);
    case VC_DELETE_TOPIC: {
        const char *r = token(p, out->text, 64);
        if (r) r = skip_space(r);
        if (!r || *r || !out->text[0])
            return refuse(lang, err, errcap, "usage: delete-topic NAME");
        return true;
    }
    default:
        break;
    }
    if (vb->args == 1) {
        const char *r = token(p, out->names[0], sizeof out->names[0]);
        if (!r) return refuse(lang, err, errcap, "name too long");
        if (!out->names[0][0]) {
            snprintf(err, errcap, viz_tr(lang, "usage: %s NODE (e.g. %s zk1)"), word, word);
            return false;
        }
        out->nnames = 1;
        p = skip_space(r);
    }
    if (*p) {
        snprintf(err, errcap, viz_tr(lang, "%s: unexpected '%.20s'"), word, p);
        return false;
    }
    return true;
}
