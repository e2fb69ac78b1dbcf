build2/obj/viz/draw.o: viz/draw.c viz/draw.h viz/frame.h viz/theme.h \
 viz/text.h lab/sim/util.h viz/curses_wrap.h
viz/draw.h:
viz/frame.h:
viz/theme.h:
viz/text.h:
lab/sim/util.h:
viz/curses_wrap.h:
