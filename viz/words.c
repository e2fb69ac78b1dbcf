/* words: English -> Korean for the dashboard's fixed words. */
#include "words.h"

#include <string.h>

typedef struct pair {
    const char *en, *ko;
} pair;

static const pair table[] = {
    { "quorum %d of %d · %d up · serving", "쿼럼 %d/%d · %d대 가동 · 서비스 중" },
    { "NO QUORUM: %d of %d up, %d needed", "쿼럼 없음: %d/%d대 가동, %d대 필요" },
    { "NO LEADER: electing, %d of %d up, %d needed", "리더 없음: 선출 중, %d/%d대 가동, %d대 필요" },
    { "ENSEMBLE  %d servers, quorum %d", "앙상블  서버 %d대, 쿼럼 %d" },
    { "EVENTS", "이벤트" },
    { "nothing yet", "아직 없음" },
    { "CLIENTS  → broker it talks to", "클라이언트  → 상대 브로커" },
    { "ok %ld", "성공 %ld" },
    { "fail %ld", "실패 %ld" },
    { "boot %s", "부트스트랩 %s" },
    { "offline", "오프라인" },
    { "%s-%d: thinks %d, is %s", "%s-%d: %d로 앎, 실제 %s" },
    { "%s-%d: %d, is %s", "%s-%d: %d, 실제 %s" },
    { "no producer or consumer yet (:produce orders 100)", "아직 프로듀서나 컨슈머가 없습니다 (:produce orders 100)" },
    { "PLOTS  one column a second, newest right", "그래프  한 칸이 1초, 오른쪽이 최신" },
    { "acks", "확인" },
    { "errors", "오류" },
    { "PLACEMENT  %d partitions", "배치  파티션 %d개" },
    { "%d OFFLINE", "%d개 오프라인" },
    { "%d under-replicated", "%d개 복제 부족" },
    { "broker", "브로커" },
    { "state", "상태" },
    { "lead/repl", "리더/복제" },
    { "epoch  hw", "에포크 hw" },
    { "under", "부족" },
    { "LESSON", "레슨" },
    { "step %d", "%d단계" },
    { "n: next step   b: back a step", "n: 다음 단계   b: 이전 단계" },
    { "waiting: press n to go on", "대기 중: n 을 누르면 계속합니다" },
    { "lesson over: %d passed, %d failed (b goes back, q quits)", "레슨 끝: 통과 %d, 실패 %d (b 뒤로, q 종료)" },
    { "lesson over: %d passed, %d failed", "레슨 끝: 통과 %d, 실패 %d" },
    { "select", "선택" }, { "crash", "죽이기" }, { "stop", "정지" },
    { "restart", "재시작" }, { "pause", "일시정지" }, { "isolate", "격리" },
    { "heal", "복구" }, { "run/hold", "실행/멈춤" }, { "step", "한 단계" },
    { "speed", "속도" }, { "command", "명령" }, { "help", "도움말" },
    { "quit", "종료" }, { "next", "다음" }, { "back", "뒤로" },
    { "PAUSED", "멈춤" }, { "RUNNING", "실행 중" },
    { "terminal too small: %dx%d, need %dx%d", "터미널이 너무 작습니다: %dx%d, %dx%d 필요" },
    { "q quits", "q 로 종료" },
    { "? shows every key; : opens the command line", "? 로 모든 키, : 로 명령줄" },
    { "ZNODES  zk%d's tree%s", "Z노드  zk%d 의 트리%s" },
    { "ZNODES  no server up", "Z노드  가동 중인 서버 없음" },
    { "  (enter folds, f leaves)", "  (enter 접기, f 나가기)" },
    { "  (f to browse)", "  (f 로 탐색)" },
    { "PICK A LESSON  (arrows, enter; q quits)", "레슨 선택  (화살표, enter; q 종료)" },
    { "Sandbox: free play (3 servers, 4 brokers, topic orders)", "샌드박스: 자유 실습 (서버 3, 브로커 4, 토픽 orders)" },
    { "any key closes this help", "아무 키나 누르면 닫힙니다" },
    /* the help overlay: key columns stay aligned (keys are ASCII) */
    { "HELP", "도움말" },
    { "HELP  (%s)", "도움말  (%s)" },
    { "KEYS", "키" },
    { "arrows, Tab   select a node (or click it); the grid follows brokers",
      "화살표, Tab   노드 선택 (클릭도 됨); 그리드가 브로커 선택을 따라감" },
    { "k             crash the selected node", "k             선택한 노드를 크래시(비정상 종료)" },
    { "s             stop it cleanly (a broker hands its leadership over)",
      "s             정상 종료 (브로커는 리더 역할을 먼저 넘김)" },
    { "r             restart it", "r             재시작" },
    { "p             pause it (again: resume)", "p             일시정지 (한 번 더: 재개)" },
    { "i             isolate it from the network", "i             네트워크에서 격리" },
    { "h             heal every link", "h             모든 링크 복구" },
    { "space         pause or resume the simulation", "space         시뮬레이션 멈춤 / 재개" },
    { ".             advance one event (when paused)", ".             이벤트 하나만 진행 (멈춘 동안)" },
    { "+ -           faster, slower", "+ -           빠르게, 느리게" },
    { "f             browse the znode tree (enter folds)",
      "f             znode 트리 탐색 (enter 로 접기/펴기)" },
    { "PgUp PgDn     scroll the placement grid (Home, End)",
      "PgUp PgDn     배치 그리드 스크롤 (Home, End)" },
    { "n b           lesson: next step, back a step (replays from the seed)",
      "n b           레슨: 다음 단계, 이전 단계 (시드부터 다시 재생)" },
    { ":             command line (below)", ":             명령줄 (아래 명령들)" },
    { "q             quit", "q             종료" },
    { "COMMANDS", "명령" },
    { "a new world was built", "새 월드를 만들었습니다" },
    { "check passed: %s", "검사 통과: %s" },
    { "check FAILED: %s", "검사 실패: %s" },
};

const char *viz_tr(const char *lang, const char *en)
{
    if (!lang || strcmp(lang, "ko") != 0) return en;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].en, en) == 0) return table[i].ko;
    return en;
}
