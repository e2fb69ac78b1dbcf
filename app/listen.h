/* listen: real clients over TCP (--listen, lab.listen{}). Owns the sockets:
 * one listening socket per ensemble server (zk1 on the base port, zk2 on
 * the next...) and per broker (the first on the Kafka base port...),
 * nonblocking connections with bounded buffers, one poll()
 * loop on the program's single thread. The bytes go to lab/real's hub,
 * which turns each connection into a simulated client node. While it
 * listens the world runs on the wall clock (1x). */
#ifndef QL_APP_LISTEN_H
#define QL_APP_LISTEN_H

#include <stdbool.h>
#include "lua_lab.h"
#include "viz.h"

typedef struct listen_ctx listen_ctx;

/* addr NULL: 127.0.0.1. want: --listen was given (bind once a world
 * exists); otherwise only lab.listen{} starts it. */
listen_ctx *listen_new(const char *addr, int zk_port, int kafka_port, bool want);
void listen_free(listen_ctx *l);        /* NULL is a no-op; closes every socket */

/* --replay TRACE (headless): the real clients' records of that trace are
 * applied at their simulated instants instead of listening. False with err
 * when the file cannot be read. */
bool listen_replay(listen_ctx *l, const char *path, char *err, size_t cap);
/* Records not applied (the script ended before them). */
int listen_replay_left(const listen_ctx *l);

/* The hooks for the Lua controller (headless: with pace) and the dashboard. */
lab_live listen_lab_hooks(listen_ctx *l, bool headless);
viz_live listen_viz_hooks(listen_ctx *l);

#endif
