## Port sources are listed with the core in switch/automake.mk.
