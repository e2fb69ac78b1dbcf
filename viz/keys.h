/* keys: what a key press means. Handlers change only the view and return
 * what they did; anything that acts on the world or on the pacing comes
 * back as a command for the caller to carry out. Never draws. */
#ifndef QL_VIZ_KEYS_H
#define QL_VIZ_KEYS_H

#include <stdbool.h>
#include <stdint.h>
#include "cmd.h"
#include "snap.h"
#include "view.h"

typedef enum viz_key_result {
    VK_NONE,                    /* nothing changed */
    VK_REDRAW,                  /* the view changed */
    VK_CMD,                     /* carry out *out, then redraw */
    VK_QUIT,
} viz_key_result;

typedef struct viz_key {
    bool fn;                    /* code is a curses KEY_* value */
    uint32_t code;              /* else a Unicode character */
    int y, x;                   /* KEY_MOUSE: the cell clicked */
} viz_key;

viz_key_result viz_keys_handle(viz_view *v, const viz_snap *s, viz_key k,
                               viz_cmd *out);

#endif
