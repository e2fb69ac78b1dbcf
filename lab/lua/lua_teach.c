/* lua_teach: the lesson helpers that turn the learner from a reader into
 * an actor: lab.task (the learner does something to the world), lab.predict
 * (the learner says what will happen, then sees what did) and lab.ask (a
 * question with its explanation). On screen the dashboard's hooks (lab_out
 * task, answer, outcome) put them to the learner; headless, and while the
 * dashboard replays for `b`, the script does its own tasks and gives its own
 * answers, and both are checked like lab.check, so a lesson stays a test. */
#include "lua_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TASK_WITHIN_MS 60000        /* headless: done() must hold by then */
#define TASK_CHUNK_MS 60000         /* on screen: the world runs in these */
#define HINT_AFTER_S 30             /* wall seconds before the hint shows */
#define PENDING_KEY "lab.predictions"   /* registry: the step's predictions */

static bool is_ko(lab_lua *ctx) { return strcmp(ctx->lang, "ko") == 0; }

/* The localized text of the value at idx, which it replaces (so every
 * text takes one stack slot). */
static const char *text_in_place(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    int top = lua_gettop(L);
    lab_localized(L, idx, NULL);
    if (lua_gettop(L) > top) lua_replace(L, idx);
    return lua_tostring(L, idx);
}

/* The text of field name of the table at idx (localized), or NULL when
 * absent; the string stays on the stack. */
static const char *field_text(lua_State *L, int idx, const char *name)
{
    lua_getfield(L, idx, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return NULL;
    }
    return text_in_place(L, -1);
}

/* Field name of the table at idx, a function; pushed (nil when optional
 * and absent). */
static void field_fn(lua_State *L, int idx, const char *what, const char *name,
                     bool required)
{
    lua_getfield(L, idx, name);
    if (lua_isfunction(L, -1) || (!required && lua_isnil(L, -1))) return;
    luaL_error(L, "%s: %s must be a function, not %s", what, name, luaL_typename(L, -1));
}

static void note(lab_lua *ctx, const char *fmt_en, const char *fmt_ko, const char *text)
{
    char line[1400];          /* a question, its answer and why, in Korean */
    snprintf(line, sizeof line, is_ko(ctx) ? fmt_ko : fmt_en, text);
    if (ctx->o.out.note) ctx->o.out.note(ctx->o.out.u, line);
    lab_emit_own(ctx, TR_NOTE, 0, line);
}

/* --- lab.task --- */

static const lab_key task_key_list[] = {
    LAB_ANY("text"), LAB_ANY("hint"), LAB_ANY("done"), LAB_ANY("solve"),
    LAB_INT("within_ms", 1, 7 * 24 * 3600 * 1000), LAB_INT("hint_after_s", 0, 3600),
    LAB_END,
};
static const lab_keys task_keys = { "lab.task", "field", { task_key_list } };

typedef struct task_run {
    int done;                   /* stack index of done() */
    int value;                  /* stack index where its value goes */
    bool learner;               /* the learner's turn: n may pass it */
    bool solve;                 /* the learner asked the lesson to do it */
    char why[300];              /* done()'s "why not" on screen, or "" */
} task_run;

/* done() said no and why (its second value, a text or {en, ko}): the
 * learner did something else than asked, and the screen says so in
 * place of the hint, once per change; nil takes it back. */
static void task_why(lua_State *L, lab_lua *ctx, task_run *t)
{
    const char *why = lua_isnil(L, -1) ? "" : text_in_place(L, -1);
    if (!why) why = "";
    if (strcmp(why, t->why) == 0) return;
    snprintf(t->why, sizeof t->why, "%s", why);
    if (ctx->o.out.task_why) ctx->o.out.task_why(ctx->o.out.u, why[0] ? why : NULL);
    if (why[0]) note(ctx, "%s", "%s", why);
}

/* The run loop's stop: done() holds (its value kept), or the learner
 * passed the task to the lesson. */
static bool task_stop(lua_State *L, void *u)
{
    task_run *t = u;
    lab_lua *ctx = lab_ctx(L);
    lua_pushvalue(L, t->done);
    lua_call(L, 0, 2);
    if (lua_toboolean(L, -2)) {
        lua_pop(L, 1);
        lua_replace(L, t->value);
        return true;
    }
    if (t->learner) task_why(L, ctx, t);
    lua_pop(L, 2);
    if (t->learner && ctx->o.out.solve_now && ctx->o.out.solve_now(ctx->o.out.u)) {
        t->solve = true;
        return true;
    }
    return false;
}

