## Port sources are listed with the core in switch/automake.mk (those
## below are the ports' own helpers); their fuzz harnesses are in
## tests/fuzz/automake.mk.
libvsw_a_SOURCES += ports/bound-sock.c ports/bound-sock.h
