/* tty: terminal and locale checks before curses starts. */
#include "tty.h"

#include <poll.h>
#include <unistd.h>

#include "curses_wrap.h"
#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <term.h>
#include <unistd.h>

/* A string capability present in the terminal's description. */
static bool has_str(const char *cap)
{
    char *s = tigetstr(cap);
    return s != NULL && s != (char *)-1 && s[0] != '\0';
}

bool viz_tty_usable(char *why, size_t cap)
{
    const char *term = getenv("TERM");
    if (!term || !*term) {
        snprintf(why, cap, "TERM is not set; try TERM=xterm, or --headless SCRIPT.lua");
        return false;
    }
    int err = 0;
    /* setupterm prints nothing when given an error pointer */
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
        snprintf(why, cap, "%s terminal type '%.30s'; try TERM=xterm, or "
                 "--headless SCRIPT.lua", err == 0 ? "unknown" : "no terminfo for", term);
        return false;
    }
    /* a dumb or hard-copy terminal cannot move the cursor: curses would
     * print lines one after another, a blank or scrolling mess */
    bool ok = has_str("cup") && has_str("clear") && tigetflag("hc") <= 0;
    del_curterm(cur_term);     /* initscr sets it up again */
    if (!ok) {
        snprintf(why, cap, "terminal '%.30s' cannot move the cursor; try "
                 "TERM=xterm, or --headless SCRIPT.lua", term);
        return false;
    }
    return true;
}

bool viz_tty_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}

/* The locale the environment asks for, as setlocale reads it. */
static const char *wanted_locale(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return v;
    }
    return NULL;
}

static bool names_utf8(const char *loc)
{
    char low[64];
    size_t n = 0;
    for (; loc[n] && n + 1 < sizeof low; n++) low[n] = (char)tolower((unsigned char)loc[n]);
    low[n] = '\0';
    return strstr(low, "utf-8") || strstr(low, "utf8");
}

void viz_tty_locale(void)
{
    if (setlocale(LC_ALL, "")) return;
    const char *want = wanted_locale();
    if (want && names_utf8(want) && !setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "C.utf8");
}

bool viz_tty_gone(void)
{
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    if (poll(&p, 1, 0) < 0) return false;     /* interrupted: ask again */
    return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}