/* On screen: the world runs (at the dashboard's pace) until done() holds
 * or the learner passes. Returns true when the learner did it. */
static bool learner_turn(lua_State *L, task_run *t)
{
    sim *s = cluster_sim(lab_world(L));
    for (;;) {
        uint64_t until = sim_now_us(s) + (uint64_t)TASK_CHUNK_MS * 1000;
        if (until > LAB_SIM_MAX_MS * 1000) until = LAB_SIM_MAX_MS * 1000;
        if (lab_advance(L, until, task_stop, t)) return !t->solve;
        if (sim_now_us(s) >= LAB_SIM_MAX_MS * 1000) return false;
    }
}

static int l_task(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &task_keys);
    const char *text = field_text(L, 1, "text");            /* 2 */
    if (!text) return luaL_error(L, "lab.task: text is missing");
    const char *hint = field_text(L, 1, "hint");
    if (!hint) lua_pushnil(L);                              /* 3 */
    field_fn(L, 1, "lab.task", "done", true);               /* 4 */
    field_fn(L, 1, "lab.task", "solve", true);              /* 5 */
    lua_pushnil(L);                                         /* 6: done's value */
    lua_getfield(L, 1, "within_ms");
    lua_Integer within = lua_isnil(L, -1) ? TASK_WITHIN_MS : lua_tointeger(L, -1);
    lua_getfield(L, 1, "hint_after_s");
    int hint_s = lua_isnil(L, -1) ? HINT_AFTER_S : (int)lua_tointeger(L, -1);
    lua_settop(L, 6);
    sim *s = cluster_sim(lab_world(L));
    uint64_t start = sim_now_us(s);
    task_run t = { .done = 4, .value = 6 };
    bool by_learner = false;
    if (ctx->o.out.task && ctx->o.out.task(ctx->o.out.u, text, hint, hint_s)) {
        note(ctx, "your turn: %s", "직접 해 보세요: %s", text);
        t.learner = true;
        by_learner = learner_turn(L, &t);
        t.learner = false;      /* from here done() alone decides */
    } else {
        note(ctx, "task: %s", "과제: %s", text);
    }
    bool ok = by_learner;
    if (!by_learner) {      /* the script does it, and it must work */
        lua_pushvalue(L, 5);
        lua_call(L, 0, 0);
        t.solve = false;
        ok = lab_advance(L, sim_now_us(s) + (uint64_t)within * 1000, task_stop, &t);
    }
    if (ctx->o.out.task_end) ctx->o.out.task_end(ctx->o.out.u, by_learner);
    char msg[600];
    snprintf(msg, sizeof msg, is_ko(ctx) ? (by_learner ? "과제 완료 (직접): %s" : "과제: %s")
                                         : (by_learner ? "task done by you: %s" : "task: %s"),
             text);
    lab_record_check(ctx, ok, msg);
    lua_createtable(L, 0, 5);
    lua_pushboolean(L, ok);
    lua_setfield(L, -2, "done");
    lua_pushstring(L, by_learner ? "learner" : "script");
    lua_setfield(L, -2, "by");
    lua_pushvalue(L, 6);
    lua_setfield(L, -2, "value");
    lua_pushinteger(L, (lua_Integer)(sim_now_us(s) / 1000));
    lua_setfield(L, -2, "at_ms");
    lua_pushinteger(L, (lua_Integer)((sim_now_us(s) - start) / 1000));
    lua_setfield(L, -2, "took_ms");
    return 1;
}

/* --- questions: lab.predict and lab.ask --- */

static const lab_key predict_key_list[] = {
    LAB_ANY("question"), LAB_TABLE("choices", NULL), LAB_STR("unit"),
    LAB_ANY("answer"), LAB_ANY("truth"), LAB_NUM("tolerance", 0, 1e12),
    LAB_END,
};
static const lab_keys predict_keys = { "lab.predict", "field", { predict_key_list } };

static const lab_key ask_key_list[] = {
    LAB_ANY("question"), LAB_TABLE("choices", NULL), LAB_ANY("answer"), LAB_ANY("why"),
    LAB_END,
};
static const lab_keys ask_keys = { "lab.ask", "field", { ask_key_list } };

/* Reads question and choices (or unit) of the table at 1 into q; the
 * strings stay on the stack. */
