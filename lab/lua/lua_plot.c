/* lua_plot: lab.failover_plot{ measured = {...}, bench = "file" }: the
 * failover-time-against-partitions chart (see lua_plot.h). The x axis is
 * logarithmic (DECADE columns a decade), so 1k, 10k and 100k stand evenly
 * apart and a lesson's few partitions far to their left; each bar's
 * height is its seconds over the tallest, in eighths of a row. */
#include "lua_plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_args.h"
#include "lua_int.h"

enum {
    BAR_ROWS = 5,               /* the tallest bar's rows */
    ROWS = BAR_ROWS + 1,        /* and a row for its label */
    DECADE = 10,                /* columns a decade of partitions */
    BAR_W = 3,                  /* a bar's columns */
    GAP = 2,                    /* room for a 4-character label */
    GROUP = 2 * BAR_W + GAP,    /* ZooKeeper bar, a gap, KRaft bar */
    COLS = 72,
};

typedef struct grid {
    char cell[ROWS][COLS][4];   /* one character each, UTF-8 */
    int w;
} grid;

static const char *const eighths[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

static void put(grid *g, int row, int col, const char *ch)
{
    if (row < 0 || row >= ROWS || col < 0 || col >= COLS) return;
    snprintf(g->cell[row][col], sizeof g->cell[row][col], "%s", ch);
    if (col + 1 > g->w) g->w = col + 1;
}

/* A bar BAR_W columns wide at col, v seconds of vmax, its label above
 * (tenths below 100 s: the bench's figures as docs/failover.md has them).
 * Heights are in eighths of a row for every bar; a live bar is striped,
 * its middle column left empty, as the legend says: a shaded bar could
 * only be whole rows (no shaded eighths exist), so 10.9 s stood taller
 * than the bench's 12.9 s beside it. */
static void bar(grid *g, int col, double v, double vmax, bool live)
{
    if (v < 0) return;
    int h = (int)lround(v / vmax * BAR_ROWS * 8);
    if (h < 1 && v > 0) h = 1;          /* a bar for anything above 0 s */
    int full = h / 8, rem = h % 8, top = ROWS - 1 - full - (rem ? 1 : 0);
    for (int c = col; c < col + BAR_W; c++) {
        if (live && c == col + BAR_W / 2) continue;
        for (int k = 0; k < full; k++) put(g, ROWS - 1 - k, c, "█");
        if (rem) put(g, ROWS - 1 - full, c, eighths[rem - 1]);
    }
    char label[8];
    snprintf(label, sizeof label, v < 100 ? "%.1f" : "%.0f", v);
    for (int i = 0; label[i]; i++) {
        char ch[2] = { label[i], 0 };
        put(g, top, col + i, ch);
    }
}

static void count_text(int n, char *out, size_t cap)
{
    if (n >= 1000 && n % 1000 == 0) snprintf(out, cap, "%dk", n / 1000);
    else snprintf(out, cap, "%d", n);
}

static int by_partitions(const void *a, const void *b)
{
    const fo_point *x = a, *y = b;
    return (x->partitions > y->partitions) - (x->partitions < y->partitions);
}

/* Columns a UTF-8 string takes on a terminal: Hangul two, the rest one
 * (the chart's words are English or Korean, its marks box drawing). */
static int cols_of(const char *s)
{
    int c = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        bool hangul = *p == 0xEA || *p == 0xEB || *p == 0xEC || (*p == 0xED && p[1] < 0x9F);
        c += hangul ? 2 : 1;
    }
    return c;
}

/* Appends a string; false once out is full. */
static bool add(char *out, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > cap) return false;
    memcpy(out + *len, s, n + 1);
    *len += n;
    return true;
}

