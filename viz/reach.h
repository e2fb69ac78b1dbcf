/* reach: who can talk to whom, for the isolation and split marks. A node
 * that reaches no other node (both ways) is isolated; when the others fall
 * into more than one group that cannot reach each other, each group is a
 * side (A, B, ...). A cut that leaves everyone else connected is neither:
 * only the node cut off is marked. A split that names only some nodes
 * leaves the others linked to both sides: its two named sets are still
 * sides A and B (A holding the lowest node index), the others have none. */
#ifndef QL_VIZ_REACH_H
#define QL_VIZ_REACH_H

#include <stdbool.h>

struct net;

/* nodes[0..n) are sim node indexes. Fills isolated[i] and side[i] (0 when
 * there is no split, else 'A', 'B', ... in the order nodes are listed). */
void viz_reach(const struct net *nt, const int *nodes, int n, bool *isolated,
               char *side);

#endif
