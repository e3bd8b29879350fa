/*
 * runtime-dir.h - vswitchd's default runtime directory.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 * The daemon puts its control socket there and vswitchctl looks for it
 * there, so the two must compute it alike.  They link no object in common
 * (vswitchctl is libvswitchctl.a alone), hence a header.
 */
#ifndef VSW_SWITCH_RUNTIME_DIR_H
#define VSW_SWITCH_RUNTIME_DIR_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/**
 * vsw_default_runtime_dir() - the runtime directory, as the XDG spec and
 * FHS suggest.
 * @buf:	room for the path
 * @size:	size of @buf
 *
 * $VSWITCHD_RUNTIME_DIR overrides it for vswitchd and vswitchctl alike;
 * then root's is /run/vswitchd, a user's $XDG_RUNTIME_DIR/vswitchd, or
 * /tmp/vswitchd-UID without one.
 */
static inline void vsw_default_runtime_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	const char *env = getenv("VSWITCHD_RUNTIME_DIR");

	if (env && *env)
		snprintf(buf, size, "%s", env);
	else if (geteuid() == 0)
		snprintf(buf, size, "/run/vswitchd");
	else if (xdg && *xdg)
		snprintf(buf, size, "%s/vswitchd", xdg);
	else
		snprintf(buf, size, "/tmp/vswitchd-%u", (unsigned int)getuid());
}

#endif /* VSW_SWITCH_RUNTIME_DIR_H */
