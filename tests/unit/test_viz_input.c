/* Unit tests for what the learner types: the ':' command line parser
 * (good commands, helpful errors, and no crash on any input), the keys
 * (selection, commands on the selected node, the command line editor,
 * the help overlay, tree folding), and the event log's words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "curses_wrap.h"
#include "events.h"
#include "keys.h"
#include "viz.h"

#define K(c) ((viz_key){ .fn = false, .code = (uint32_t)(c) })
#define FN(c) ((viz_key){ .fn = true, .code = (uint32_t)(c) })

static void test_viz_input_parse_node_commands(void **state)
{
    (void)state;
    viz_cmd c;
    char err[128];
    assert_true(viz_cmd_parse("kill zk3", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_KILL);
    assert_int_equal(c.nnames, 1);
    assert_string_equal(c.names[0], "zk3");
    assert_true(viz_cmd_parse("  restart   101 ", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_RESTART);
    assert_string_equal(c.names[0], "101");
    assert_true(viz_cmd_parse("heal", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_HEAL);
    assert_true(viz_cmd_parse("speed 20x", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_SPEED);
    assert_true(c.speed == 20);
    assert_true(viz_cmd_parse("lua lab.kill('zk1')", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_LUA);
    assert_string_equal(c.text, "lab.kill('zk1')");
    assert_true(viz_cmd_parse("topic orders 6 3", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_TOPIC);
    assert_string_equal(c.text, "orders");
    assert_int_equal(c.n1, 6);
    assert_int_equal(c.n2, 3);
    assert_true(viz_cmd_parse("produce orders 100", &c, err, sizeof err));
    assert_int_equal(c.n1, 100);
    assert_int_equal(c.nnames, 0);
    /* a bootstrap list: a new producer that knows only those brokers */
    assert_true(viz_cmd_parse("produce orders 10 102,103", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_PRODUCE);
    assert_string_equal(c.text, "orders");
    assert_int_equal(c.n1, 10);
    assert_int_equal(c.nnames, 2);
    assert_string_equal(c.names[1], "103");
    assert_false(viz_cmd_parse("produce orders 10 zk1", &c, err, sizeof err));
    assert_non_null(strstr(err, "usage: produce TOPIC COUNT [BROKER,...]"));
}

/* :reassign TOPIC PARTITION ids, commas or spaces between the ids, as
 * kafka-reassign-partitions takes one partition's new replica list */
