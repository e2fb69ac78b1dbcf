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
    char name[64];              /* the file's name */
    char title[160];
} entry;

static int by_path(const void *x, const void *y)
{
    return strcmp(((const entry *)x)->path, ((const entry *)y)->path);
}

/* The string after `key = "` in text, up to its closing quote, into out;
 * false when there is none. */
static bool quoted_after(const char *text, const char *key, char *out, size_t cap)
{
    char pat[16];
    snprintf(pat, sizeof pat, "%s = \"", key);
    const char *p = strstr(text, pat);
    if (!p) return false;
    p += strlen(pat);
    size_t n = 0;
    while (p[n] && p[n] != '"' && p[n] != '\n' && p[n] != '\\') n++;
    if (p[n] != '"' || n == 0) return false;
    snprintf(out, cap, "%.*s", (int)n, p);
    return true;
}

/* The title of a lesson in the learner's language: the text of its first
 * lab.say (lessons open with their title there, in English and Korean);
 * else its first comment line, which may run on into the next. */
static void title_of(const char *path, const char *lang, char *out, size_t cap)
{
    char text[4096];
    size_t len = 0;
    FILE *f = fopen(path, "r");
    if (f) {
        len = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    text[len] = '\0';
    const char *say = strstr(text, "lab.say");
    if (say && ((strcmp(lang, "ko") == 0 && quoted_after(say, "ko", out, cap)) ||
                quoted_after(say, "en", out, cap)))
        return;
    const char *p = text;
    while (*p == '-' || *p == ' ') p++;
    snprintf(out, cap, "%.*s", (int)strcspn(p, "\r\n"), p);
}

static int scan(const char *dir, const char *lang, entry *e, int n)
{
    DIR *d = opendir(dir);
    if (!d) return n;
    struct dirent *de;
    int first = n;
    while ((de = readdir(d)) && n < PICK_MAX) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".lua") != 0) continue;
        snprintf(e[n].path, sizeof e[n].path, "%s/%s", dir, de->d_name);
        snprintf(e[n].name, sizeof e[n].name, "%.60s", de->d_name);
        title_of(e[n].path, lang, e[n].title, sizeof e[n].title);
        n++;
    }
    closedir(d);
    qsort(e + first, (size_t)(n - first), sizeof *e, by_path);
    return n;
}

/* A title that does not fit ends in "…", so it reads as cut. */
static void title_put(viz_frame *f, int row, int col, int end, viz_role role,
                      const char *title)
{
    if (col + text_width(title) <= end) {
        viz_frame_put(f, row, col, end, role, title);
        return;
    }
    char cut[200];
    text_fit(title, end - col - 1, cut, sizeof cut);
    col = viz_frame_put(f, row, col, end, role, cut);
    viz_frame_put(f, row, col, end, role, "…");
}

static void draw(app *a, const entry *e, int n, int sel)
{
    viz_frame *f = a->frame;
    viz_frame_resize(f, a->view.w, a->view.h);
    viz_rect r = { 0, 0, a->view.w, a->view.h };
    viz_panel_title(f, r, viz_tr(a->lang, "PICK A LESSON  (arrows, enter; q quits)"));
    int namew = 0;          /* titles line up after the longest name */
    for (int i = 0; i < n; i++)
        if (text_width(e[i].name) > namew) namew = text_width(e[i].name);
    for (int i = 0; i < n && i + 2 < a->view.h; i++) {
        viz_role role = i == sel ? VR_SELECT : VR_NORMAL;
        int end = a->view.w - 1;
        viz_frame_fill(f, i + 2, 1, end, role);
        int col = viz_frame_put(f, i + 2, 2, end, role, i == sel ? "> " : "  ");
        if (!e[i].path[0]) {
            viz_frame_put(f, i + 2, col, end, role,
                          viz_tr(a->lang, "Sandbox: free play (3 servers, 4 brokers, topic orders)"));
            continue;
        }
        viz_frame_put(f, i + 2, col, end, role, e[i].name);
        title_put(f, i + 2, col + namew + 2, end, role, e[i].title);
    }
    /* a cut title of the chosen lesson shows whole under the list */
    int tx = 4 + namew + 2, below = n + 3;
    if (sel > 0 && tx + text_width(e[sel].title) > a->view.w - 1 && below < a->view.h)
        viz_frame_put(f, below, 4, a->view.w - 1, VR_DIM, e[sel].title);
    viz_draw(f);
}

const char *picker_run(app *a, const char *argv0)
{
    static entry e[PICK_MAX];
    int n = 1;
    e[0].path[0] = '\0';
    n = scan("lessons", a->lang, e, n);
    if (n == 1) {           /* not run from the source tree: beside the program */
        char dir[400];
        const char *slash = strrchr(argv0, '/');
        if (slash) {
            snprintf(dir, sizeof dir, "%.*s/../lessons", (int)(slash - argv0), argv0);
            n = scan(dir, a->lang, e, n);
        }
    }
    int sel = n > 1 ? 1 : 0;    /* the first lesson */
    for (;;) {
        draw(a, e, n, sel);
        wint_t ch;
        timeout(-1);
        int r = get_wch(&ch);
        if (r == ERR && app_must_leave()) return NULL;  /* signal, or no tty */
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
