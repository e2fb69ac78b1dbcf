/* view: the learner's choices of what to look at. */
#include "view.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void viz_view_init(viz_view *v, int w, int h)
{
    memset(v, 0, sizeof *v);
    v->w = w;
    v->h = h;
    v->focus = VF_NODES;
    viz_msg_filter_default(&v->msgf);
}

void viz_view_free(viz_view *v)
{
    for (int i = 0; i < v->ntoggled; i++) free(v->toggled[i]);
    free(v->toggled);
    v->toggled = NULL;
    v->ntoggled = v->toggled_cap = 0;
}

static int find_toggle(const viz_view *v, const char *path)
{
    for (int i = 0; i < v->ntoggled; i++)
        if (strcmp(v->toggled[i], path) == 0) return i;
    return -1;
}

bool viz_view_open(const viz_view *v, const char *path, int depth)
{
    bool dflt = depth < VIZ_FOLD_DEPTH;
    return find_toggle(v, path) >= 0 ? !dflt : dflt;
}

void viz_view_toggle(viz_view *v, const char *path)
{
    int i = find_toggle(v, path);
    if (i >= 0) {
        free(v->toggled[i]);
        v->toggled[i] = v->toggled[--v->ntoggled];
        return;
    }
    VEC_GROW(v->toggled, v->ntoggled, v->toggled_cap);
    v->toggled[v->ntoggled++] = xstrdup(path);
}

void viz_view_status(viz_view *v, viz_role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->status, sizeof v->status, fmt, ap);
    va_end(ap);
    v->status_role = role;
}

void viz_view_error(viz_view *v, bool lesson, const char *msg)
{
    snprintf(v->error, sizeof v->error, "%s", msg);
    v->error_lesson = lesson;
    v->error_open = true;
    v->help = false;
}
