/* picker: what `quorumlab` alone opens: the sandbox and the lessons found
 * in lessons/ (beside the working directory, else beside the program),
 * each with the title from its first comment line. */
#include "app_int.h"
#include "draw.h"
#include "text.h"
#include "words.h"

#include "curses_wrap.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PICK_MAX 32

typedef struct entry {
    char path[512];             /* "" for the sandbox */
    char title[160];
} entry;

static int by_path(const void *x, const void *y)
{
    return strcmp(((const entry *)x)->path, ((const entry *)y)->path);
}

/* The title of a lesson: its first line without the comment dashes. */
static void title_of(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    char line[256] = "";
    if (f) {
        if (!fgets(line, sizeof line, f)) line[0] = '\0';
        fclose(f);
    }
    char *p = line;
    while (*p == '-' || *p == ' ') p++;
    p[strcspn(p, "\r\n")] = '\0';
    const char *slash = strrchr(path, '/');
    snprintf(out, cap, "%-22.60s %.90s", slash ? slash + 1 : path, p);
}

static int scan(const char *dir, entry *e, int n)
{
    DIR *d = opendir(dir);
    if (!d) return n;
    struct dirent *de;
    int first = n;
    while ((de = readdir(d)) && n < PICK_MAX) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".lua") != 0) continue;
        snprintf(e[n].path, sizeof e[n].path, "%s/%s", dir, de->d_name);
        title_of(e[n].path, e[n].title, sizeof e[n].title);
        n++;
    }
    closedir(d);
    qsort(e + first, (size_t)(n - first), sizeof *e, by_path);
    return n;
}

static void draw(app *a, const entry *e, int n, int sel)
{
    viz_frame *f = a->frame;
    viz_frame_resize(f, a->view.w, a->view.h);
    viz_rect r = { 0, 0, a->view.w, a->view.h };
    viz_panel_title(f, r, viz_tr(a->lang, "PICK A LESSON  (arrows, enter; q quits)"));
    for (int i = 0; i < n && i + 2 < a->view.h; i++) {
        viz_role role = i == sel ? VR_SELECT : VR_NORMAL;
        viz_frame_fill(f, i + 2, 1, a->view.w - 1, role);
        viz_frame_putf(f, i + 2, 2, a->view.w - 1, role, "%s %s", i == sel ? ">" : " ",
                       e[i].path[0] ? e[i].title
                                    : viz_tr(a->lang, "Sandbox: free play (3 servers, 4 brokers, topic orders)"));
    }
    viz_draw(f);
}

const char *picker_run(app *a, const char *argv0)
{
    static entry e[PICK_MAX];
    int n = 1;
    e[0].path[0] = '\0';
    n = scan("lessons", e, n);
    if (n == 1) {           /* not run from the source tree: beside the program */
        char dir[400];
        const char *slash = strrchr(argv0, '/');
        if (slash) {
            snprintf(dir, sizeof dir, "%.*s/../lessons", (int)(slash - argv0), argv0);
            n = scan(dir, e, n);
        }
    }
    int sel = n > 1 ? 1 : 0;    /* the first lesson */
    for (;;) {
        draw(a, e, n, sel);
        wint_t ch;
        timeout(-1);
        int r = get_wch(&ch);
        if (r == KEY_CODE_YES) {
            if (ch == KEY_UP) sel = (sel + n - 1) % n;
            else if (ch == KEY_DOWN) sel = (sel + 1) % n;
            else if (ch == KEY_ENTER) return e[sel].path;
            else if (ch == KEY_RESIZE) getmaxyx(stdscr, a->view.h, a->view.w);
        } else if (r == OK) {
            if (ch == 'q' || ch == 'Q' || ch == 27 || ch == 3) return NULL;  /* 3: C-c */
            if (ch == '\n' || ch == '\r' || ch == ' ') return e[sel].path;
            if (ch == 'k') sel = (sel + n - 1) % n;
            if (ch == 'j' || ch == '\t') sel = (sel + 1) % n;
            if (ch == 's') return "";
            if (ch >= L'0' && ch <= L'9' && (int)(ch - L'0') < n) sel = (int)(ch - L'0');
        }
    }
}
