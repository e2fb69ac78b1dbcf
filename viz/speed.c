/* speed: the simulation speeds the dashboard's + and - step through. */
#include "app.h"

static const double speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100,
                                 200, 500, 1000 };

double viz_speed_step(double speed, int dir)
{
    int n = (int)(sizeof speeds / sizeof speeds[0]);
    if (dir > 0) {
        for (int i = 0; i < n; i++) if (speeds[i] > speed * 1.001) return speeds[i];
        return speeds[n - 1];
    }
    for (int i = n - 1; i >= 0; i--) if (speeds[i] < speed * 0.999) return speeds[i];
    return speeds[0];
}
