/* Unit tests for the link model: delays within bounds, FIFO per link,
 * drop ratios, one-way cuts, isolation (cut off from every peer, not
 * some link cut), split groups, healing, and growth
 * of the link matrix past its first size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "net.h"

static const link_cfg LAN = { .delay_lo_us = 500, .delay_hi_us = 2000 };

static net *net_with(int nodes, link_cfg defaults)
{
    net *n = net_new(defaults);
    for (int i = 0; i < nodes; i++)
        assert_int_equal(net_add_node(n), i);
    assert_int_equal(net_node_count(n), nodes);
    return n;
}

static bool cfg_equal(link_cfg a, link_cfg b)
{
    return a.delay_lo_us == b.delay_lo_us && a.delay_hi_us == b.delay_hi_us &&
           a.drop_ppm == b.drop_ppm && a.cut == b.cut;
}

static void test_net_delay_within_bounds(void **state)
{
    (void)state;
    net *n = net_with(2, LAN);
    rng r;
    rng_seed(&r, 1);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint64_t now = 0; now < 10000 * 10000ULL; now += 10000) {
        uint64_t at;
        /* messages 10 ms apart: more than the delay, so FIFO never bites */
        assert_int_equal(net_route(n, &r, 0, 1, now, &at), NET_DELIVER);
        uint64_t d = at - now;
        assert_in_range(d, 500, 2000);
        if (d < lo) lo = d;
        if (d > hi) hi = d;
    }
    /* the whole range is used, not a constant */
    assert_true(lo < 520 && hi > 1980);
    net_free(n);
}

static void test_net_fifo_per_link_random_delays(void **state)
{
    (void)state;
    link_cfg wide = { .delay_lo_us = 10, .delay_hi_us = 50000 };
    net *n = net_with(3, wide);
    rng r;
    rng_seed(&r, 2);
    uint64_t last01 = 0, last02 = 0;
    int held = 0;
    for (uint64_t now = 0; now < 5000 * 100; now += 100) {
        uint64_t a, b;
        assert_int_equal(net_route(n, &r, 0, 1, now, &a), NET_DELIVER);
        assert_int_equal(net_route(n, &r, 0, 2, now, &b), NET_DELIVER);
        assert_true(a >= last01);          /* never overtakes on 0 -> 1 */
        assert_true(b >= last02);
        assert_true(a >= now + 10 && b >= now + 10);
        held += a == last01;               /* the FIFO floor held it back */
        last01 = a;
        last02 = b;
    }
    assert_true(held > 100);               /* the floor really was needed */
    net_free(n);
}

/* FIFO is per link: a slow message on 0 -> 1 does not delay 1 -> 0 or 0 -> 2. */
static void test_net_fifo_is_per_link(void **state)
{
    (void)state;
    net *n = net_with(3, LAN);
    rng r;
    rng_seed(&r, 3);
    net_set_link(n, 0, 1, (link_cfg){ .delay_lo_us = 1000000, .delay_hi_us = 1000000 });
    uint64_t at;
    assert_int_equal(net_route(n, &r, 0, 1, 0, &at), NET_DELIVER);
    assert_int_equal(at, 1000000);
    assert_int_equal(net_route(n, &r, 1, 0, 0, &at), NET_DELIVER);
    assert_in_range(at, 500, 2000);
    assert_int_equal(net_route(n, &r, 0, 2, 0, &at), NET_DELIVER);
    assert_in_range(at, 500, 2000);
    /* back to a fast link, 0 -> 1 still waits behind the slow one */
    net_set_link(n, 0, 1, LAN);
    assert_int_equal(net_route(n, &r, 0, 1, 10, &at), NET_DELIVER);
    assert_int_equal(at, 1000000);
    net_free(n);
}

static void test_net_drop_ratio_honoured(void **state)
{
    (void)state;
    net *n = net_with(2, LAN);
    rng r;
    rng_seed(&r, 4);
    link_cfg lossy = LAN;
    lossy.drop_ppm = 100000;               /* 10 % */
    net_set_link(n, 0, 1, lossy);
    int lost = 0, draws = 100000;
    for (int i = 0; i < draws; i++) {
        uint64_t at;
        net_verdict v = net_route(n, &r, 0, 1, (uint64_t)i * 10000, &at);
        assert_true(v == NET_DELIVER || v == NET_DROP_LOSS);
        lost += v == NET_DROP_LOSS;
    }
    /* expected 10000, sigma ~95: allow about 5 sigma */
    assert_in_range(lost, 9500, 10500);
    /* the reverse link kept the default: nothing lost */
    for (int i = 0; i < 1000; i++) {
        uint64_t at;
        assert_int_equal(net_route(n, &r, 1, 0, (uint64_t)i * 10000, &at), NET_DELIVER);
    }
    /* a ratio of one million per million loses everything */
    lossy.drop_ppm = NET_PPM;
    net_set_link(n, 0, 1, lossy);
    for (int i = 0; i < 1000; i++) {
        uint64_t at;
        assert_int_equal(net_route(n, &r, 0, 1, 0, &at), NET_DROP_LOSS);
    }
    net_free(n);
}

