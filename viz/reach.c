/* reach: isolation and split sides from the network's cuts. */
#include "reach.h"
#include "net.h"

#include <stdbool.h>

/* Union-find root with path halving. */
static int root(int *up, int i)
{
    while (up[i] != i) i = up[i] = up[up[i]];
    return i;
}

/* A split that names only some nodes (lab.split, :split 101,zk1 / 102)
 * leaves the others linked to both sides, so everyone still reaches
 * everyone through them and no group stands apart. Its sides are then
 * the two halves of the cut links: when the links cut among the nodes
 * not isolated are exactly those between two sets, every one of one set
 * to every one of the other, those sets are sides A and B (A holding
 * the lowest node index, as act.c names them); nodes with no cut link
 * get no side. Any other pattern of cuts gets none. */
static void named_sides(const net *nt, const int *nodes, int n, const bool *isolated,
                        char *side)
{
    int first = -1;             /* the cut node of the lowest node index */
    for (int i = 0; i < n; i++) {
        if (isolated[i]) continue;
        for (int j = 0; j < n; j++)
            if (j != i && !isolated[j] && !net_linked(nt, nodes[i], nodes[j]) &&
                (first < 0 || nodes[i] < nodes[first]))
                first = i;
    }
    if (first < 0) return;
    /* A: first and every node linked to first that shares its cuts; B:
     * the nodes cut from first */
    char mark[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
        mark[i] = 0;
        if (isolated[i]) continue;
        if (i == first) mark[i] = 'A';
        else if (!net_linked(nt, nodes[first], nodes[i])) mark[i] = 'B';
    }
    for (int i = 0; i < n; i++) {       /* A: linked to first, cut from all of B */
        if (isolated[i] || mark[i]) continue;
        bool cut_any = false, cut_all = true;
        for (int j = 0; j < n; j++)
            if (mark[j] == 'B') {
                bool cut = !net_linked(nt, nodes[i], nodes[j]);
                cut_any |= cut;
                cut_all &= cut;
            }
        if (cut_any && !cut_all) return;        /* not a split of two sets */
        if (cut_any) mark[i] = 'A';
    }
    /* every cut runs between A and B, and each of A is linked to the rest */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (isolated[i] || isolated[j]) continue;
            bool across = mark[i] && mark[j] && mark[i] != mark[j];
            if (across == net_linked(nt, nodes[i], nodes[j])) return;
        }
    for (int i = 0; i < n; i++) side[i] = mark[i];
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
    if (groups >= 2) {
        for (int i = 0; i < n; i++)
            if (!isolated[i]) side[i] = name[root(up, i)];
        return;
    }
    named_sides(nt, nodes, n, isolated, side);
}
