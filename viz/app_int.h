/* app_int: the dashboard's running state, shared by its input loop
 * (app.c), the lesson runner (lesson.c) and the lesson picker (picker.c)
 * and nothing else. */
#ifndef QL_VIZ_APP_INT_H
#define QL_VIZ_APP_INT_H

#include "app.h"
#include "hist.h"
#include "keys.h"
#include "layout.h"
#include "msgs.h"
#include "lua_lab.h"
#include "ops.h"
#include "speed.h"
#include "twin.h"

#define FRAME_MS 33             /* input wait per pass: ~30 frames a second */
#define VIZ_MSGS_KEPT 1024      /* messages the message view remembers */
#define WORK_BUDGET_MS 20       /* simulation work per pass at most */

#define VIZ_TALLY_STEPS 64      /* steps whose tally b can restore */

/* What the learner did, for the lesson header. */
typedef struct viz_tally {
    int tasks_done;             /* tasks done by the learner */
    int pred_right, pred_total; /* predictions right, of those judged */
} viz_tally;

typedef struct app {
    viz_opts opts;
    const char *lang;           /* "en" or "ko" */
    bool ascii;                 /* not a UTF-8 locale: ASCII glyphs only */
    char ascii_note[100];       /* and the message that says so */
    lab_opts lo;                /* how the controller is made (again for b) */
    lab_lua *lua;               /* the Lua controller: owns the world */
    cluster *world;             /* its current world (:lua may replace it) */
    cluster *twin;              /* lab.compare's right world, else NULL */
    viz_snap snap2;             /* ... its snapshot */
    viz_events *events2;        /* ... and its event log */
    viz_ops *ops2;              /* ... and its ops (:topic, :produce, stops) */
    char ops_said[2][200];      /* each world's last ops message since the
                                   learner's last command, "" none */
    viz_events *events;
    viz_msgs *msgs;             /* the message view's model */
    viz_msgs *msgs2;            /* ... and the right world's (lab.compare) */
    viz_hist hist2;             /* ... and its history (the plots of w) */
    viz_ops *ops;
    viz_hist hist;
    viz_snap snap;
    viz_view view;
    viz_frame *frame;
    bool running;               /* simulation runs (space toggles) */
    double speed;
    uint64_t wall_base_ms;      /* wall time matching sim_base_us */
    uint64_t sim_base_us;
    uint64_t drawn_ms;          /* wall time of the last frame */
    bool dirty;                 /* something to redraw */
    bool quit;
    /* lessons */
    const char *lesson;         /* its path, NULL in the sandbox */
    bool in_script;             /* the lesson script is running */
    bool abort;                 /* stop the script (quit or back) */
    bool replaying;             /* fast-forward to step `target` */
    int target;
    bool skip;                  /* n while running: fast to the next step */
    bool step_once;             /* . while the lesson runs */
    bool ran;                   /* the world ran since the last wait */
    uint64_t task_ms;           /* wall time the learner's task began */
    int hint_after_s;           /* and when its hint shows */
    char hint_text[512];
    bool solve_req;             /* n during a task: the lesson does it */
    int reply;                  /* a question's lab_reply, 0 while waiting */
    double answer;              /* and the learner's answer */
    double slow_factor;         /* lab.slow: the pace divided by this */
    uint64_t slow_until_us;     /* until this simulated time */
    char slow_said[96];         /* the status line that says so, "" none */
    double pace_was;            /* the pace of the last stretch */
    viz_pacer pacer;            /* the dashboard's own slow motion (z) */
    viz_pace pace_now;          /* the pace and why, for the header */
    char countdown_fmt[512];    /* lab.countdown: its text, one %s */
    uint64_t countdown_at_us;   /* and the simulated time it counts to */
    viz_tally tally_at[VIZ_TALLY_STEPS]; /* the learner's tally as each step
                                   began, live: b restores it (a replay
                                   answers and solves for itself) */
} app;

uint64_t app_wall_ms(void);
void app_rebase(app *a);
/* The pace at simulated time now_us (simulated seconds per wall second):
 * a lesson's lab.slow first, else the pacer's (slow motion around a
 * moment, fast through a wait) around the speed. A change of pace starts
 * a new time base: this wall time matches now_us. *until_us: the pace
 * holds until then at most. */
double app_pace(app *a, uint64_t now_us, uint64_t *until_us);
/* Makes the controller's current world the one shown (after lab.cluster
 * or :lua built a new one). */
void app_follow_world(app *a);
/* Reads and handles the keys waiting, waiting up to wait_ms for the
 * first. */
void app_keys(app *a, int wait_ms);
/* True once a signal asked the dashboard to quit (SIGINT, SIGTERM,
 * SIGHUP) or its terminal went away: every input loop must then leave. */
bool app_must_leave(void);
/* Snapshot, layout and draw. */
void app_draw(app *a);

/* lesson.c */
/* Runs the lesson at a->lesson in the dashboard until it ends or the
 * learner quits; replays from the seed for `b`. */
void lesson_run(app *a);
void lesson_on_say(app *a, const char *text);
void lesson_on_check(app *a, bool ok, const char *msg);
/* n and b outside the script (after it ended, or in the sandbox). */
void lesson_key(app *a, viz_cmd_kind k);
/* The learner's hooks of the controller (lab_out): the step and world
 * boundaries, tasks and questions. */
void lesson_hooks(app *a, lab_out *out);
/* The learner answered the question on screen (keys 1-9 or a number). */
void lesson_answer(app *a, double v);
/* Before a frame: the hint once its time has come. */
void lesson_tick(app *a);

/* picker.c: the lessons beside the program; returns the chosen path
 * (static storage), "" for the sandbox, NULL when the learner quit. */
const char *picker_run(app *a, const char *argv0);

#endif