static void read_question(lua_State *L, const char *what, lab_question *q)
{
    memset(q, 0, sizeof *q);
    q->text = field_text(L, 1, "question");
    if (!q->text) luaL_error(L, "%s: question is missing", what);
    lua_getfield(L, 1, "choices");
    int ch = lua_gettop(L);
    if (!lua_isnil(L, ch)) {
        lab_check_list(L, ch, what);
        int n = (int)lua_rawlen(L, ch);
        if (n < 2 || n > LAB_CHOICES_MAX)
            luaL_error(L, "%s: from 2 to %d choices, not %d", what, LAB_CHOICES_MAX, n);
        for (int i = 1; i <= n; i++) {
            lua_rawgeti(L, ch, i);
            q->choices[q->nchoices++] = text_in_place(L, -1);
        }
    }
    q->unit = field_text(L, 1, "unit");
    if (!q->unit) q->unit = "";
    /* Korean writes seconds as 초, attached: "12초" */
    if (is_ko(lab_ctx(L)) && strcmp(q->unit, "s") == 0) q->unit = "초";
}

/* The value at idx as a choice number (a number, or a choice's text);
 * 0 when it is none of them. */
static int choice_of(lua_State *L, int idx, const lab_question *q)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        lua_Integer n = lua_tointeger(L, idx);
        return n >= 1 && n <= q->nchoices ? (int)n : 0;
    }
    if (lua_type(L, idx) != LUA_TSTRING && !lua_istable(L, idx)) return 0;
    lua_pushvalue(L, idx);
    const char *t = text_in_place(L, -1);
    int found = 0;
    for (int i = 0; i < q->nchoices; i++)
        if (strcmp(q->choices[i], t) == 0) found = i + 1;
    lua_pop(L, 1);
    return found;
}

/* The script's answer (field answer) as a number: a choice, or a value. */
static double script_answer(lua_State *L, const char *what, const lab_question *q)
{
    lua_getfield(L, 1, "answer");
    double v;
    if (q->nchoices) {
        v = choice_of(L, -1, q);
        if (v == 0) luaL_error(L, "%s: answer must be one of the choices (1 to %d or its text)",
                               what, q->nchoices);
    } else {
        if (!lua_isnumber(L, -1)) luaL_error(L, "%s: answer must be a number", what);
        v = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/* An answer as the learner reads it: "2 (zk2)" or "6.5 s". A measured
 * truth is rounded as the lessons' checks print what they measured (one
 * decimal, "10.2 s"), so one interval never reads as two numbers; an
 * answer shows as given. */
static void answer_text(const lab_question *q, double v, bool measured, char *out, size_t cap)
{
    const char *sep = q->unit[0] & 0x80 || !q->unit[0] ? "" : " ";
    if (q->nchoices && v >= 1 && v <= q->nchoices)
        snprintf(out, cap, "%d (%s)", (int)v, q->choices[(int)v - 1]);
    else if (measured && v != floor(v) && fabs(v) >= 1)
        snprintf(out, cap, "%.1f%s%s", v, sep, q->unit);
    else
        snprintf(out, cap, "%.4g%s%s", v, sep, q->unit);
}

/* Puts q to the learner; LAB_REPLY_SCRIPT when nobody is there. */
static lab_reply put(lua_State *L, const lab_question *q, double *v)
{
    lab_lua *ctx = lab_ctx(L);
    if (!ctx->o.out.answer) return LAB_REPLY_SCRIPT;
    lab_reply r = ctx->o.out.answer(ctx->o.out.u, q, v);
    if (r == LAB_REPLY_STOP) luaL_error(L, "stopped by the dashboard");
    return r;
}

static int l_predict(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &predict_keys);
    lab_question q;
    read_question(L, "lab.predict", &q);
    q.predict = true;
    double mine = script_answer(L, "lab.predict", &q);
    field_fn(L, 1, "lab.predict", "truth", true);
    lua_pop(L, 1);
    double given = 0;
    lab_reply r = put(L, &q, &given);
    char ans[200];
    answer_text(&q, r == LAB_REPLY_GIVEN ? given : mine, false, ans, sizeof ans);
    char line[1000];
    snprintf(line, sizeof line, "%s -> %s", q.text, r == LAB_REPLY_SKIPPED ? "-" : ans);
    note(ctx, "prediction: %s", "예측: %s", line);
    /* kept for the step's end: the question, who answered, and what */
    lua_getfield(L, LUA_REGISTRYINDEX, PENDING_KEY);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, PENDING_KEY);
    }
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "spec");
    lua_pushinteger(L, r);
    lua_setfield(L, -2, "reply");
    lua_pushnumber(L, r == LAB_REPLY_GIVEN ? given : mine);
    lua_setfield(L, -2, "answer");
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    /* returns the answer in play: the learner's, or the script's */
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, r == LAB_REPLY_GIVEN);
    lua_setfield(L, -2, "by_learner");
    if (r != LAB_REPLY_SKIPPED) {
        double used = r == LAB_REPLY_GIVEN ? given : mine;
        if (q.nchoices) lua_pushinteger(L, (lua_Integer)used);
        else lua_pushnumber(L, used);
        lua_setfield(L, -2, "answer");
    }
    return 1;
}

