/* reach: isolation and split sides from the network's cuts. */
#include "reach.h"
#include "net.h"

/* Both ways between two nodes. */
static bool linked(const net *nt, int a, int b)
{
    return net_can_reach(nt, a, b) && net_can_reach(nt, b, a);
}

/* Union-find root with path halving. */
static int root(int *up, int i)
{
    while (up[i] != i) i = up[i] = up[up[i]];
    return i;
}

void viz_reach(const net *nt, const int *nodes, int n, bool *isolated, char *side)
{
    int up[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
        up[i] = i;
        side[i] = 0;
        isolated[i] = false;
    }
    for (int i = 0; i < n; i++) {
        bool any = false;
        for (int j = 0; j < n; j++) {
            if (j == i || !linked(nt, nodes[i], nodes[j])) continue;
            any = true;
            up[root(up, i)] = root(up, j);
        }
        isolated[i] = n > 1 && !any;
    }
    /* sides: the groups of the nodes not isolated, named in listing order */
    int groups = 0;
    char name[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) name[i] = 0;
    for (int i = 0; i < n; i++) {
        if (isolated[i]) continue;
        int r = root(up, i);
        if (!name[r]) name[r] = (char)('A' + (groups < 25 ? groups : 25)), groups++;
    }
    if (groups < 2) return;
    for (int i = 0; i < n; i++)
        if (!isolated[i]) side[i] = name[root(up, i)];
}
