/* test_ko: Korean particles agree with the word before them, read as a
 * Korean reader says it: Hangul by its batchim, numbers by their last
 * digit or unit, Latin letters as spelled. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ko.h"

static void test_ko_particle_hangul(void **state)
{
    (void)state;
    assert_string_equal(ko_particle("리더", "이"), "가");
    assert_string_equal(ko_particle("세션", "가"), "이");
    assert_string_equal(ko_particle("브로커", "을"), "를");
    assert_string_equal(ko_particle("토픽", "를"), "을");
    assert_string_equal(ko_particle("서버", "은"), "는");
    assert_string_equal(ko_particle("팔로워", "과"), "와");
    assert_string_equal(ko_particle("리더", "와"), "와");
    assert_string_equal(ko_particle("세션", "와"), "과");
    /* (으)로: ㄹ takes 로 like a vowel */
    assert_string_equal(ko_particle("파일", "으로"), "로");
    assert_string_equal(ko_particle("세션", "로"), "으로");
    assert_string_equal(ko_particle("리더", "으로"), "로");
}

static void test_ko_particle_digits_and_latin(void **state)
{
    (void)state;
    assert_string_equal(ko_particle("102", "을"), "를");     /* 이 */
    assert_string_equal(ko_particle("101", "을"), "을");     /* 일 */
    assert_string_equal(ko_particle("101", "으로"), "로");   /* 일: ㄹ */
    assert_string_equal(ko_particle("103", "은"), "은");     /* 삼 */
    assert_string_equal(ko_particle("104", "이"), "가");     /* 사 */
    assert_string_equal(ko_particle("pay-0", "은"), "은");   /* 영 */
    assert_string_equal(ko_particle("10", "을"), "을");      /* 십 */
    assert_string_equal(ko_particle("100", "으로"), "으로"); /* 백 */
    assert_string_equal(ko_particle("zk2", "가"), "가");     /* 이 */
    assert_string_equal(ko_particle("zk3", "가"), "이");     /* 삼 */
    assert_string_equal(ko_particle("orders", "는"), "는");  /* 에스 */
    assert_string_equal(ko_particle("fail", "을"), "을");    /* 엘 */
    assert_string_equal(ko_particle("fail", "으로"), "로");
    assert_string_equal(ko_particle("item", "를"), "을");    /* 엠 */
    assert_string_equal(ko_particle("'zk1'", "를"), "을");   /* quotes skipped */
    assert_string_equal(ko_particle("102", "에게"), "에게");  /* not a pair */
}

static void test_ko_resolve_markers(void **state)
{
    (void)state;
    char out[256];
    ko_resolve("브로커 102 을(를) 비정상 종료합니다", out, sizeof out);
    assert_string_equal(out, "브로커 102를 비정상 종료합니다");
    ko_resolve("브로커 101 을(를) 멈춤", out, sizeof out);
    assert_string_equal(out, "브로커 101을 멈춤");
    ko_resolve("pay-0 은(는) 리더가 없음; zk2이(가) 리더, 세션(으)로 연결, 리더와(과) 팔로워", out,
               sizeof out);
    assert_string_equal(out, "pay-0은 리더가 없음; zk2가 리더, 세션으로 연결, 리더와 팔로워");
    ko_resolve("zk1(으)로", out, sizeof out);
    assert_string_equal(out, "zk1로");
    /* no marker: unchanged; a short buffer is cut, still terminated */
    ko_resolve("h 로 복구", out, sizeof out);
    assert_string_equal(out, "h 로 복구");
    char small[6];
    ko_resolve("102 을(를) x", small, sizeof small);
    assert_int_equal(strlen(small) < sizeof small, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ko_particle_hangul),
        cmocka_unit_test(test_ko_particle_digits_and_latin),
        cmocka_unit_test(test_ko_resolve_markers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
