build2/obj/tests/unit/test_viz_events_ko.o: \
 tests/unit/test_viz_events_ko.c viz/events.h viz/theme.h lab/sim/sim.h \
 lab/sim/evq.h lab/sim/net.h lab/sim/rng.h lab/sim/trace.h \
 lab/sim/trace.h
viz/events.h:
viz/theme.h:
lab/sim/sim.h:
lab/sim/evq.h:
lab/sim/net.h:
lab/sim/rng.h:
lab/sim/trace.h:
lab/sim/trace.h:
