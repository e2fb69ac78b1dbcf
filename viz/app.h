/* app: the dashboard's input loop and its speed steps. */
#ifndef QL_VIZ_APP_H
#define QL_VIZ_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "viz.h"

/* The speeds + and - step through. */
double viz_speed_step(double speed, int dir);

#endif