static void test_viz_input_parse_reassign(void **state)
{
    (void)state;
    viz_cmd c;
    char err[128];
    assert_true(viz_cmd_parse("reassign orders 0 104,102,103", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_REASSIGN);
    assert_string_equal(c.text, "orders");
    assert_int_equal(c.n1, 0);
    assert_int_equal(c.nnames, 3);
    assert_string_equal(c.names[0], "104");
    assert_string_equal(c.names[2], "103");
    assert_true(viz_cmd_parse("reassign orders 2 101 102", &c, err, sizeof err));
    assert_int_equal(c.n1, 2);
    assert_int_equal(c.nnames, 2);
    assert_false(viz_cmd_parse("reassign orders 0", &c, err, sizeof err));
    assert_non_null(strstr(err, "usage: reassign TOPIC PARTITION"));
    assert_false(viz_cmd_parse("reassign orders x 101", &c, err, sizeof err));
    assert_false(viz_cmd_parse("reassign orders 0 zk1", &c, err, sizeof err));
}

static void test_viz_input_parse_split(void **state)
{
    (void)state;
    viz_cmd c;
    char err[128];
    assert_true(viz_cmd_parse("split 101,zk1 / 102,103,zk2,zk3", &c, err, sizeof err));
    assert_int_equal(c.kind, VC_SPLIT);
    assert_int_equal(c.nnames, 6);
    assert_string_equal(c.names[1], "zk1");
    assert_int_equal(c.side[1], 0);
    assert_string_equal(c.names[2], "102");
    assert_int_equal(c.side[2], 1);
    assert_true(viz_cmd_parse("split zk1/zk2", &c, err, sizeof err));
    assert_int_equal(c.nnames, 2);
    assert_false(viz_cmd_parse("split zk1 zk2", &c, err, sizeof err));
    assert_non_null(strstr(err, "usage: split"));
    assert_false(viz_cmd_parse("split a / b / c", &c, err, sizeof err));
    assert_false(viz_cmd_parse("split / zk1", &c, err, sizeof err));
}

static void test_viz_input_parse_errors_say_why(void **state)
{
    (void)state;
    viz_cmd c;
    char err[128];
    assert_false(viz_cmd_parse("explode zk1", &c, err, sizeof err));
    assert_non_null(strstr(err, "unknown command 'explode'"));
    assert_null(strstr(err, "did you mean"));
    /* a typo gets the nearest command, as the Lua API's unknown keys do
     * (lab_nearest_key); capitals are the same command */
    assert_false(viz_cmd_parse("kil 101", &c, err, sizeof err));
    assert_non_null(strstr(err, "unknown command 'kil': did you mean 'kill'?"));
    assert_false(viz_cmd_parse("restrat 102", &c, err, sizeof err));
    assert_non_null(strstr(err, "did you mean 'restart'?"));
    assert_false(viz_cmd_parse("isloate zk2", &c, err, sizeof err));
    assert_non_null(strstr(err, "did you mean 'isolate'?"));
    assert_true(viz_cmd_parse("KILL 101", &c, err, sizeof err));
    assert_true(c.kind == VC_KILL && strcmp(c.names[0], "101") == 0);
    assert_false(viz_cmd_parse("kill", &c, err, sizeof err));
    assert_non_null(strstr(err, "usage: kill NODE"));
    assert_false(viz_cmd_parse("kill zk1 zk2", &c, err, sizeof err));
    assert_non_null(strstr(err, "unexpected"));
    assert_false(viz_cmd_parse("speed fast", &c, err, sizeof err));
    assert_false(viz_cmd_parse("speed 1e9", &c, err, sizeof err));
    assert_false(viz_cmd_parse("topic orders six 3", &c, err, sizeof err));
    assert_false(viz_cmd_parse("topic orders 6 0", &c, err, sizeof err));
    assert_false(viz_cmd_parse("add-broker x", &c, err, sizeof err));
    assert_non_null(strstr(err, "usage: add-broker [ID [RACK]]"));
    assert_false(viz_cmd_parse("add-broker 40000", &c, err, sizeof err));
    assert_false(viz_cmd_parse("add-broker 105 a b", &c, err, sizeof err));
    assert_true(viz_cmd_parse("add-broker 105 east", &c, err, sizeof err));
    assert_true(c.kind == VC_ADD_BROKER && c.n1 == 105 && c.n2 == 1);
    assert_string_equal(c.text, "east");
    assert_false(viz_cmd_parse("delete-topic", &c, err, sizeof err));
    assert_non_null(strstr(err, "usage: delete-topic NAME"));
    assert_false(viz_cmd_parse("delete-topic a b", &c, err, sizeof err));
    assert_true(viz_cmd_parse("delete-topic orders", &c, err, sizeof err));
    assert_true(c.kind == VC_DELETE_TOPIC && strcmp(c.text, "orders") == 0);
    assert_true(viz_cmd_parse("add-broker", &c, err, sizeof err));
    assert_true(c.kind == VC_ADD_BROKER && c.n2 == 0);
    assert_false(viz_cmd_parse("kill zk1234567890123456789", &c, err, sizeof err));
    assert_false(viz_cmd_parse("", &c, err, sizeof err));
    assert_false(viz_cmd_parse("lua", &c, err, sizeof err));
}

/* With --lang ko every error the command line can give is Korean (a
 * usage keeps its command word and example as typed), and English is
 * unchanged: one bad line for each message the parser has. */
static void test_viz_input_parse_errors_korean(void **state)
{
    (void)state;
    static const struct { const char *line, *ko; } bad[] = {
        { "", "명령을 입력하세요. 예: :kill zk1" },
        { "abcdefghijklmnopqrstuvwxyz", "알 수 없는 명령입니다" },
        { "kil 101", "'kil'(이)라는 명령은 없습니다. 혹시 'kill'인가요? (?: 명령 목록)" },
        { "explode zk1", "'explode'(이)라는 명령은 없습니다 (?: 명령 목록)" },
        { "reassign orders 0", "사용법: reassign 토픽 파티션 브로커,브로커,..." },
        { "produce orders x", "사용법: produce 토픽 개수 [브로커,...]" },
        { "split a / b / c", "split은 두 쪽으로만 나눕니다: a,b / c,d" },
        { "split a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,0,1,2,3,4,5 / a",
          "이름이 너무 많습니다" },
        { "split zk12345678901234567 / a", "이름이 너무 깁니다" },
        { "split zk1 zk2", "사용법: split zk1,zk2 / zk3" },
        { "add-broker x", "사용법: add-broker [ID [랙]] (예: add-broker 105)" },
        { "lua", "사용법: lua <식 또는 문장>" },
        { "speed fast", "사용법: speed N (0.1~1000)" },
        { "topic orders six 3", "사용법: topic 이름 파티션수 복제수" },
        { "delete-topic", "사용법: delete-topic 이름" },
        { "kill", "사용법: kill 노드 (예: kill zk1)" },
        { "kill zk12345678901234567", "이름이 너무 깁니다" },
        { "kill zk1 zk2", "kill: 예상치 못한 'zk2'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        viz_cmd c;
        char en[200], ko[200], plain[200];
        assert_false(viz_cmd_parse_lang(bad[i].line, "en", &c, en, sizeof en));
        assert_false(viz_cmd_parse(bad[i].line, &c, plain, sizeof plain));
        assert_string_equal(en, plain);
        assert_false(viz_cmd_parse_lang(bad[i].line, "ko", &c, ko, sizeof ko));
        if (!strstr(ko, bad[i].ko)) fail_msg("'%s': '%s' (wanted '%s')", bad[i].line, ko, bad[i].ko);
    }
}

/* Whatever bytes arrive, the parser answers without crashing. */
static void test_viz_input_parse_survives_garbage(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ULL;
    static const char alphabet[] = "kill zk1/, 0123456789splithealua\xff\xc3\t-x.";
    for (int round = 0; round < 20000; round++) {
        char line[300];
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        int len = (int)(x % sizeof line);
        for (int i = 0; i < len; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            line[i] = round % 2 ? (char)(x % 255 + 1)
                                : alphabet[x % (sizeof alphabet - 1)];
        }
        line[len] = '\0';
        viz_cmd c;
        char err[128];
        if (!viz_cmd_parse(line, &c, err, sizeof err)) assert_true(err[0] != '\0');
        else assert_true(c.kind != VC_NONE && c.nnames <= VIZ_CMD_NAMES);
    }
}

static viz_snap *snap_with_three(void)
{
    viz_snap *s = calloc(1, sizeof *s);
    viz_snap_init(s);
    for (int i = 0; i < 3; i++) {
        s->nodes[i].node = i;
        snprintf(s->nodes[i].name, sizeof s->nodes[i].name, "zk%d", i + 1);
    }
    s->nnodes = 3;
    return s;
}

static void test_viz_input_keys_select_and_act(void **state)
{
    (void)state;
    viz_snap *s = snap_with_three();
    viz_view v;
    viz_view_init(&v, 120, 40);
    viz_cmd c;
    assert_int_equal(viz_keys_handle(&v, s, K('k'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_KILL);
    assert_string_equal(c.names[0], "zk1");
    assert_int_equal(viz_keys_handle(&v, s, K('\t'), &c), VK_REDRAW);
    assert_int_equal(viz_keys_handle(&v, s, FN(KEY_RIGHT), &c), VK_REDRAW);
    assert_int_equal(viz_keys_handle(&v, s, K('r'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_RESTART);
    assert_string_equal(c.names[0], "zk3");
    /* wraps around */
    viz_keys_handle(&v, s, FN(KEY_RIGHT), &c);
    assert_int_equal(v.sel, 0);
    viz_keys_handle(&v, s, FN(KEY_LEFT), &c);
    assert_int_equal(v.sel, 2);
    assert_int_equal(viz_keys_handle(&v, s, K('p'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_PAUSE_TOGGLE);
    assert_int_equal(viz_keys_handle(&v, s, K('i'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_ISOLATE);
    assert_int_equal(viz_keys_handle(&v, s, K('h'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_HEAL);
    assert_int_equal(viz_keys_handle(&v, s, K(' '), &c), VK_CMD);
    assert_int_equal(c.kind, VC_RUN_TOGGLE);
    assert_int_equal(viz_keys_handle(&v, s, K('+'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_FASTER);
    assert_int_equal(viz_keys_handle(&v, s, K('.'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_STEP);
    assert_int_equal(viz_keys_handle(&v, s, K('q'), &c), VK_QUIT);
    assert_int_equal(viz_keys_handle(&v, s, K('Z'), &c), VK_NONE);
    viz_view_free(&v);
    viz_snap_free(s);
    free(s);
}

static viz_key_result type(viz_view *v, const viz_snap *s, const char *text,
                           viz_cmd *c)
{
    viz_key_result r = VK_NONE;
    for (const char *p = text; *p; p++) r = viz_keys_handle(v, s, K((unsigned char)*p), c);
    return r;
}

static void test_viz_input_command_line_editing(void **state)
{
    (void)state;
    viz_snap *s = snap_with_three();
    viz_view v;
    viz_view_init(&v, 120, 40);
    viz_cmd c;
    assert_int_equal(viz_keys_handle(&v, s, K(':'), &c), VK_REDRAW);
    assert_true(v.cmd_active);
    type(&v, s, "kill zk22", &c);
    viz_keys_handle(&v, s, K(127), &c);          /* backspace */
    assert_string_equal(v.cmd, "kill zk2");
    assert_int_equal(viz_keys_handle(&v, s, K('\r'), &c), VK_CMD);
    assert_false(v.cmd_active);
    assert_int_equal(c.kind, VC_KILL);
    assert_string_equal(c.names[0], "zk2");
    /* a wrong command leaves an error where the learner looks */
    viz_keys_handle(&v, s, K(':'), &c);
    type(&v, s, "bogus", &c);
    assert_int_equal(viz_keys_handle(&v, s, K('\n'), &c), VK_REDRAW);
    assert_int_equal(v.status_role, VR_BAD);
    assert_non_null(strstr(v.status, "unknown command 'bogus'"));
    /* escape cancels; keys typed in the command line are not commands */
    viz_keys_handle(&v, s, K(':'), &c);
    assert_int_equal(viz_keys_handle(&v, s, K('q'), &c), VK_REDRAW);
    assert_int_equal(viz_keys_handle(&v, s, K(27), &c), VK_REDRAW);
    assert_false(v.cmd_active);
    /* Korean input and backspace over a multi-byte character */
    viz_keys_handle(&v, s, K(':'), &c);
    viz_keys_handle(&v, s, K(0xD55C), &c);        /* 한 */
    assert_string_equal(v.cmd, "한");
    viz_keys_handle(&v, s, FN(KEY_BACKSPACE), &c);
    assert_string_equal(v.cmd, "");
    /* the buffer cannot overflow */
    for (int i = 0; i < 1000; i++) viz_keys_handle(&v, s, K('x'), &c);
    assert_true(strlen(v.cmd) < sizeof v.cmd);
    viz_view_free(&v);
    viz_snap_free(s);
    free(s);
}

/* A lesson's number prompt (lesson 9: "how many seconds"): a learner
 * who typed "18s" stopped the selected node with the s, "12k" crashed
 * it. Letters after digits, and the keys that act on the world while
 * the question holds it, only say how to answer; n, b, Tab still act. */
static void test_viz_input_number_prompt_swallows_letters(void **state)
{
    (void)state;
    viz_snap *s = snap_with_three();
    s->asking = true;
    s->nchoices = 0;
    viz_view v;
    viz_view_init(&v, 120, 40);
    viz_cmd c;
    assert_int_equal(type(&v, s, "18", &c), VK_REDRAW);
    assert_int_equal(viz_keys_handle(&v, s, K('s'), &c), VK_REDRAW);   /* no stop */
    assert_int_equal(v.status_role, VR_BAD);
    assert_non_null(strstr(v.status, "type the number alone"));
    assert_int_equal(viz_keys_handle(&v, s, K('b'), &c), VK_REDRAW);   /* no back mid-number */
    assert_string_equal(v.typed, "18");
    assert_int_equal(viz_keys_handle(&v, s, K('\r'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_ANSWER);
    assert_true(c.speed == 18);
    /* nothing typed: a crash key is refused, n and b keep their meaning */
    assert_int_equal(viz_keys_handle(&v, s, K('k'), &c), VK_REDRAW);
    assert_int_equal(viz_keys_handle(&v, s, K(' '), &c), VK_REDRAW);
    assert_int_equal(viz_keys_handle(&v, s, K('n'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_NEXT);
    assert_int_equal(viz_keys_handle(&v, s, K('b'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_BACK);
    assert_int_equal(viz_keys_handle(&v, s, K('\t'), &c), VK_REDRAW);
    /* Esc clears what was typed */
    type(&v, s, "12", &c);
    viz_keys_handle(&v, s, K(27), &c);
    assert_string_equal(v.typed, "");
    /* a choice question: k is refused too, 2 answers */
    s->nchoices = 3;
    assert_int_equal(viz_keys_handle(&v, s, K('k'), &c), VK_REDRAW);
    assert_non_null(strstr(v.status, "press 1 to 3"));
    assert_int_equal(viz_keys_handle(&v, s, K('2'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_ANSWER);
    viz_view_free(&v);
    viz_snap_free(s);
    free(s);
}

/* While a question holds the world, the command line is refused as the
 * keys are for what would change the world (trial 6: k was refused but
 * ':kill 101' crashed 101, and lesson 2's placement check then failed
 * under a prediction marked right); other commands still work. */
static void test_viz_input_question_refuses_world_commands(void **state)
{
    (void)state;
    viz_snap *s = snap_with_three();
    s->asking = true;
    s->nchoices = 3;
    viz_view v;
    viz_view_init(&v, 120, 40);
    viz_cmd c;
    static const char *const refused[] = {
        "kill 101", "stop 101", "restart zk1", "pause zk2", "isolate zk2", "heal",
        "split zk1 / zk2", "topic new 4 1", "produce orders 10", "delete-topic orders",
        "add-broker", "reassign orders 0 102", "speed 50", "step", "run",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        viz_keys_handle(&v, s, K(':'), &c);
        type(&v, s, refused[i], &c);
        if (viz_keys_handle(&v, s, K('\r'), &c) != VK_REDRAW)
            fail_msg("':%s' went through while a question waits", refused[i]);
        assert_int_equal(v.status_role, VR_BAD);
        assert_non_null(strstr(v.status, "a question waits: press 1 to 3"));
    }
    viz_keys_handle(&v, s, K(':'), &c);
    type(&v, s, "hold", &c);
    assert_int_equal(viz_keys_handle(&v, s, K('\r'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_HOLD);
    /* the step reader (l) open over the question: a digit answers it */
    v.reader = true;
    assert_int_equal(viz_keys_handle(&v, s, K('3'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_ANSWER);
    assert_true(c.speed == 3);
    assert_false(v.reader);
    v.reader = true;
    assert_int_equal(viz_keys_handle(&v, s, K('x'), &c), VK_REDRAW);    /* other keys close it */
    assert_false(v.reader);
    s->asking = false;
    viz_keys_handle(&v, s, K(':'), &c);
    type(&v, s, "kill 101", &c);
    assert_int_equal(viz_keys_handle(&v, s, K('\r'), &c), VK_CMD);
    assert_int_equal(c.kind, VC_KILL);
    viz_view_free(&v);
    viz_snap_free(s);
    free(s);
}

/* The event log's copy of a text: print's tabs as spaces (":lua
 * print(a, b)" showed "101?true?nil"), and a long text (a lesson's
 * narration, Korean three bytes a character) ends in "…" between two
 * characters instead of stopping mid-word ("...p1 then conne"). */
static void test_viz_input_event_log_text(void **state)
{
    (void)state;
    viz_events *e = viz_events_new(8);
    viz_events_add(e, 0, VR_NORMAL, "101\ttrue\tnil");
    assert_string_equal(viz_events_get(e, 0)->text, "101  true  nil");
    char longer[2000] = "";
    for (int i = 0; i < 300; i++) strcat(longer, "한");
    viz_events_add(e, 0, VR_NORMAL, longer);
    const char *t = viz_events_get(e, 1)->text;
    size_t n = strlen(t);
    assert_true(n > 400);
    assert_string_equal(t + n - strlen("…"), "…");
    assert_int_equal((n - strlen("…")) % strlen("한"), 0);     /* whole characters */
    assert_int_equal(strncmp(t, longer, n - strlen("…")), 0);
    viz_events_add(e, 0, VR_NORMAL, "short enough");
    assert_string_equal(viz_events_get(e, 2)->text, "short enough");
    viz_events_free(e);
}

/* --lesson: a number as the picker shows it, a file name with or
 * without ".lua" or its number, a path; nothing else. */
static void test_viz_input_lesson_pick(void **state)
{
    (void)state;
    static viz_lesson l[3];
    const char *names[] = { "01_brokers.lua", "02_placement.lua", "05_odd_ensembles.lua" };
    for (int i = 0; i < 3; i++) {
        snprintf(l[i].name, sizeof l[i].name, "%s", names[i]);
        snprintf(l[i].path, sizeof l[i].path, "lessons/%s", names[i]);
    }
    assert_int_equal(viz_lesson_pick("1", l, 3), 0);
    assert_int_equal(viz_lesson_pick("03", l, 3), 2);     /* the third in the picker */
    assert_int_equal(viz_lesson_pick("4", l, 3), -1);
    assert_int_equal(viz_lesson_pick("0", l, 3), -1);
    assert_int_equal(viz_lesson_pick("01_brokers", l, 3), 0);
    assert_int_equal(viz_lesson_pick("02_placement.lua", l, 3), 1);
    assert_int_equal(viz_lesson_pick("odd_ensembles", l, 3), 2);
    assert_int_equal(viz_lesson_pick("lessons/05_odd_ensembles.lua", l, 3), 2);
    assert_int_equal(viz_lesson_pick("odd", l, 3), -1);
    assert_int_equal(viz_lesson_pick("", l, 3), -1);
    assert_int_equal(viz_lesson_pick("99999999999999999999", l, 3), -1);
}

static void test_viz_input_help_and_tree(void **state)
{
    (void)state;
    viz_snap *s = snap_with_three();
    viz_view v;
    viz_view_init(&v, 120, 40);
    viz_cmd c;
    viz_keys_handle(&v, s, K('?'), &c);
    assert_true(v.help);
    assert_int_equal(viz_keys_handle(&v, s, K('k'), &c), VK_REDRAW);  /* closes, no kill */
    assert_false(v.help);
    viz_tree_row *r = viz_snap_tree_add(s, "/", 0);
    r->nchildren = 1;
    r = viz_snap_tree_add(s, "/brokers", 1);
    r->nchildren = 2;
    viz_keys_handle(&v, s, K('f'), &c);
    assert_int_equal(v.focus, VF_TREE);
    viz_keys_handle(&v, s, FN(KEY_DOWN), &c);
    assert_int_equal(v.tree_cursor, 1);
    viz_keys_handle(&v, s, FN(KEY_DOWN), &c);
    assert_int_equal(v.tree_cursor, 1);          /* stays on the last row */
    viz_keys_handle(&v, s, K('\r'), &c);
    assert_false(viz_view_open(&v, "/brokers", 1));
    viz_keys_handle(&v, s, K('f'), &c);
    assert_int_equal(v.focus, VF_NODES);
    viz_view_free(&v);
    viz_snap_free(s);
    free(s);
}

/* w: two worlds compared on a screen too small for both (80x24), the one
 * view flips to the other world and the status line says which is shown
 * and how to flip back; a screen that shows both says so and flips
 * nothing; outside a comparison w is no key (trial 6 #16). */
static void test_viz_input_w_flips_the_world_shown(void **state)
{
    (void)state;
    viz_snap *s = snap_with_three();
    viz_view v;
    viz_view_init(&v, 80, 24);
    viz_cmd c;
    assert_int_equal(viz_keys_handle(&v, s, K('w'), &c), VK_NONE);
    assert_false(v.cmp_right);
    v.compare = true;
    assert_int_equal(viz_keys_handle(&v, s, K('w'), &c), VK_REDRAW);
    assert_true(v.cmp_right);
    assert_string_equal(v.status, "the right world is shown; w: the left one");
    s->lang = "ko";
    assert_int_equal(viz_keys_handle(&v, s, K('w'), &c), VK_REDRAW);
    assert_false(v.cmp_right);
    assert_string_equal(v.status, "왼쪽 월드를 보는 중, w: 오른쪽 월드");
    s->lang = NULL;
    v.w = 120;
    v.h = 40;
    assert_int_equal(viz_keys_handle(&v, s, K('w'), &c), VK_REDRAW);
    assert_false(v.cmp_right);
    assert_non_null(strstr(v.status, "both worlds are shown side by side"));
    viz_view_free(&v);
    viz_snap_free(s);
    free(s);
}

static void test_viz_input_event_words(void **state)
{
    (void)state;
    trace_event ev = { .kind = TR_ROLE, .code = TROLE_LEADING, .node = 1,
                       .peer = -1, .a = 2 };
    snprintf(ev.text, sizeof ev.text, "LEADING");
    char out[160];
    viz_role role;
    assert_true(viz_event_words(&ev, "zk2", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "zk2 is now LEADING (epoch 2)");
    assert_int_equal(role, VR_LEADER);
    /* the colour comes from the event's role code, not from its words */
    ev.code = TROLE_LOOKING;
    assert_true(viz_event_words(&ev, "zk2", "", "en", out, sizeof out, &role));
    assert_int_equal(role, VR_LOOKING);
    ev.code = TROLE_FOLLOWING;
    snprintf(ev.text, sizeof ev.text, "LEADING is what it no longer does");
    assert_true(viz_event_words(&ev, "zk2", "", "en", out, sizeof out, &role));
    assert_int_equal(role, VR_FOLLOWER);
    ev.kind = TR_PRODUCE;       /* a failed write: a = its error code */
    ev.a = 4;
    snprintf(ev.text, sizeof ev.text, "3 records written");
    assert_true(viz_event_words(&ev, "p1", "", "en", out, sizeof out, &role));
    assert_int_equal(role, VR_BAD);
    ev.a = 0;
    snprintf(ev.text, sizeof ev.text, "no error and nothing failed");
    assert_true(viz_event_words(&ev, "p1", "", "en", out, sizeof out, &role));
    assert_int_equal(role, VR_GOOD);
    ev.kind = TR_LOSS;          /* the prefix comes from the code too */
    ev.code = TLOSS_AT_RISK;
    snprintf(ev.text, sizeof ev.text, "orders-2 offset 7 (acks=1) truncated away on 102");
    assert_true(viz_event_words(&ev, "102", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "acknowledged write lost: orders-2 offset 7 (acks=1) "
                             "truncated away on 102");
    assert_int_equal(role, VR_BAD);
    ev.code = TLOSS_LOST;
    snprintf(ev.text, sizeof ev.text, "acknowledged record lost: orders-2 offset 7 (acks=1)");
    assert_true(viz_event_words(&ev, "", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "acknowledged record lost: orders-2 offset 7 (acks=1)");
    ev.kind = TR_SYNC;          /* a start and a sync read alike but for the code */
    ev.code = TSYNC_LOAD;
    snprintf(ev.text, sizeof ev.text, "LOAD");
    assert_true(viz_event_words(&ev, "zk1", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "zk1 loaded its snapshot and log");
    ev.code = TSYNC_SNAP;
    snprintf(ev.text, sizeof ev.text, "SNAP");
    assert_true(viz_event_words(&ev, "zk1", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "zk1 synced with the leader (SNAP)");
    ev.code = 0;
    ev.a = 2;
    ev.kind = TR_FAULT;
    snprintf(ev.text, sizeof ev.text, "crash zk3");
    assert_true(viz_event_words(&ev, "zk3", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "fault: crash zk3");
    snprintf(ev.text, sizeof ev.text, "pause zk1 for 0 ms");
    assert_true(viz_event_words(&ev, "zk1", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "fault: pause zk1 until resumed");
    ev.kind = TR_SESSION_EXPIRE;
    ev.a = 0x1000000000002ULL;
    assert_true(viz_event_words(&ev, "zk1", "", "en", out, sizeof out, &role));
    assert_string_equal(out, "session 0x1000000000002 expired");
    ev.kind = TR_DELIVER;
    assert_false(viz_event_words(&ev, "zk1", "zk2", "en", out, sizeof out, &role));
    ev.kind = TR_VOTE;
    assert_false(viz_event_words(&ev, "zk1", "zk2", "en", out, sizeof out, &role));
    /* a vote for a fresher log (FastLeaderElection.totalOrderPredicate:
     * a higher zxid wins) names both candidates' logs; code is the one
     * it beat. Without a code (a first vote, a tie broken by id) none. */
    ev.code = 1;
    ev.a = 2;
    ev.b = 0x10000003aULL;
    snprintf(ev.text, sizeof ev.text,
             "votes zk2 (epoch 1, zxid 0x10000003a, round 2) over zk1 (zxid 0x100000031)");
    assert_true(viz_event_words(&ev, "zk1", "zk2", "en", out, sizeof out, &role));
    assert_string_equal(out, "zk1 votes zk2 (logged zxid 0x10000003a) over zk1 (0x100000031)");
    assert_true(viz_event_words(&ev, "zk1", "zk2", "ko", out, sizeof out, &role));
    assert_string_equal(out, "zk1: zk2에 투표 (기록된 zxid 0x10000003a), zk1(0x100000031)보다 최신 로그");
    ev.code = 0;
    /* a client's text that starts with its name is not named twice */
    ev.kind = TR_CLIENT;
    snprintf(ev.text, sizeof ev.text, "p1: no answer from 101 within 3000 ms");
    assert_true(viz_event_words(&ev, "p1", "101", "en", out, sizeof out, &role));
    assert_string_equal(out, "p1: no answer from 101 within 3000 ms");
    snprintf(ev.text, sizeof ev.text, "zk client lost zk3");
    assert_true(viz_event_words(&ev, "101", "zk3", "en", out, sizeof out, &role));
    assert_string_equal(out, "101: zk client lost zk3");
    /* a connect that never succeeded is no lost connection */
    snprintf(ev.text, sizeof ev.text, "zk client could not connect to zk1");
    assert_true(viz_event_words(&ev, "101", "zk1", "en", out, sizeof out, &role));
    assert_string_equal(out, "101: zk client could not connect to zk1");
    assert_true(viz_event_words(&ev, "101", "zk1", "ko", out, sizeof out, &role));
    assert_string_equal(out, "101: ZooKeeper 서버 zk1에 연결하지 못함");
}

/* One event rendered in Korean (and the role it has in English). */
static const char *ko(trace_kind kind, const char *node, const char *peer, uint64_t a,
                      const char *text)
{
    static char out[200];
    trace_event ev = { .kind = kind, .node = 1, .peer = -1, .a = a };
    snprintf(ev.text, sizeof ev.text, "%s", text);
    viz_role role;
    assert_true(viz_event_words(&ev, node, peer, "ko", out, sizeof out, &role));
    return out;
}

static void test_viz_input_event_words_korean(void **state)
{
    (void)state;
    assert_string_equal(ko(TR_ROLE, "zk3", "", 1, "LEADING epoch 1"),
                        "zk3: 리더가 됨 (LEADING, 에포크 1)");
    assert_string_equal(ko(TR_ROLE, "zk1", "zk3", 1, "FOLLOWING zk3 epoch 1"),
                        "zk1: zk3의 팔로워가 됨 (FOLLOWING, 에포크 1)");
    assert_string_equal(ko(TR_ROLE, "zk2", "", 1, "LOOKING: leader silent"),
                        "zk2: 리더를 찾는 중 (LOOKING): 리더의 응답이 끊김");
    assert_string_equal(ko(TR_ELECTION, "zk1", "zk3", 2, "elected zk3 (round 1)"),
                        "선출: zk3, zxid 0x0");
    assert_string_equal(ko(TR_SESSION_EXPIRE, "zk1", "", 0x100000000000002ULL, ""),
                        "세션 0x100000000000002 만료");
    assert_string_equal(ko(TR_WATCH, "zk1", "101", 5, "NodeChildrenChanged /brokers/ids"),
                        "워치 발동: NodeChildrenChanged /brokers/ids");
    assert_string_equal(ko(TR_FAULT, "zk3", "", 0, "crash zk3"), "장애: zk3 크래시(비정상 종료)");
    assert_string_equal(ko(TR_FAULT, "zk1", "", 0, "pause zk1 for 0 ms"),
                        "장애: zk1 일시정지 (재개할 때까지)");
    assert_string_equal(ko(TR_FAULT, "", "", 0, "heal every link"), "복구: 모든 링크 복구");
    assert_string_equal(ko(TR_CONTROLLER, "102", "", 3, "102 is the controller, epoch 3"),
                        "새 컨트롤러: 브로커 102 (컨트롤러 에포크 3)");
    assert_string_equal(ko(TR_LEADER, "103", "", 2, "orders-1 leader 103 epoch 2"),
                        "orders-1 새 리더: 103 (리더 에포크 2)");
    assert_string_equal(ko(TR_LEADER, "", "", 4, "orders-1 leader -1 epoch 4"),
                        "orders-1 리더 없음: 오프라인 (리더 에포크 4)");
    assert_string_equal(ko(TR_ISR, "101", "", 2, "orders-1 leader 103 epoch 2 isr [103,104]"),
                        "orders-1 ISR [103,104] (리더 103, 리더 에포크 2)");
    assert_string_equal(ko(TR_LOSS, "", "", 7, "acknowledged record lost: orders-2 offset 7 (acks=1)"),
                        "확인된 쓰기 유실: orders-2 오프셋 7 (acks=1)");
    assert_string_equal(ko(TR_NOTE, "101", "", 0, "101: controlled shutdown begins"),
                        "101: 정상 종료(controlled shutdown) 시작");
    assert_string_equal(ko(TR_NOTE, "101", "", 0, "controller: broker 104 is gone (its session ended)"),
                        "컨트롤러: 브로커 104 사라짐 (세션 끝남)");
    assert_string_equal(ko(TR_CLIENT, "101", "zk3", 0x300000000000001ULL,
                           "zk session 0x300000000000001 EXPIRED"),
                        "101: ZooKeeper 세션 0x300000000000001 만료됨 (EXPIRED)");
    assert_string_equal(ko(TR_CHECK, "", "", 1, "quorum of 3 is 2"), "검사 통과: quorum of 3 is 2");
    /* a text of unknown shape keeps its English; a lesson's narration too */
    assert_string_equal(ko(TR_NOTE, "", "", 0, "세 대의 서버"), "세 대의 서버");
    assert_string_equal(ko(TR_FAULT, "", "", 0, "unplug the rack"), "fault: unplug the rack");
}

/* The options parser moved to app/opts.c (test_opts.c); the speeds + and
 * - step through stay the dashboard's. */
static void test_viz_input_speed_steps(void **state)
{
    (void)state;
    assert_true(viz_speed_step(10, 1) == 20);
    assert_true(viz_speed_step(10, -1) == 5);
    assert_true(viz_speed_step(1000, 1) == 1000);
    assert_true(viz_speed_step(0.1, -1) == 0.1);
    assert_true(viz_speed_step(7, 1) == 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_input_parse_node_commands),
        cmocka_unit_test(test_viz_input_parse_reassign),
        cmocka_unit_test(test_viz_input_parse_split),
        cmocka_unit_test(test_viz_input_parse_errors_say_why),
        cmocka_unit_test(test_viz_input_parse_errors_korean),
        cmocka_unit_test(test_viz_input_parse_survives_garbage),
        cmocka_unit_test(test_viz_input_keys_select_and_act),
        cmocka_unit_test(test_viz_input_command_line_editing),
        cmocka_unit_test(test_viz_input_number_prompt_swallows_letters),
        cmocka_unit_test(test_viz_input_question_refuses_world_commands),
        cmocka_unit_test(test_viz_input_event_log_text),
        cmocka_unit_test(test_viz_input_lesson_pick),
        cmocka_unit_test(test_viz_input_help_and_tree),
        cmocka_unit_test(test_viz_input_w_flips_the_world_shown),
        cmocka_unit_test(test_viz_input_event_words),
        cmocka_unit_test(test_viz_input_event_words_korean),
        cmocka_unit_test(test_viz_input_speed_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