int fo_chart(const fo_point *pin, int n, const char *lang, char *out, size_t cap)
{
    if (n < 1 || n > FO_POINTS_MAX || cap < 1) return -1;
    bool ko = lang && strcmp(lang, "ko") == 0;
    fo_point p[FO_POINTS_MAX];
    memcpy(p, pin, (size_t)n * sizeof *p);
    qsort(p, (size_t)n, sizeof *p, by_partitions);
    double vmax = 0;
    for (int i = 0; i < n; i++) {
        if (p[i].zk_s > vmax) vmax = p[i].zk_s;
        if (p[i].kraft_s > vmax) vmax = p[i].kraft_s;
    }
    if (vmax <= 0 || p[0].partitions < 1) return -1;
    grid *g = calloc(1, sizeof *g);
    int x[FO_POINTS_MAX];
    double l0 = floor(log10(p[0].partitions));
    for (int i = 0; i < n; i++) {
        x[i] = 1 + (int)lround((log10(p[i].partitions) - l0) * DECADE);
        if (i && x[i] < x[i - 1] + GROUP + 1) x[i] = x[i - 1] + GROUP + 1;
        if (x[i] + GROUP + 1 >= COLS) { free(g); return -1; }
        bar(g, x[i], p[i].zk_s, vmax, p[i].live);
        bar(g, x[i] + BAR_W + GAP, p[i].kraft_s, vmax, p[i].live);
    }
    size_t len = 0;
    out[0] = '\0';
    bool ok = add(out, cap, &len, ko ? "장애 조치 시간(초): 크래시부터 첫 리더 변경까지\n"
                                     : "failover time, s: from the crash to the first leader change\n");
    for (int r = 0; r < ROWS && ok; r++) {
        ok = add(out, cap, &len, "│");
        int last = 0;                           /* no trailing spaces */
        for (int c = 0; c < g->w; c++) if (g->cell[r][c][0]) last = c + 1;
        for (int c = 0; c < last && ok; c++)
            ok = add(out, cap, &len, g->cell[r][c][0] ? g->cell[r][c] : " ");
        ok = ok && add(out, cap, &len, "\n");
    }
    /* the axis, each count written where its bars stand */
    char axis[COLS][8];
    int aw = x[n - 1] + GROUP + 1;
    for (int c = 0; c < aw; c++) snprintf(axis[c], sizeof axis[c], "─");
    for (int i = 0; i < n; i++) {
        char t[16];
        count_text(p[i].partitions, t, sizeof t);
        for (int k = 0; t[k] && x[i] + k < aw; k++) snprintf(axis[x[i] + k], sizeof axis[0], "%c", t[k]);
    }
    ok = ok && add(out, cap, &len, "└");        /* under the rows' │ */
    for (int c = 0; c < aw && ok; c++) ok = add(out, cap, &len, axis[c]);
    /* the axis's unit after it when the row stays within FO_COLS, else
     * the legend's first item */
    const char *unit = ko ? " 파티션 (로그 눈금)" : " partitions (log scale)";
    bool unit_after = 1 + aw + cols_of(unit) <= FO_COLS;
    if (unit_after) ok = ok && add(out, cap, &len, unit);
    ok = ok && add(out, cap, &len, "\n");
    bool any_live = false, any_bench = false;
    for (int i = 0; i < n; i++) { any_live |= p[i].live; any_bench |= !p[i].live; }
    const char *items[4];
    int ni = 0;
    if (!unit_after) items[ni++] = ko ? "가로축: 파티션 (로그 눈금)" : "x axis: partitions (log scale)";
    items[ni++] = ko ? "왼쪽 막대 주키퍼 모드, 오른쪽 KRaft" : "left bar ZooKeeper mode, right bar KRaft";
    if (any_bench) items[ni++] = ko ? "███ make bench (브로커 5대, 시뮬레이션 시간)"
                                    : "███ make bench (5 brokers, simulated time)";
    if (any_live) items[ni++] = ko ? "█ █ 이 레슨에서 지금 잰 값" : "█ █ measured in this lesson now";
    /* the legend's items joined by "; ", a new line where one would pass
     * FO_COLS (a line broken inside an item would split its mark from
     * its words) */
    int col = 0;
    for (int i = 0; i < ni && ok; i++) {
        int w = cols_of(items[i]) + (i + 1 < ni);       /* its ';' */
        if (i > 0 && col + 1 + w > FO_COLS) {
            ok = add(out, cap, &len, "\n");
            col = 0;
        } else if (i > 0) {
            ok = add(out, cap, &len, " ");
            col++;
        }
        ok = ok && add(out, cap, &len, items[i]);
        if (i + 1 < ni) ok = ok && add(out, cap, &len, ";");
        col += w;
    }
    free(g);
    return ok ? (int)len : -1;
}

int fo_read_bench(const char *path, fo_point *out, int cap, char *err, size_t errcap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errcap, "cannot read the bench figures %s", path);
        return -1;
    }
    char line[256];
    int n = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        fo_point pt = { 0, -1, -1, false };
        if (sscanf(line, "%d %lf %lf", &pt.partitions, &pt.zk_s, &pt.kraft_s) != 3 ||
            pt.partitions < 1 || n >= cap) {
            snprintf(err, errcap, "%s:%d: not 'partitions zk_s kraft_s' (or over %d rows)",
                     path, lineno, cap);
            fclose(f);
            return -1;
        }
        out[n++] = pt;
    }
    fclose(f);
    return n;
}

