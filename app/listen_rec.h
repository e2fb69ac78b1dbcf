/* listen_rec: what the real clients did to a world, recorded as JSON Lines
 * in the --trace file beside the trace's events ({"real":"input",...}), and
 * read back for --replay: connections accepted, the bytes the world took
 * (with the simulated time it took them), bytes written, closes. Applied at
 * the same simulated instants, they re-run the session without the clients
 * or sockets, since lab/ is deterministic given its inputs. */
#ifndef QL_APP_LISTEN_REC_H
#define QL_APP_LISTEN_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum rec_kind {
    REC_ACCEPT, REC_INPUT, REC_WROTE, REC_CLOSED, REC_RELEASE,
    REC_FAULT,                  /* the dashboard's learner: "kill zk2" */
    REC_END,                    /* the dashboard session ended: the state's digest */
} rec_kind;

typedef struct rec {
    rec_kind kind;
    uint64_t at_us;             /* the world's time */
    int id;                     /* the hub's connection id (-1: refused) */
    int sid;                    /* accept: the server */
    size_t n;                   /* input: bytes; wrote: count */
    uint8_t *bytes;             /* input: owned */
    char text[160];             /* accept: the peer; closed: why; fault: the
                                 * fault; end: the digest line */
} rec;

/* Writes one record as a line; f NULL: nothing. */
void rec_write(FILE *f, const rec *r);

typedef struct rec_list { rec *v; int n, cap, next; } rec_list;

/* Loads the records of a trace file (other lines are skipped). False with
 * err when the file cannot be read or a record line is malformed. */
bool rec_load(const char *path, rec_list *out, char *err, size_t cap);
void rec_list_free(rec_list *l);

/* A dashboard session's faults and end, for --replay. */
typedef struct cluster cluster;
/* Applies a REC_FAULT line ("kill zk2", "split zk1,zk2 zk3"...) to w, as
 * the learner did. False with err for a line it cannot read. */
bool rec_fault_apply(cluster *w, const char *line, char *err, size_t cap);
/* The ensemble's state in one line: each server's role, last zxid and
 * sessions, and a digest of those and of every server's znode tree. */
void rec_digest(cluster *w, char *buf, size_t cap);

#endif
