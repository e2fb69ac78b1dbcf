/* theme: role -> colour pair or monochrome attribute. */
#include "theme.h"

#include "curses_wrap.h"
#include <stdlib.h>

typedef struct theme_entry {
    const char *name;   /* role name, for tests and debugging */
    short fg, bg;       /* colour pair when colours are on (-1: default) */
    attr_t color_attr;  /* added to the pair */
    attr_t mono_attr;   /* used alone without colours */
} theme_entry;

static const theme_entry table[VR_COUNT] = {
    [VR_NORMAL]   = { "normal",   -1, -1, A_NORMAL, A_NORMAL },
    [VR_DIM]      = { "dim",      -1, -1, A_DIM, A_DIM },
    [VR_TITLE]    = { "title",    COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE },
    [VR_HEADER]   = { "header",   COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
    [VR_SELECT]   = { "select",   COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
    [VR_LEADER]   = { "leader",   COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [VR_FOLLOWER] = { "follower", COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
    [VR_LOOKING]  = { "looking",  COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
    [VR_DOWN]     = { "down",     COLOR_RED, -1, A_BOLD, A_DIM },
    [VR_PAUSED]   = { "paused",   COLOR_MAGENTA, -1, A_NORMAL, A_UNDERLINE },
    [VR_ISOLATED] = { "isolated", COLOR_MAGENTA, -1, A_BOLD, A_UNDERLINE },
    [VR_GOOD]     = { "good",     COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
    [VR_BAD]      = { "bad",      COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
    [VR_WARN]     = { "warn",     COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [VR_KEY]      = { "key",      COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [VR_CMD]      = { "cmd",      -1, -1, A_BOLD, A_BOLD },
};

static bool use_color;

const char *theme_role_name(viz_role r)
{
    return (unsigned)r < VR_COUNT ? table[r].name : "?";
}

void theme_init(void)
{
    const char *nc = getenv("NO_COLOR");
    use_color = !(nc && nc[0]) && has_colors();
    if (!use_color) return;
    start_color();
    use_default_colors();
    for (int r = 0; r < VR_COUNT; r++)
        init_pair((short)(r + 1), table[r].fg, table[r].bg);
}

bool theme_has_color(void) { return use_color; }

int theme_attr(viz_role r)
{
    if ((unsigned)r >= VR_COUNT) r = VR_NORMAL;
    if (!use_color) return (int)table[r].mono_attr;
    return (int)(COLOR_PAIR(r + 1) | table[r].color_attr);
}