static void test_net_one_way_cut(void **state)
{
    (void)state;
    net *n = net_with(3, LAN);
    rng r;
    rng_seed(&r, 5);
    uint64_t at;
    net_cut(n, 0, 1, true);
    assert_false(net_can_reach(n, 0, 1));
    assert_true(net_can_reach(n, 1, 0));
    assert_int_equal(net_route(n, &r, 0, 1, 0, &at), NET_DROP_CUT);
    assert_int_equal(net_route(n, &r, 1, 0, 0, &at), NET_DELIVER);
    assert_int_equal(net_route(n, &r, 0, 2, 0, &at), NET_DELIVER);
    assert_true(net_any_cut(n, 0));
    assert_true(net_any_cut(n, 1));
    assert_false(net_any_cut(n, 2));
    net_cut(n, 0, 1, false);
    assert_int_equal(net_route(n, &r, 0, 1, 0, &at), NET_DELIVER);
    assert_false(net_any_cut(n, 0));
    net_free(n);
}

static void test_net_isolate(void **state)
{
    (void)state;
    net *n = net_with(4, LAN);
    net_isolate(n, 2);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            if (i == j) continue;
            bool touches = i == 2 || j == 2;
            assert_int_equal(net_can_reach(n, i, j), !touches);
        }
    }
    assert_true(net_any_cut(n, 2));
    assert_true(net_any_cut(n, 0));        /* its link to 2 is cut */
    net_free(n);
}

/* "Isolated" is cut off from every peer, not "some link cut": one cut
 * link, a majority side, a pair on a minority side are not; a one-way
 * link left is no link; peers outside the group do not count. */
static void test_net_cut_off_every_peer(void **state)
{
    (void)state;
    net *n = net_with(6, LAN);
    const int ens[] = { 0, 1, 2, 3, 4 };    /* node 5: a broker, not a peer */
    for (int i = 0; i < 5; i++)
        assert_false(net_cut_off(n, i, ens, 5));
    net_cut(n, 0, 1, true);
    net_cut(n, 1, 0, true);
    assert_false(net_linked(n, 0, 1));
    assert_true(net_any_cut(n, 0));
    assert_false(net_cut_off(n, 0, ens, 5));    /* one link of four */
    net_heal(n);
    /* {0,1} | {2,3,4}: nobody is alone */
    const int two_three[] = { 0, 0, 1, 1, 1, -1 };
    net_split(n, two_three, 6);
    for (int i = 0; i < 5; i++)
        assert_false(net_cut_off(n, i, ens, 5));
    net_heal(n);
    /* {0} | {1,2,3,4}, 0 still linked to the broker 5 */
    const int one_four[] = { 0, 1, 1, 1, 1, -1 };
    net_split(n, one_four, 6);
    assert_true(net_linked(n, 0, 5));
    assert_true(net_cut_off(n, 0, ens, 5));
    for (int i = 1; i < 5; i++)
        assert_false(net_cut_off(n, i, ens, 5));
    /* a link back one way only is still no link */
    net_cut(n, 0, 1, false);
    assert_true(net_can_reach(n, 0, 1));
    assert_false(net_linked(n, 0, 1));
    assert_true(net_cut_off(n, 0, ens, 5));
    net_cut(n, 1, 0, false);
    assert_false(net_cut_off(n, 0, ens, 5));
    /* isolation, and a lone server has nobody to be cut off from */
    net_heal(n);
    net_isolate(n, 3);
    assert_true(net_cut_off(n, 3, ens, 5));
    assert_false(net_cut_off(n, 3, &ens[3], 1));
    net_free(n);
}

static void test_net_split_groups(void **state)
{
    (void)state;
    net *n = net_with(6, LAN);
    /* {0,1,2} | {3,4}; node 5 left alone */
    const int group[] = { 0, 0, 0, 1, 1, -1 };
    net_split(n, group, 6);
    for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 6; j++) {
            if (i == j) continue;
            bool apart = group[i] >= 0 && group[j] >= 0 && group[i] != group[j];
            assert_int_equal(net_can_reach(n, i, j), !apart);
        }
    }
    assert_false(net_any_cut(n, 5));
    /* a shorter group list leaves later nodes alone */
    net_heal(n);
    const int two[] = { 0, 1 };
    net_split(n, two, 2);
    assert_false(net_can_reach(n, 0, 1));
    assert_true(net_can_reach(n, 0, 2));
    assert_true(net_can_reach(n, 2, 1));
    net_free(n);
}