/* --- the Lua call --- */

static const lab_key point_key_list[] = {
    LAB_INT("partitions", 1, 10000000),
    LAB_NUM("zk", 0, 100000),
    LAB_NUM("kraft", 0, 100000),
    LAB_END,
};
static const lab_keys point_keys = { "lab.failover_plot measured", "field", { point_key_list } };

static const lab_key plot_key_list[] = {
    LAB_ANY("measured"),
    LAB_ANY("bench"),
    LAB_END,
};
static const lab_keys plot_keys = { "lab.failover_plot", "field", { plot_key_list } };

static double num_field(lua_State *L, int idx, const char *k)
{
    lua_getfield(L, idx, k);
    double v = lua_isnil(L, -1) ? -1 : lua_tonumber(L, -1);
    lua_pop(L, 1);
    return v;
}

/* The bench file: a name beside the calling script (lessons/ for a
 * lesson), as the script itself was found. */
static void bench_path(lua_State *L, const char *name, char *out, size_t cap)
{
    lua_Debug ar;
    const char *src = NULL;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "S", &ar);
        if (ar.source[0] == '@') { src = ar.source + 1; break; }
    }
    const char *slash = src ? strrchr(src, '/') : NULL;
    if (name[0] == '/' || !src) snprintf(out, cap, "%s%s", src ? "" : "lessons/", name);
    else if (!slash) snprintf(out, cap, "%s", name);
    else snprintf(out, cap, "%.*s/%s", (int)(slash - src), src, name);
}

/* The measured points: one { partitions, zk, kraft } or a list of them. */
static int read_measured(lua_State *L, int idx, fo_point *p, int at)
{
    idx = lua_absindex(L, idx);
    luaL_argexpected(L, lua_istable(L, idx), 1, "measured = { partitions = n, zk = s, kraft = s }");
    lua_getfield(L, idx, "partitions");
    bool one = !lua_isnil(L, -1);
    lua_pop(L, 1);
    int n = one ? 1 : (int)lua_rawlen(L, idx);
    for (int i = 0; i < n; i++) {
        if (at >= FO_POINTS_MAX) luaL_error(L, "lab.failover_plot: at most %d points", FO_POINTS_MAX);
        if (!one) lua_rawgeti(L, idx, i + 1);
        else lua_pushvalue(L, idx);
        luaL_argexpected(L, lua_istable(L, -1), 1, "measured = { partitions = n, zk = s, kraft = s }");
        lab_check_table(L, -1, &point_keys);
        lua_getfield(L, -1, "partitions");
        if (lua_isnil(L, -1)) luaL_error(L, "lab.failover_plot measured: partitions is needed");
        p[at].partitions = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        p[at].zk_s = num_field(L, -1, "zk");
        p[at].kraft_s = num_field(L, -1, "kraft");
        p[at].live = true;
        at++;
        lua_pop(L, 1);
    }
    return at;
}

static int l_failover_plot(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    fo_point p[FO_POINTS_MAX];
    int n = 0;
    const char *bench = "failover_bench.tsv";
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        lab_check_table(L, 1, &plot_keys);
        lua_getfield(L, 1, "bench");
        if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) bench = NULL;
        else if (!lua_isnil(L, -1)) bench = luaL_checkstring(L, -1);
        lua_getfield(L, 1, "measured");
        if (!lua_isnil(L, -1)) n = read_measured(L, -1, p, n);
        lua_pop(L, 1);
    }
    if (bench) {
        char path[512], err[600];
        bench_path(L, bench, path, sizeof path);
        int k = fo_read_bench(path, p + n, FO_POINTS_MAX - n, err, sizeof err);
        if (k < 0) return luaL_error(L, "lab.failover_plot: %s", err);
        n += k;
    }
    if (n == 0) return luaL_error(L, "lab.failover_plot: nothing to plot");
    char out[1024];
    if (fo_chart(p, n, ctx->lang, out, sizeof out) < 0)
        return luaL_error(L, "lab.failover_plot: nothing above 0 s to draw, or more "
                          "partition counts than the chart's width holds");
    lua_pushstring(L, out);
    return 1;
}

void lab_plot_open(lua_State *L)
{
    lua_pushcfunction(L, l_failover_plot);
    lua_setfield(L, -2, "failover_plot");
}
