/* opts: quorumlab's command line: one parser filling one struct for every
 * mode (dashboard, headless, fuzz, list) and one usage text. */
#ifndef QL_APP_OPTS_H
#define QL_APP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum ql_mode {
    QL_DASHBOARD,               /* no mode flag: the picker, a lesson or --sandbox */
    QL_HEADLESS,                /* --headless FILE */
    QL_FUZZ,                    /* --fuzz N */
    QL_LIST,                    /* --list: the lessons and their titles */
    QL_HELP,                    /* --help, -h */
    QL_VERSION                  /* --version */
} ql_mode;

typedef struct ql_opts {
    ql_mode mode;
    const char *script;         /* --headless FILE, or the dashboard's LESSON.lua */
    uint64_t seed;              /* --seed N (1 unless seed_set) */
    bool seed_set;
    const char *trace_path;     /* --trace FILE, or NULL */
    const char *lang;           /* --lang en|ko, NULL: from the locale */
    bool trust;                 /* --trust */
    size_t world_mem_max;       /* --mem-max MB, in bytes; 0: the lab's 2 GB */
    /* the dashboard */
    bool sandbox;               /* --sandbox */
    int zookeepers;             /* --zookeepers N, 3 */
    int brokers;                /* --brokers N, 4 */
    bool kraft;                 /* --mode kraft */
    bool compare;               /* --compare: ZooKeeper mode and KRaft side by side */
    double speed;               /* --speed X, 10 */
    /* the fuzzer */
    uint64_t fuzz_count;        /* --fuzz N */
    bool fuzz_unsafe;           /* --fuzz-unsafe */
    bool fuzz_keep_going;       /* --fuzz-keep-going */
    /* real clients (dashboard and headless) */
    bool listen;                /* --listen [ADDR] */
    const char *listen_addr;    /* its ADDR, NULL: 127.0.0.1 */
    int zk_port;                /* --zk-port BASE, 0: 2181 */
    int kafka_port;             /* --kafka-port BASE, 0: 9092 */
    const char *replay_path;    /* --replay TRACE (headless), or NULL */
    const char *lesson_pick;    /* --lesson N|NAME (the dashboard), or NULL */
} ql_opts;

/* Parses argv (argv[0] is the program) into o, defaults first. Returns
 * false with one line in err (no newline) for an unknown option, a
 * missing or bad value, or options that do not go together. */
bool ql_opts_parse(int argc, char **argv, ql_opts *o, char *err, size_t cap);

/* The usage text, every option explained. */
void ql_usage(FILE *f, const char *argv0);
/* After a command-line error: the usage's first lines, where --help
 * explains the rest, then the error itself last, where it stays in view. */
void ql_usage_error(FILE *f, const char *argv0, const char *err);

#endif