static void test_net_heal_restores_defaults(void **state)
{
    (void)state;
    net *n = net_with(3, LAN);
    rng r;
    rng_seed(&r, 6);
    net_set_link(n, 0, 1, (link_cfg){ .delay_lo_us = 9, .delay_hi_us = 9, .drop_ppm = 500000 });
    net_cut(n, 2, 0, true);
    net_isolate(n, 1);
    net_heal(n);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            assert_true(cfg_equal(net_link(n, i, j), LAN));
    assert_true(cfg_equal(net_defaults(n), LAN));
    for (int i = 0; i < 3; i++)
        assert_false(net_any_cut(n, i));
    for (int k = 0; k < 1000; k++) {
        uint64_t at;
        assert_int_equal(net_route(n, &r, 0, 1, (uint64_t)k * 10000, &at), NET_DELIVER);
    }
    net_free(n);
}

static void test_net_growth_keeps_links(void **state)
{
    (void)state;
    net *n = net_with(16, LAN);
    rng r;
    rng_seed(&r, 7);
    link_cfg odd = { .delay_lo_us = 77, .delay_hi_us = 88, .drop_ppm = 1234 };
    net_set_link(n, 3, 7, odd);
    net_set_link(n, 15, 0, odd);
    net_cut(n, 15, 2, true);
    net_cut(n, 0, 15, true);
    net_set_link(n, 1, 2, (link_cfg){ .delay_lo_us = 500000, .delay_hi_us = 500000 });
    uint64_t slow;
    assert_int_equal(net_route(n, &r, 1, 2, 0, &slow), NET_DELIVER);
    net_set_link(n, 1, 2, LAN);
    for (int i = 16; i < 70; i++)           /* grows the matrix twice */
        assert_int_equal(net_add_node(n), i);
    assert_true(cfg_equal(net_link(n, 3, 7), odd));
    assert_true(cfg_equal(net_link(n, 15, 0), odd));
    assert_false(net_can_reach(n, 15, 2));
    assert_false(net_can_reach(n, 0, 15));
    assert_true(net_can_reach(n, 2, 15));
    assert_true(cfg_equal(net_link(n, 7, 3), LAN));
    /* new nodes have default links both ways */
    for (int i = 0; i < 70; i++) {
        assert_true(cfg_equal(net_link(n, i, 69), LAN));
        assert_true(cfg_equal(net_link(n, 69, i), LAN));
    }
    /* the FIFO floor of an old link survived the move */
    uint64_t at;
    assert_int_equal(net_route(n, &r, 1, 2, 10, &at), NET_DELIVER);
    assert_int_equal(at, slow);
    net_free(n);
}

/* Links keep their own settings however many distinct ones a script
 * sets (net.c keeps a table of the distinct settings and drops unused
 * ones when it fills): each link's last settings, and a cut that leaves
 * a link's delay alone. */
static void test_net_many_distinct_settings(void **state)
{
    (void)state;
    net *n = net_with(3, LAN);
    link_cfg slow = { .delay_lo_us = 7000, .delay_hi_us = 7000 };
    net_set_link(n, 1, 2, slow);
    net_cut(n, 1, 2, true);
    for (uint64_t d = 1; d <= 70000; d++)
        net_set_link(n, 0, 1, (link_cfg){ .delay_lo_us = d, .delay_hi_us = d });
    assert_int_equal(net_link(n, 0, 1).delay_hi_us, 70000);
    assert_true(cfg_equal(net_link(n, 1, 0), LAN));
    link_cfg cut = net_link(n, 1, 2);
    assert_true(cut.cut && cut.delay_lo_us == 7000);
    net_cut(n, 1, 2, false);
    assert_true(cfg_equal(net_link(n, 1, 2), slow));
    rng r;
    rng_seed(&r, 1);
    uint64_t at;
    assert_int_equal(net_route(n, &r, 0, 1, 1000, &at), NET_DELIVER);
    assert_int_equal(at, 71000);
    net_free(n);
}

static void test_net_free_null(void **state)
{
    (void)state;
    net_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net_delay_within_bounds),
        cmocka_unit_test(test_net_fifo_per_link_random_delays),
        cmocka_unit_test(test_net_fifo_is_per_link),
        cmocka_unit_test(test_net_drop_ratio_honoured),
        cmocka_unit_test(test_net_one_way_cut),
        cmocka_unit_test(test_net_isolate),
        cmocka_unit_test(test_net_cut_off_every_peer),
        cmocka_unit_test(test_net_split_groups),
        cmocka_unit_test(test_net_heal_restores_defaults),
        cmocka_unit_test(test_net_growth_keeps_links),
        cmocka_unit_test(test_net_many_distinct_settings),
        cmocka_unit_test(test_net_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
