/* opts: the one command-line parser for the dashboard, headless, fuzz and
 * list modes. Every flag the README, the Makefile and the suites use
 * parses as before; a bad flag, a bad value or a flag that does nothing in
 * the mode asked is one clear error. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "opts.h"

static ql_opts o;
static char err[256];

/* Parses the words of line (split on spaces) after "quorumlab". */
static bool parse(const char *line)
{
    static char buf[512];
    char *argv[32] = { "quorumlab" };
    int argc = 1;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
        argv[argc++] = t;
    argv[argc] = NULL;
    err[0] = '\0';
    return ql_opts_parse(argc, argv, &o, err, sizeof err);
}

static void test_opts_defaults_open_the_dashboard(void **state)
{
    (void)state;
    assert_true(parse(""));
    assert_int_equal(o.mode, QL_DASHBOARD);
    assert_null(o.script);
    assert_false(o.sandbox);
    assert_int_equal(o.zookeepers, 3);
    assert_int_equal(o.brokers, 4);
    assert_true(o.speed == 10);
    assert_int_equal(o.seed, 1);
    assert_false(o.seed_set);
    assert_null(o.lang);
}

static void test_opts_dashboard_flags(void **state)
{
    (void)state;
    assert_true(parse("--sandbox --zookeepers 5 --brokers 0 --speed 0.5 --seed 42 --lang ko --trace t.jsonl --trust"));
    assert_int_equal(o.mode, QL_DASHBOARD);
    assert_true(o.sandbox);
    assert_int_equal(o.zookeepers, 5);
    assert_int_equal(o.brokers, 0);
    assert_true(o.speed == 0.5);
    assert_int_equal(o.seed, 42);
    assert_true(o.seed_set);
    assert_string_equal(o.lang, "ko");
    assert_string_equal(o.trace_path, "t.jsonl");
    assert_true(o.trust);
    assert_true(parse("lessons/05_odd_ensembles.lua --speed 50 --lang ko"));
    assert_string_equal(o.script, "lessons/05_odd_ensembles.lua");
    assert_true(o.speed == 50);
}

static void test_opts_headless_and_fuzz(void **state)
{
    (void)state;
    assert_true(parse("--headless scripts/quorum.lua --seed 7 --trace run.jsonl --lang en --trust"));
    assert_int_equal(o.mode, QL_HEADLESS);
    assert_string_equal(o.script, "scripts/quorum.lua");
    assert_int_equal(o.seed, 7);
    assert_true(o.trust);
    assert_true(parse("--fuzz 1000 --seed 18446744073709551615 --fuzz-unsafe --fuzz-keep-going --trace f.jsonl"));
    assert_int_equal(o.mode, QL_FUZZ);
    assert_int_equal(o.fuzz_count, 1000);
    assert_int_equal(o.seed, UINT64_MAX);
    assert_true(o.fuzz_unsafe && o.fuzz_keep_going);
    assert_true(parse("--seed=9 --headless=x.lua"));
    assert_int_equal(o.seed, 9);
    assert_string_equal(o.script, "x.lua");
    assert_int_equal(o.world_mem_max, 0);              /* the lab's 2 GB */
    assert_true(parse("--headless x.lua --mem-max 512"));
    assert_int_equal(o.world_mem_max, (size_t)512 << 20);
    assert_true(parse("lessons/05_odd_ensembles.lua --mem-max=64"));
    assert_int_equal(o.world_mem_max, (size_t)64 << 20);
}

/* --kafka-port moves the brokers' ports as --zk-port moves the servers';
 * each needs --listen */
static void test_opts_listen_ports(void **state)
{
    (void)state;
    assert_true(parse("--sandbox --listen --zk-port 12181 --kafka-port 19092"));
    assert_true(o.listen);
    assert_int_equal(o.zk_port, 12181);
    assert_int_equal(o.kafka_port, 19092);
    assert_true(parse("--sandbox --listen"));
    assert_int_equal(o.kafka_port, 0);          /* listen.c: 9092 */
    assert_false(parse("--sandbox --kafka-port 19092"));
    assert_non_null(strstr(err, "--kafka-port needs --listen"));
    assert_false(parse("--sandbox --listen --kafka-port 70000"));
}

