/* app: the dashboard's options and its input loop. */
#ifndef QL_VIZ_APP_H
#define QL_VIZ_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct viz_opts {
    bool sandbox;               /* --sandbox */
    int zookeepers;             /* --zookeepers N, 3 */
    int brokers;                /* --brokers N, 4 once brokers exist */
    bool brokers_set;
    uint64_t seed;              /* --seed N, 1 */
    bool seed_set;              /* --seed given: it overrides a lesson's */
    double speed;               /* --speed X, 10 */
    const char *lesson;         /* a LESSON.lua argument, or NULL */
    const char *lang;           /* --lang ko|en, NULL: from the locale */
    const char *trace_path;     /* --trace FILE: JSON Lines of every event */
    bool trust;                 /* --trust: full Lua standard library */
} viz_opts;

/* Parses argv (argv[0] is the program). Returns false with a message in
 * err for an option it does not know or a value out of range. */
bool viz_opts_parse(int argc, char **argv, viz_opts *o, char *err, size_t cap);

/* The speeds + and - step through. */
double viz_speed_step(double speed, int dir);

#endif
