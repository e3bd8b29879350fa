## Port sources are listed with the core in switch/automake.mk; their
## fuzz harnesses are in tests/fuzz/automake.mk.