static void test_opts_list_help_version(void **state)
{
    (void)state;
    assert_true(parse("--list --lang ko"));
    assert_int_equal(o.mode, QL_LIST);
    assert_string_equal(o.lang, "ko");
    assert_true(parse("--help"));
    assert_int_equal(o.mode, QL_HELP);
    assert_true(parse("--frobnicate -h"));       /* help wins over the rest */
    assert_int_equal(o.mode, QL_HELP);
    assert_true(parse("--version"));
    assert_int_equal(o.mode, QL_VERSION);
}

/* --lesson N|NAME opens a lesson as the picker numbers them; it is a
 * lesson like LESSON.lua, so the sandbox's options and a second lesson
 * do not go with it. */
static void test_opts_lesson_by_number(void **state)
{
    (void)state;
    assert_true(parse("--lesson 1 --speed 2 --lang ko"));
    assert_int_equal(o.mode, QL_DASHBOARD);
    assert_string_equal(o.lesson_pick, "1");
    assert_null(o.script);          /* main resolves it (viz_lesson_pick) */
    assert_true(parse("--lesson=05_odd_ensembles"));
    assert_string_equal(o.lesson_pick, "05_odd_ensembles");
    assert_false(parse("--lesson 1 lessons/02_placement.lua"));
    assert_non_null(strstr(err, "one lesson at a time"));
    assert_false(parse("--lesson 1 --sandbox"));
    assert_non_null(strstr(err, "--sandbox is for the sandbox, not a lesson (lesson 1"));
    assert_false(parse("--headless x.lua --lesson 1"));
    assert_false(parse("--lesson"));
}

/* One line that names the offending argument. */
static void bad(const char *line, const char *want)
{
    assert_false(parse(line));
    if (!strstr(err, want)) fail_msg("'%s' gave '%s', want '%s'", line, err, want);
    assert_null(strchr(err, '\n'));
}

static void test_opts_bad_values(void **state)
{
    (void)state;
    bad("--frobnicate", "unknown option: --frobnicate");
    bad("--headless x.lua --mem-max 0", "--mem-max takes megabytes from 1 to 1048576: 0");
    bad("--fuzz 3 --mem-max 64", "--mem-max does not apply to --fuzz");
    bad("--seed", "missing value after --seed");
    bad("--seed -1", "--seed takes a number from 0 to 2^64-1: -1");
    bad("--seed 18446744073709551616", "--seed takes a number");
    bad("--seed 7x", "--seed takes a number");
    bad("--zookeepers 99", "--zookeepers takes 1 to 15: 99");
    bad("--zookeepers 0", "--zookeepers takes 1 to 15");
    bad("--brokers 101", "--brokers takes 0 to 100: 101");
    bad("--speed 5000", "--speed takes 0.1 to 1000: 5000");
    bad("--speed fast", "--speed takes 0.1 to 1000");
    bad("--lang fr", "--lang takes en or ko: fr");
    bad("--fuzz 0", "--fuzz takes a number of seeds from 1: 0");
    bad("--fuzz -3", "--fuzz takes a number of seeds from 1");
    bad("--fuzz many", "--fuzz takes a number of seeds from 1");
    bad("--trust=yes", "--trust takes no value");
    bad("--seed 1 --seed 2", "--seed given twice");
}

static void test_opts_flags_that_do_nothing_are_errors(void **state)
{
    (void)state;
    bad("--fuzz-unsafe", "--fuzz-unsafe needs --fuzz N");
    bad("--fuzz-keep-going --headless x.lua", "--fuzz-keep-going needs --fuzz N");
    bad("--fuzz 2 --headless x.lua", "--fuzz runs no script");
    bad("--fuzz 2 x.lua", "--fuzz runs no script");
    bad("--headless x.lua --speed 20", "--speed does not apply to --headless");
    bad("--headless x.lua --sandbox", "--sandbox does not apply to --headless");
    bad("--headless x.lua y.lua", "unexpected argument: y.lua");
    bad("--fuzz 3 --lang ko", "--lang does not apply to --fuzz");
    bad("--list --seed 3", "--seed does not apply to --list");
    bad("--list --headless x.lua", "--headless and --list do not go together");
    bad("a.lua b.lua", "unexpected argument: b.lua");
    bad("lessons/05_odd_ensembles.lua --brokers 3", "--brokers is for the sandbox, not a lesson");
    bad("lessons/05_odd_ensembles.lua --sandbox", "--sandbox is for the sandbox, not a lesson");
}

