build2/obj/viz/theme.o: viz/theme.c viz/theme.h viz/curses_wrap.h
viz/theme.h:
viz/curses_wrap.h:
