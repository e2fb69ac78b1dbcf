/* ops: what the dashboard does to a world over simulated time, through
 * the same admin and fault calls the Lua controller uses: clean broker
 * stops (leadership moves away, then the process ends), :topic and
 * :produce through Kafka clients, and the sandbox's own topic and steady
 * producer. Work is done at fixed simulated-time ticks, so what happens
 * does not depend on how fast the screen runs. */
#ifndef QL_VIZ_OPS_H
#define QL_VIZ_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cmd.h"
#include "theme.h"

#define VIZ_OPS_TICK_US 100000u     /* 100 ms of simulated time */

typedef struct viz_ops viz_ops;

viz_ops *viz_ops_new(void);
void viz_ops_free(viz_ops *o);          /* NULL is a no-op */
/* The language of its messages ("ko" or "en"; NULL, the default:
 * English); lang must outlive o. */
void viz_ops_set_lang(viz_ops *o, const char *lang);
/* Forgets the work of an old world (call when a new one is built). */
void viz_ops_reset(viz_ops *o);
/* The sandbox's feed: once every broker has registered, topic is created
 * (parts, rf) and a producer p1 sends per_tick records each tick. */
void viz_ops_sandbox(viz_ops *o, const char *topic, int parts, int rf,
                     int per_tick);
/* Carries out a command on the world: a broker's clean stop, :topic,
 * :delete-topic and :produce here, the rest through viz_act. Same contract as viz_act. */
bool viz_ops_act(viz_ops *o, cluster *c, const viz_cmd *cmd, char *msg,
                 size_t cap);
/* Runs the world to until_us, stopping at each tick to do the work due.
 * Returns false when the sim halted. */
bool viz_ops_run_until(viz_ops *o, cluster *c, uint64_t until_us);
/* The work due at the current instant (called at tick boundaries). */
void viz_ops_tick(viz_ops *o, cluster *c);
/* The next tick after now_us. */
uint64_t viz_ops_next_tick(uint64_t now_us);
/* A message for the status line when some work finished since the last
 * call; false when none. */
bool viz_ops_poll(viz_ops *o, char *msg, size_t cap, viz_role *role);

#endif