/* --mode kraft: the sandbox is a KRaft controller quorum and its brokers
 * (issue 12); it has no ensemble, so --zookeepers is refused, and a lesson
 * builds its own world. */
static void test_opts_mode_kraft(void **state)
{
    (void)state;
    assert_true(parse("--sandbox --mode kraft"));
    assert_true(o.kraft);
    assert_true(parse("--sandbox --mode zookeeper"));
    assert_false(o.kraft);
    assert_true(parse("--sandbox"));
    assert_false(o.kraft);
    bad("--sandbox --mode raft", "--mode takes zookeeper or kraft: raft");
    assert_true(parse("--sandbox --mode kraft --brokers 3"));
    assert_int_equal(o.brokers, 3);
    /* the usual 4 brokers, as --help says (it had none: a learner could
     * not watch a broker fenced); --brokers 0 leaves the quorum alone */
    assert_true(parse("--sandbox --mode kraft"));
    assert_int_equal(o.brokers, 4);
    assert_true(parse("--sandbox --mode kraft --brokers 0"));
    assert_int_equal(o.brokers, 0);
    bad("--mode kraft --zookeepers 5", "--zookeepers is ZooKeeper mode's");
    bad("lessons/14_kraft.lua --mode kraft", "--mode is for the sandbox");
    bad("--headless x.lua --mode kraft", "--mode does not apply to --headless");
}

/* --mode kraft --listen: real clients talk to brokers only (a KRaft world
 * has no ZooKeeper, and its controllers take no clients), so the KRaft
 * sandbox gets the usual 4 brokers with --listen, refuses --brokers 0
 * and --zk-port. */
static void test_opts_mode_kraft_listen(void **state)
{
    (void)state;
    assert_true(parse("--sandbox --mode kraft --listen"));
    assert_true(o.kraft);
    assert_true(o.listen);
    assert_int_equal(o.brokers, 4);
    assert_true(parse("--sandbox --mode kraft --listen --brokers 2 --kafka-port 19092"));
    assert_int_equal(o.brokers, 2);
    assert_int_equal(o.kafka_port, 19092);
    bad("--sandbox --mode kraft --brokers 0 --listen",
        "--listen: a KRaft sandbox without brokers has nothing for real clients");
    bad("--sandbox --mode kraft --listen --zk-port 2181",
        "--zk-port is ZooKeeper mode's: --mode kraft has no ZooKeeper");
}

/* --compare: the sandbox twice from one seed, ZooKeeper mode beside KRaft
 * (issue 12's side-by-side view); it is a sandbox of its own, so it needs no
 * --sandbox, has the sandbox's 4 brokers and refuses a
 * mode, a lesson and real clients' ports. */
static void test_opts_compare(void **state)
{
    (void)state;
    assert_true(parse("--compare"));
    assert_true(o.compare);
    assert_true(o.sandbox);
    assert_false(o.kraft);
    assert_int_equal(o.brokers, 4);
    assert_int_equal(o.mode, QL_DASHBOARD);
    assert_true(parse("--sandbox --compare --brokers 3 --zookeepers 5 --seed 9"));
    assert_int_equal(o.brokers, 3);
    assert_int_equal(o.zookeepers, 5);
    assert_true(parse("--sandbox"));
    assert_false(o.compare);
    bad("--compare --mode kraft", "--compare runs both modes (ZooKeeper left, KRaft right): "
        "leave out --mode");
    bad("--compare --listen", "--compare does not go with --listen");
    bad("--compare=1", "--compare takes no value");
    bad("lessons/14_kraft.lua --compare", "--compare is for the sandbox, not a lesson");
    bad("--headless x.lua --compare", "--compare does not apply to --headless");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opts_defaults_open_the_dashboard),
        cmocka_unit_test(test_opts_dashboard_flags),
        cmocka_unit_test(test_opts_headless_and_fuzz),
        cmocka_unit_test(test_opts_listen_ports),
        cmocka_unit_test(test_opts_list_help_version),
        cmocka_unit_test(test_opts_lesson_by_number),
        cmocka_unit_test(test_opts_bad_values),
        cmocka_unit_test(test_opts_mode_kraft),
        cmocka_unit_test(test_opts_mode_kraft_listen),
        cmocka_unit_test(test_opts_compare),
        cmocka_unit_test(test_opts_flags_that_do_nothing_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
