/* reach: isolation and split sides from the network's cuts. */
#include "reach.h"
#include "net.h"

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
    }
    for (int i = 0; i < n; i++) {
        isolated[i] = net_cut_off(nt, nodes[i], nodes, n);
        for (int j = i + 1; j < n; j++)
            if (net_linked(nt, nodes[i], nodes[j])) up[root(up, i)] = root(up, j);
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