/* Whether answer v agrees with the truth t. */
static bool agrees(const lab_question *q, double v, double t, double tol)
{
    if (q->nchoices) return (int)v == (int)t;
    if (tol < 0) tol = fabs(t) * 0.1;   /* 10% of the truth by default */
    return fabs(v - t) <= tol;
}

/* One prediction (its record on top): reads truth() now and says how the
 * answer compares. */
static void settle_one(lua_State *L, lab_lua *ctx)
{
    int rec = lua_gettop(L);
    lua_getfield(L, rec, "spec");
    lua_replace(L, 1);          /* the helpers read the table at 1 */
    lab_question q;
    read_question(L, "lab.predict", &q);
    q.predict = true;
    lua_getfield(L, rec, "reply");
    lab_reply r = (lab_reply)lua_tointeger(L, -1);
    lua_getfield(L, rec, "answer");
    double v = lua_tonumber(L, -1);
    lua_getfield(L, 1, "tolerance");
    double tol = lua_isnil(L, -1) ? -1 : lua_tonumber(L, -1);
    lua_getfield(L, 1, "truth");
    lua_call(L, 0, 1);
    double t;
    if (q.nchoices) {
        t = choice_of(L, -1, &q);
        if (t == 0) luaL_error(L, "lab.predict: truth() gave %s, not one of the choices",
                               lab_quote_value(L, -1));
    } else {
        if (!lua_isnumber(L, -1)) luaL_error(L, "lab.predict: truth() must give a number");
        t = lua_tonumber(L, -1);
    }
    char said[200], was[200], line[800];
    answer_text(&q, v, false, said, sizeof said);
    answer_text(&q, t, true, was, sizeof was);
    bool right = agrees(&q, v, t, tol);
    if (r == LAB_REPLY_SKIPPED)
        snprintf(line, sizeof line, is_ko(ctx) ? "%s: 실제로는 %s" : "%s: it was %s", q.text, was);
    else
        snprintf(line, sizeof line, is_ko(ctx) ? "%s: %s 답 %s, 실제 %s"
                                               : "%s: %s said %s, it was %s",
                 q.text, r == LAB_REPLY_GIVEN ? (is_ko(ctx) ? "내" : "you")
                                              : (is_ko(ctx) ? "레슨" : "the lesson"),
                 said, was);
    if (r == LAB_REPLY_SCRIPT) {
        lab_record_check(ctx, right, line);     /* the lesson's claim: a check */
    } else if (ctx->o.out.outcome) {
        ctx->o.out.outcome(ctx->o.out.u, &q, r == LAB_REPLY_GIVEN ? right : -1, line);
        lab_emit_own(ctx, TR_NOTE, 0, line);
    }
    lua_settop(L, rec - 1);
}

static int settle(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    lua_settop(L, 0);
    lua_pushnil(L);             /* 1: the prediction's table, for the helpers */
    lua_getfield(L, LUA_REGISTRYINDEX, PENDING_KEY);        /* 2 */
    if (lua_isnil(L, 2)) return 0;
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, PENDING_KEY);
    int n = (int)lua_rawlen(L, 2);
    for (int i = 1; i <= n; i++) {
        lua_settop(L, 2);
        lua_rawgeti(L, 2, i);
        settle_one(L, ctx);
    }
    return 0;
}

void lab_settle_predictions(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, PENDING_KEY);
    bool none = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (none) return;
    /* a fresh frame, so the helpers find the prediction's table at 1 */
    lua_pushcfunction(L, settle);
    lua_call(L, 0, 0);
}

