/* lua_lab: the controller object: its Lua state, the one world it drives
 * at a time, the run loop every blocking call shares, and the delivery of
 * watch callbacks between events (never from inside a sim callback). */
#include "lua_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

lab_lua *lab_ctx(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

cluster *lab_world(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    if (!ctx->world)
        luaL_error(L, "no world yet: call lab.cluster{ zookeepers = 3 } first");
    return ctx->world;
}

int lab_node_value(lua_State *L, int idx, int arg)
{
    cluster *w = lab_world(L);
    char name[QL_QUOTE_CAP];     /* a name too long for any node, cut: it
                                 * resolves to nothing and quotes short */
    if (lua_type(L, idx) == LUA_TNUMBER && lua_isinteger(L, idx))
        snprintf(name, sizeof name, "%lld", (long long)lua_tointeger(L, idx));
    else if (lua_type(L, idx) == LUA_TSTRING)
        ql_quote(name, sizeof name, lua_tostring(L, idx), lua_rawlen(L, idx));
    else
        return luaL_argerror(L, arg, lua_pushfstring(L,
            "node name or number expected, got %s", luaL_typename(L, idx)));
    char err[256];
    int node = cluster_resolve(w, name, NULL, err, sizeof err);
    if (node < 0) return luaL_argerror(L, arg, lua_pushstring(L, err));
    return node;
}

int lab_check_node(lua_State *L, int arg)
{
    return lab_node_value(L, arg, arg);
}

/* --- the world --- */

static void pending_clear(lab_lua *ctx)
{
    for (size_t i = 0; i < ctx->npend; i++) {
        luaL_unref(ctx->L, LUA_REGISTRYINDEX, ctx->pend[i].ref);
        free(ctx->pend[i].path);
    }
    ctx->npend = 0;
}

/* Frees the world and everything that pointed into it. Handles the script
 * still holds notice through ctx->gen. */
static void world_end(lab_lua *ctx, bool release)
{
    if (!ctx->world) return;
    if (ctx->swapped) {         /* lab.cluster inside lab.on: both go */
        cluster *w = ctx->world;
        ctx->world = ctx->twin;
        ctx->twin = w;
        ctx->swapped = false;
    }
    if (ctx->twin && ctx->o.live.drop) ctx->o.live.drop(ctx->o.live.u, ctx->twin);
    if (release) cluster_free(ctx->twin);
    ctx->twin = NULL;
    ctx->labels[0][0] = ctx->labels[1][0] = '\0';
    if (ctx->o.live.drop) ctx->o.live.drop(ctx->o.live.u, ctx->world);
    if (release) cluster_free(ctx->world);  /* no callback runs after this */
    ctx->world = NULL;
    for (int i = 0; i < ctx->nsess; i++) lab_sess_free(ctx, ctx->sess[i]);
    ctx->nsess = 0;
    while (ctx->calls) lab_call_free(ctx, ctx->calls);
    pending_clear(ctx);
    ctx->gen++;
}

static void world_free(lab_lua *ctx) { world_end(ctx, true); }

/* The first world (left), whichever lab.on has made current. */
static cluster *first_world(const lab_lua *ctx) { return ctx->swapped ? ctx->twin : ctx->world; }
static cluster *second_world(const lab_lua *ctx) { return ctx->swapped ? ctx->world : ctx->twin; }

static void forward(lab_lua *ctx, cluster *w, const trace_event *ev)
{
    if (ev->kind == TR_VIOLATION) {
        ctx->violated = true;
        ctx->failed++;
    }
    if (ctx->o.out.event && !ctx->own_emit && w)
        ctx->o.out.event(ctx->o.out.u, sim_trace(cluster_sim(w)), ev);
}

static void on_event(void *u, const trace_event *ev)
{
    lab_lua *ctx = u;
    if (ev->kind == TR_FAULT) ctx->faults++;
    forward(ctx, first_world(ctx), ev);
}

/* What on_event and on_twin_event look at: faults and violations, and
 * what the frontend asks for */
static uint32_t world_kinds(const lab_lua *ctx)
{
    uint32_t out = !ctx->o.out.event ? 0
                   : ctx->o.out.event_kinds ? ctx->o.out.event_kinds : TRACE_ALL_KINDS;
    return out | TRACE_KIND(TR_FAULT) | TRACE_KIND(TR_VIOLATION);
}

static void on_twin_event(void *u, const trace_event *ev)
{
    lab_lua *ctx = u;
    forward(ctx, second_world(ctx), ev);
}

const char *lab_world_replace(lab_lua *ctx, const cluster_config *cfg,
                              char *err, size_t cap)
{
    cluster *w = cluster_new(cfg, err, cap);
    if (!w) return err;
    world_free(ctx);
    ctx->world = w;
    ctx->seed = cfg->seed;
    rng_seed(&ctx->rnd, cfg->seed);
    trace *t = sim_trace(cluster_sim(w));
    if (ctx->o.trace_jsonl) trace_set_jsonl(t, ctx->o.trace_jsonl);
    trace_listen_kinds(t, world_kinds(ctx), on_event, ctx);
    return NULL;
}

const char *lab_world_twin(lab_lua *ctx, const cluster_config *cfg, char *err, size_t cap)
{
    cluster *w = cluster_new(cfg, err, cap);
    if (!w) return err;
    ctx->twin = w;
    cluster_twin(ctx->world, w);
    /* the trace file keeps the first world's run alone: a replay of one
     * world stays byte-identical */
    trace_listen_kinds(sim_trace(cluster_sim(w)), world_kinds(ctx), on_twin_event, ctx);
    return NULL;
}

void lab_emit_own(lab_lua *ctx, trace_kind kind, uint64_t a, const char *text)
{
    if (!ctx->world) return;
    ctx->own_emit = true;
    trace_emit(sim_trace(cluster_sim(ctx->world)), kind, -1, -1, a, 0, "%s", text);
    ctx->own_emit = false;
}

/* --- the run loop --- */

/* Runs queued watch callbacks, oldest first. Each is taken off the queue
 * before it runs, so a callback may block (and queue more) safely. */
static void deliver_pending(lua_State *L, lab_lua *ctx)
{
    while (ctx->npend > 0) {
        lab_pending p = ctx->pend[0];
        memmove(ctx->pend, ctx->pend + 1, (ctx->npend - 1) * sizeof *ctx->pend);
        ctx->npend--;
        lua_rawgeti(L, LUA_REGISTRYINDEX, p.ref);
        luaL_unref(L, LUA_REGISTRYINDEX, p.ref);
        lua_pushstring(L, zevent_name(p.ev));
        lua_pushstring(L, p.path);
        free(p.path);
        lua_call(L, 2, 0);
    }
}

static void check_world(lua_State *L, lab_lua *ctx, uint64_t gen)
{
    if (ctx->gen != gen)
        luaL_error(L, "lab.cluster was called inside a run: the world it ran is gone");
    if (sim_halted(cluster_sim(ctx->world)) || (ctx->twin && sim_halted(cluster_sim(ctx->twin))))
        luaL_error(L, "invariant violated (seed %I): the run stops here",
                   (lua_Integer)ctx->seed);
}

size_t lab_world_mem_cap(const lab_lua *ctx)
{
    return ctx->o.world_mem_max ? ctx->o.world_mem_max : LAB_WORLD_MEM_DEFAULT;
}

/* "Put a limit on everything": a script that makes the world grow without
 * end (a million znodes, a topic per loop turn) stops with this error
 * instead of taking the machine. The process is counted whole (world, Lua
 * heap, trace). */
void lab_check_world_mem(lua_State *L, bool call)
{
    lab_lua *ctx = lab_ctx(L);
    uint64_t now = sim_now_us(cluster_sim(lab_world(L)));
    /* a new world's clock starts again at 0 */
    bool waited = now < ctx->world_mem_at_us
                  || now - ctx->world_mem_at_us >= LAB_WORLD_MEM_SIM_US;
    if (call ? ++ctx->world_mem_calls < LAB_WORLD_MEM_CALLS && !waited
             : ++ctx->world_mem_steps < LAB_WORLD_MEM_EVERY || !waited)
        return;
    ctx->world_mem_steps = ctx->world_mem_calls = 0;
    ctx->world_mem_at_us = now;
    size_t used = ql_mem_bytes();
    if (used <= ctx->world_mem_max) return;
    luaL_error(L, "the world grew past its memory budget: %d MB in use, the budget is "
               "%d MB (--mem-max MB sets it; lab.cluster{ memory_mb = N } lowers it)",
               (int)((used + (1u << 20) - 1) >> 20), (int)(ctx->world_mem_max >> 20));
}

bool lab_advance(lua_State *L, uint64_t until_us, lab_stop_fn stop, void *u)
{
    lab_lua *ctx = lab_ctx(L);
    sim *s = cluster_sim(lab_world(L));
    uint64_t gen = ctx->gen;
    if (until_us > LAB_SIM_MAX_MS * 1000)
        luaL_error(L, "a world runs at most %I simulated ms (asked to reach %I)",
                   (lua_Integer)LAB_SIM_MAX_MS, (lua_Integer)(until_us / 1000));
    lab_check_world_mem(L, true);
    for (;;) {
        deliver_pending(L, ctx);
        check_world(L, ctx, gen);
        lab_check_world_mem(L, false);
        if (stop && stop(L, u)) return true;
        check_world(L, ctx, gen);
        if (sim_now_us(s) >= until_us) return false;
        uint64_t next, tnext;
        if (!sim_next_time(s, &next) || next > until_us) next = until_us;
        /* two worlds compared run in step: the sooner event first */
        sim *t = ctx->twin ? cluster_sim(ctx->twin) : NULL;
        if (t && sim_next_time(t, &tnext) && tnext < next && tnext > sim_now_us(s))
            next = tnext;
        if (ctx->driver && !ctx->driving) {
            uint64_t faults = ctx->faults;
            ctx->driving = true;
            bool go = ctx->driver(ctx->driver_u, next);
            ctx->driving = false;
            if (!go) luaL_error(L, "stopped by the dashboard");
            check_world(L, ctx, gen);   /* the learner may have acted */
            /* a fault of the learner's (a key, a command): stop is asked
             * again at its instant, before time runs on, so a task it
             * does is done when the events panel's fault: line says,
             * not at the next event (an isolation schedules none) */
            if (ctx->faults != faults) continue;
            /* and made something due before next: paced to that first */
            uint64_t sooner;
            if (sim_next_time(s, &sooner) && sooner < next) continue;
        } else if (ctx->o.live.pace) {
            char err[200];
            int r = ctx->o.live.pace(ctx->o.live.u, ctx->world, next, err, sizeof err);
            if (r < 0) luaL_error(L, "%s", err);
            /* real clients' bytes came in: the script's conditions and
             * the next event are looked at again before time runs on */
            if (r > 0) continue;
        }
        sim_run_until(s, next);
        if (t) sim_run_until(t, next);
    }
}

/* --- the host API --- */

lab_lua *lab_lua_new(const lab_opts *o)
{
    lab_lua *ctx = xcalloc(1, sizeof *ctx);
    ctx->o = *o;
    ctx->lang = o->lang ? o->lang : lab_default_lang();
    ctx->mem_max = o->mem_limit ? o->mem_limit : LAB_MEM_DEFAULT;
    ctx->world_mem_max = lab_world_mem_cap(ctx);
    ctx->seed = o->seed_set ? o->seed : 1;
    rng_seed(&ctx->rnd, ctx->seed);
    ctx->L = lab_state_new(ctx);
    return ctx;
}

static void lab_lua_end(lab_lua *ctx, bool release)
{
    if (!ctx) return;
    world_end(ctx, release);    /* unrefs while the state still lives */
    lua_close(ctx->L);          /* the script's finalizers run, as ever */
    free(ctx->sess);
    free(ctx->pend);
    free(ctx);
}

void lab_lua_free(lab_lua *ctx) { lab_lua_end(ctx, true); }

/* The world's nodes, logs and trees are left to the process's exit: at
 * 300 brokers and 100,000 partitions freeing them block by block took
 * 0.4 s of a 10 s run. Under a leak checker (QUORUMLAB_FREE_AT_EXIT set,
 * as tests/suites/valgrind.sh sets it, or an ASan build) all is freed. */
void lab_lua_exit(lab_lua *ctx)
{
#if defined(__SANITIZE_ADDRESS__)
    bool release = true;
#else
    const char *v = getenv("QUORUMLAB_FREE_AT_EXIT");
    bool release = v && v[0] && strcmp(v, "0") != 0;
#endif
    lab_lua_end(ctx, release);
}

/* Splits a Lua error message from its traceback (lab_msgh joins them). */
static lab_status finish(lab_lua *ctx, int rc, char *err, size_t errcap,
                         char *tb, size_t tbcap)
{
    lua_State *L = ctx->L;
    if (rc == LUA_OK) return ctx->failed ? LAB_FAILED : LAB_OK;
    const char *msg = lua_tostring(L, -1);
    if (!msg) msg = rc == LUA_ERRMEM ? "not enough memory" : "(error object is not a string)";
    if (rc == LUA_ERRMEM)
        msg = lua_pushfstring(L, "not enough memory (the script's limit is %d MB)",
                              (int)(ctx->mem_max >> 20));
    const char *cut = strstr(msg, "\nstack traceback:");
    size_t n = cut ? (size_t)(cut - msg) : strlen(msg);
    snprintf(err, errcap, "%.*s", (int)n, msg);
    if (tb) snprintf(tb, tbcap, "%s", cut ? cut + 1 : "");
    lua_settop(L, 0);
    /* a violation stops the script with an error, yet it is a failure */
    return ctx->violated ? LAB_FAILED : LAB_ERROR;
}

/* The script's last step ends with it: its predictions are read. */
static int settle_at_end(lua_State *L)
{
    lab_settle_predictions(L);
    return 0;
}

static lab_status run_loaded(lab_lua *ctx, int rc, char *err, size_t errcap,
                             char *tb, size_t tbcap)
{
    lua_State *L = ctx->L;
    if (rc == LUA_OK) {
        lua_pushcfunction(L, lab_msgh);
        lua_insert(L, -2);
        rc = lua_pcall(L, 0, 0, -2);
        if (rc == LUA_OK) {
            lua_settop(L, 0);
            lua_pushcfunction(L, lab_msgh);
            lua_pushcfunction(L, settle_at_end);
            rc = lua_pcall(L, 0, 0, 1);
        }
        if (rc == LUA_OK) lua_settop(L, 0);
    }
    if (tb) tb[0] = '\0';
    return finish(ctx, rc, err, errcap, tb, tbcap);
}

lab_status lab_lua_run_file(lab_lua *ctx, const char *path, char *err,
                            size_t errcap, char *tb, size_t tbcap)
{
    int rc = luaL_loadfilex(ctx->L, path, "t");
    return run_loaded(ctx, rc, err, errcap, tb, tbcap);
}

lab_status lab_lua_run_string(lab_lua *ctx, const char *src, const char *name,
                              char *err, size_t errcap, char *tb, size_t tbcap)
{
    int rc = luaL_loadbufferx(ctx->L, src, strlen(src), name, "t");
    return run_loaded(ctx, rc, err, errcap, tb, tbcap);
}

typedef struct eval_out {
    char *p;
    size_t cap;
} eval_out;

/* Formats every value on the stack but the first (the eval_out) into one
 * line, ", " between values; runs protected (a __tostring may raise). */
static int format_results(lua_State *L)
{
    eval_out *o = lua_touserdata(L, 1);
    size_t len = 0;
    o->p[0] = '\0';
    for (int i = 2; i <= lua_gettop(L) && len + 1 < o->cap; i++) {
        if (i > 2) len += (size_t)snprintf(o->p + len, o->cap - len, ", ");
        if (len + 1 >= o->cap) break;
        lab_value_text(L, i, o->p + len, o->cap - len);
        len += strlen(o->p + len);
    }
    return 0;
}

lab_status lab_lua_eval(lab_lua *ctx, const char *src, const char *name,
                        char *out, size_t outcap, char *err, size_t errcap)
{
    lua_State *L = ctx->L;
    out[0] = '\0';
    /* an expression first, as the lua prompt does: "1+1" is "return 1+1" */
    size_t n = strlen(src);
    char *ret = malloc(n + 8);
    int rc = LUA_ERRMEM;
    if (ret) {
        snprintf(ret, n + 8, "return %s", src);
        rc = luaL_loadbufferx(L, ret, n + 7, name, "t");
        free(ret);
    }
    if (rc != LUA_OK) {
        lua_pop(L, 1);
        rc = luaL_loadbufferx(L, src, n, name, "t");
    }
    if (rc == LUA_OK) {
        int h = lua_gettop(L);          /* the chunk, then its message handler */
        lua_pushcfunction(L, lab_msgh);
        lua_insert(L, h);
        rc = lua_pcall(L, 0, LUA_MULTRET, h);
        if (rc == LUA_OK) {
            int nres = lua_gettop(L) - h;
            eval_out o = { out, outcap };
            lua_pushcfunction(L, format_results);
            lua_insert(L, h + 1);
            lua_pushlightuserdata(L, &o);
            lua_insert(L, h + 2);
            if (lua_pcall(L, nres + 1, 0, 0) != LUA_OK)
                snprintf(out, outcap, "(a value that cannot be shown: %s)",
                         lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
            lua_settop(L, 0);
        }
    }
    return finish(ctx, rc, err, errcap, NULL, 0);
}

void lab_lua_set_driver(lab_lua *l, lab_driver_fn fn, void *u)
{
    l->driver = fn;
    l->driver_u = u;
}

int lab_lua_passed(const lab_lua *l) { return l->passed; }
int lab_lua_failed(const lab_lua *l) { return l->failed; }
bool lab_lua_violated(const lab_lua *l) { return l->violated; }
cluster *lab_lua_world(lab_lua *l) { return first_world(l); }
cluster *lab_lua_twin(lab_lua *l) { return second_world(l); }
const char *lab_lua_label(const lab_lua *l, int side)
{
    return side == 0 || side == 1 ? l->labels[side] : "";
}
uint64_t lab_lua_seed(const lab_lua *l) { return l->seed; }
const char *lab_lua_lang(const lab_lua *l) { return l->lang; }

const char *lab_default_lang(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < QL_ARRAY_LEN(vars); i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return strncmp(v, "ko", 2) == 0 ? "ko" : "en";
    }
    return "en";
}
