/* theme: role -> colour pair or monochrome attribute. */
#include "theme.h"

#include "curses_wrap.h"
#include <stdlib.h>

typedef struct theme_entry {
    short fg, bg;       /* colour pair when colours are on (-1: default) */
    attr_t color_attr;  /* added to the pair */
    attr_t mono_attr;   /* used alone without colours */
} theme_entry;

static const theme_entry table[VR_COUNT] = {
    [VR_NORMAL]   = { -1, -1, A_NORMAL, A_NORMAL },
    [VR_DIM]      = { -1, -1, A_DIM, A_DIM },
    [VR_TITLE]    = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE },
    [VR_HEADER]   = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
    [VR_SELECT]   = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
    [VR_LEADER]   = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [VR_FOLLOWER] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
    [VR_LOOKING]  = { COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
    [VR_DOWN]     = { COLOR_RED, -1, A_BOLD, A_DIM },
    [VR_PAUSED]   = { COLOR_MAGENTA, -1, A_NORMAL, A_UNDERLINE },
    [VR_ISOLATED] = { COLOR_MAGENTA, -1, A_BOLD, A_UNDERLINE },
    [VR_GOOD]     = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
    [VR_BAD]      = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
    [VR_WARN]     = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [VR_KEY]      = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [VR_CMD]      = { -1, -1, A_BOLD, A_BOLD },
};

static bool use_color;

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

int theme_attr(viz_role r)
{
    if ((unsigned)r >= VR_COUNT) r = VR_NORMAL;
    if (!use_color) return (int)table[r].mono_attr;
    return (int)(COLOR_PAIR(r + 1) | table[r].color_attr);
}