static int l_ask(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &ask_keys);
    /* a prediction earlier in the step, its run done, shows its result
     * before the next question: settled only at the step's end, it came
     * after this question's answer and pushed this one's explanation out
     * of a short lesson panel (lesson 5 at 80x24) */
    lab_settle_predictions(L);
    lua_settop(L, 1);
    lab_question q;
    read_question(L, "lab.ask", &q);
    if (!q.nchoices) return luaL_error(L, "lab.ask: choices are missing");
    int want = (int)script_answer(L, "lab.ask", &q);
    const char *why = field_text(L, 1, "why");
    if (!why) why = "";
    double given = 0;
    lab_reply r = put(L, &q, &given);
    char ans[200], line[1200];
    answer_text(&q, want, false, ans, sizeof ans);
    bool right = r == LAB_REPLY_GIVEN && (int)given == want;
    snprintf(line, sizeof line, is_ko(ctx) ? "%s 정답은 %s. %s" : "%s The answer: %s. %s",
             q.text, ans, why);
    note(ctx, "question: %s", "질문: %s", line);
    if (r == LAB_REPLY_GIVEN) {     /* the learner's answer beside the right one */
        char said[200];
        answer_text(&q, given, false, said, sizeof said);
        snprintf(line, sizeof line, is_ko(ctx) ? "%s 내 답 %s, 정답 %s. %s"
                                               : "%s You said %s; the answer: %s. %s",
                 q.text, said, ans, why);
    }
    if (r != LAB_REPLY_SCRIPT && ctx->o.out.outcome)
        ctx->o.out.outcome(ctx->o.out.u, &q, r == LAB_REPLY_GIVEN ? right : -1, line);
    lua_createtable(L, 0, 2);
    if (r == LAB_REPLY_GIVEN) {
        lua_pushinteger(L, (lua_Integer)given);
        lua_setfield(L, -2, "answer");
    }
    lua_pushboolean(L, r == LAB_REPLY_SCRIPT || right);
    lua_setfield(L, -2, "right");
    return 1;
}

/* --- pacing: lab.slow and lab.countdown --- */

static const lab_key slow_key_list[] = {
    LAB_NUM("factor", 1, 1000), LAB_INT("ms", 1, 24 * 3600 * 1000), LAB_END,
};
static const lab_keys slow_keys = { "lab.slow", "field", { slow_key_list } };

static int l_slow(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lab_check_table(L, 1, &slow_keys);
    lua_getfield(L, 1, "factor");
    double factor = lua_isnil(L, -1) ? 5 : lua_tonumber(L, -1);
    lua_getfield(L, 1, "ms");
    if (lua_isnil(L, -1)) return luaL_error(L, "lab.slow: ms is missing (how long, in simulated ms)");
    uint64_t ms = (uint64_t)lua_tointeger(L, -1);
    sim *s = cluster_sim(lab_world(L));
    if (ctx->o.out.slow) ctx->o.out.slow(ctx->o.out.u, factor, sim_now_us(s) + ms * 1000);
    return 0;
}

static const lab_key countdown_key_list[] = {
    LAB_ANY("text"), LAB_INT("ms", 0, 7 * 24 * 3600 * 1000), LAB_END,
};
static const lab_keys countdown_keys = { "lab.countdown", "field", { countdown_key_list } };

static int l_countdown(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &countdown_keys);
    const char *text = field_text(L, 1, "text");
    if (!text) return luaL_error(L, "lab.countdown: text is missing");
    /* the text is a format with one %s: nothing else may be a directive */
    int n = 0;
    for (const char *p = text; (p = strchr(p, '%')); p += 2) {
        if (p[1] != 's' && p[1] != '%')
            return luaL_error(L, "lab.countdown: text may hold one %%s (the time left), not %%%c", p[1]);
        if (p[1] == 's') n++;
    }
    if (n != 1) return luaL_error(L, "lab.countdown: text must hold one %%s (the time left)");
    lua_getfield(L, 1, "ms");
    if (lua_isnil(L, -1)) return luaL_error(L, "lab.countdown: ms is missing");
    uint64_t ms = (uint64_t)lua_tointeger(L, -1);
    sim *s = cluster_sim(lab_world(L));
    char left[32], line[600];
    snprintf(left, sizeof left, is_ko(ctx) ? "%.1f초" : "%.1f s", (double)ms / 1000);
    snprintf(line, sizeof line, text, left);
    note(ctx, "countdown: %s", "카운트다운: %s", line);
    if (ctx->o.out.countdown) ctx->o.out.countdown(ctx->o.out.u, text, sim_now_us(s) + ms * 1000);
    return 0;
}

static const luaL_Reg teach_funcs[] = {
    { "task", l_task },
    { "predict", l_predict },
    { "ask", l_ask },
    { "slow", l_slow },
    { "countdown", l_countdown },
    { NULL, NULL },
};

void lab_teach_open(lua_State *L)
{
    luaL_setfuncs(L, teach_funcs, 0);
}
