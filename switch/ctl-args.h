/*
 * ctl-args.h - argument types of the control commands that need the
 * daemon: a port's name and a MAC address.
 *
 * They sit beside the generic ones of ctl-dispatch.h (string, unsigned
 * range, raw JSON) so that the dispatcher stays free of the switch: it
 * calls a type's check through struct ctl_arg_type and never names a
 * port.  A port argument must name a port that exists now; the handler
 * gets the port, not the name.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CTL_ARGS_H
#define VSW_SWITCH_CTL_ARGS_H

#include <stdint.h>

#include "switch/control/ctl-dispatch.h"

struct port;

/* A string naming an existing port of req->d's switch. */
extern const struct ctl_arg_type ctl_type_port;
/* A string "xx:xx:xx:xx:xx:xx". */
extern const struct ctl_arg_type ctl_type_mac;

struct port *ctl_arg_port(const struct ctl_req *req, const char *name);
const uint8_t *ctl_arg_mac(const struct ctl_req *req, const char *name);

#endif /* VSW_SWITCH_CTL_ARGS_H */
