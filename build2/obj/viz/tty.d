build2/obj/viz/tty.o: viz/tty.c viz/tty.h viz/curses_wrap.h
viz/tty.h:
viz/curses_wrap.h:
