/* catalog: the lessons a learner can pick, found in lessons/ (beside the
 * working directory, else beside the program), each with its title in
 * the learner's language. The picker shows them; `quorumlab --list`
 * prints them. No curses here. */
#include "viz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_path(const void *x, const void *y)
{
    return strcmp(((const viz_lesson *)x)->path, ((const viz_lesson *)y)->path);
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
    if (say && ((lang && strcmp(lang, "ko") == 0 && quoted_after(say, "ko", out, cap)) ||
                quoted_after(say, "en", out, cap)))
        return;
    const char *p = text;
    while (*p == '-' || *p == ' ') p++;
    snprintf(out, cap, "%.*s", (int)strcspn(p, "\r\n"), p);
}

static int scan(const char *dir, const char *lang, viz_lesson *e, int n, int cap)
{
    DIR *d = opendir(dir);
    if (!d) return n;
    struct dirent *de;
    int first = n;
    while ((de = readdir(d)) && n < cap) {
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

int viz_lessons_find(const char *argv0, const char *lang, viz_lesson *out, int cap)
{
    int n = scan("lessons", lang, out, 0, cap);
    if (n > 0) return n;
    /* not run from the source tree: beside the program */
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    if (!slash) return 0;
    char dir[400];
    snprintf(dir, sizeof dir, "%.*s/../lessons", (int)(slash - argv0), argv0);
    return scan(dir, lang, out, 0, cap);
}

/* Whether arg names the lesson file name: "05_odd_ensembles.lua", or
 * without ".lua", or without its number ("odd_ensembles"). */
static bool names_lesson(const char *name, const char *arg)
{
    size_t n = strlen(arg);
    const char *bare = strchr(name, '_');
    for (int i = 0; i < 2; i++) {
        const char *cand = i == 0 ? name : bare ? bare + 1 : NULL;
        if (!cand) continue;
        if (strcmp(cand, arg) == 0) return true;
        if (strncmp(cand, arg, n) == 0 && strcmp(cand + n, ".lua") == 0) return true;
    }
    return false;
}

int viz_lesson_pick(const char *arg, const viz_lesson *l, int n)
{
    if (!arg || !arg[0]) return -1;
    if (strspn(arg, "0123456789") == strlen(arg)) {
        long k = strtol(arg, NULL, 10);     /* as the picker numbers them */
        return strlen(arg) <= 4 && k >= 1 && k <= n ? (int)k - 1 : -1;
    }
    for (int i = 0; i < n; i++)
        if (names_lesson(l[i].name, arg) || strcmp(l[i].path, arg) == 0) return i;
    return -1;
}
