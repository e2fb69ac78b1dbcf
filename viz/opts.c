/* opts: the dashboard's command-line options. */
#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100,
                                 200, 500, 1000 };

double viz_speed_step(double speed, int dir)
{
    int n = (int)(sizeof speeds / sizeof speeds[0]);
    if (dir > 0) {
        for (int i = 0; i < n; i++) if (speeds[i] > speed * 1.001) return speeds[i];
        return speeds[n - 1];
    }
    for (int i = n - 1; i >= 0; i--) if (speeds[i] < speed * 0.999) return speeds[i];
    return speeds[0];
}

static bool number(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!s) return false;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

bool viz_opts_parse(int argc, char **argv, viz_opts *o, char *err, size_t cap)
{
    memset(o, 0, sizeof *o);
    o->zookeepers = 3;
    o->brokers = 4;
    o->seed = 1;
    o->speed = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
        if (strcmp(a, "--sandbox") == 0) {
            o->sandbox = true;
        } else if (strcmp(a, "--zookeepers") == 0) {
            if (!number(val, 1, 15, &v)) { snprintf(err, cap, "--zookeepers takes 1 to 15"); return false; }
            o->zookeepers = (int)v; i++;
        } else if (strcmp(a, "--brokers") == 0) {
            if (!number(val, 0, 100, &v)) { snprintf(err, cap, "--brokers takes 0 to 100"); return false; }
            o->brokers = (int)v; o->brokers_set = true; i++;
        } else if (strcmp(a, "--seed") == 0) {
            char *end;
            if (!val) { snprintf(err, cap, "--seed takes a number"); return false; }
            errno = 0;
            unsigned long long s = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-') {
                snprintf(err, cap, "--seed takes a number"); return false;
            }
            o->seed = s; o->seed_set = true; i++;
        } else if (strcmp(a, "--speed") == 0) {
            char *end;
            double s = val ? strtod(val, &end) : 0;
            if (!val || end == val || *end || !(s >= 0.1 && s <= 1000)) {
                snprintf(err, cap, "--speed takes 0.1 to 1000"); return false;
            }
            o->speed = s; i++;
        } else if (strcmp(a, "--lang") == 0) {
            if (!val || (strcmp(val, "ko") && strcmp(val, "en"))) {
                snprintf(err, cap, "--lang takes ko or en"); return false;
            }
            o->lang = val; i++;
        } else if (strcmp(a, "--trace") == 0) {
            if (!val) { snprintf(err, cap, "--trace takes a file"); return false; }
            o->trace_path = val; i++;
        } else if (strcmp(a, "--trust") == 0) {
            o->trust = true;
        } else if (a[0] != '-' && !o->lesson) {
            o->lesson = a;
        } else {
            snprintf(err, cap, "unknown option '%s'", a);
            return false;
        }
    }
    return true;
}
