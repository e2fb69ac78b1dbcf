/* viz: the ncurses dashboard, as the program sees it: its options, one
 * entry point, and the lesson catalog (also what --list prints). app/
 * parses the command line and calls viz_main for every run that is not
 * --headless, --fuzz or --list. */
#ifndef QL_VIZ_H
#define QL_VIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lua_lab.h"

/* Real clients (app/listen.c): the dashboard moves their bytes once per
 * pass of its loop and keeps the world on the wall clock for them. */
typedef struct viz_live {
    /* moves bytes between the sockets and world w, now; NULL w: none yet.
     * Returns a line to show (listening began, or an error), or NULL. */
    const char *(*poll)(void *u, cluster *w);
    int (*clients)(void *u);        /* real client connections open */
    bool (*listening)(void *u);
    /* real client i (0, 1, ...): its node's name, the server it is
     * attached to and a line on it; false past the last */
    bool (*client)(void *u, int i, char *name, size_t namecap, char *server,
                   size_t servercap, char *line, size_t linecap);
    void *u;
} viz_live;

typedef struct viz_opts {
    bool sandbox;               /* --sandbox */
    int zookeepers;             /* --zookeepers N, 3 */
    int brokers;                /* --brokers N, 4 */
    bool kraft;                 /* --mode kraft: the controller quorum */
    bool compare;               /* --compare: a ZooKeeper-mode world left, a
                                   KRaft one right, every fault in both */
    uint64_t seed;              /* --seed N, 1 */
    bool seed_set;              /* --seed given: it overrides a lesson's */
    double speed;               /* --speed X, 10 */
    const char *lesson;         /* a LESSON.lua argument, or NULL */
    const char *lang;           /* --lang ko|en, NULL: from the locale */
    const char *trace_path;     /* --trace FILE: JSON Lines of every event */
    bool trust;                 /* --trust: full Lua standard library */
    size_t world_mem_max;       /* --mem-max: the heap budget; 0: 2 GB */
    viz_live live;              /* --listen: real clients (all NULL: none) */
    lab_live lab_hooks;         /* lab.listen{} in a lesson or :lua */
} viz_opts;

/* Runs the dashboard; returns the process exit status (2 without a
 * usable terminal). argv0 finds the lessons beside the program. */
int viz_main(const viz_opts *o, const char *argv0);

typedef struct viz_lesson {
    char path[512];             /* as found: "lessons/05_odd_ensembles.lua" */
    char name[64];              /* the file's name */
    char title[160];            /* its first lab.say, in the language asked */
} viz_lesson;

/* The lessons in lessons/ (beside the working directory, else beside the
 * program argv0), sorted by path, at most cap of them, titled in lang
 * ("ko", else English). Returns how many went to out. */
int viz_lessons_find(const char *argv0, const char *lang, viz_lesson *out, int cap);
/* --lesson ARG: the index in l[0..n) of the lesson ARG names: its number
 * as the picker shows it (1 the first lesson), its file name with or
 * without ".lua" or its number ("05_odd_ensembles", "odd_ensembles"),
 * or its path; -1 when none. */
int viz_lesson_pick(const char *arg, const viz_lesson *l, int n);

#endif
