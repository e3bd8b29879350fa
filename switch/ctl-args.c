/*
 * ctl-args.c - the port and MAC argument types (see ctl-args.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/ctl-args.h"

#include <errno.h>

#include "switch/daemon.h"
#include "switch/core/eth.h"
#include "switch/core/switch.h"

static int check_port(struct ctl_req *req, const struct ctl_arg *arg,
		      json_t *v, struct ctl_val *out)
{
	int ret = ctl_type_string.check(req, arg, v, out);

	if (ret)
		return ret;
	out->ptr = vsw_find_port(req->d->sw, out->str);
	if (!out->ptr)
		return ctl_fail(req, -ENOENT, "no port named \"%s\"", out->str);
	return 0;
}

static int check_mac(struct ctl_req *req, const struct ctl_arg *arg,
		     json_t *v, struct ctl_val *out)
{
	int ret = ctl_type_string.check(req, arg, v, out);

	if (ret)
		return ret;
	if (!eth_parse_mac(out->str, out->mac))
		return ctl_fail(req, -EINVAL,
				"\"%s\" is not a MAC address "
				"(xx:xx:xx:xx:xx:xx)",
				out->str);
	return 0;
}

const struct ctl_arg_type ctl_type_port = { .check = check_port };
const struct ctl_arg_type ctl_type_mac = { .check = check_mac };

/**
 * ctl_arg_port() - a port argument.
 * @req:	the request
 * @name:	a declared argument of type port
 *
 * Return: the port it names, or NULL when the request left it out.
 */
struct port *ctl_arg_port(const struct ctl_req *req, const char *name)
{
	return ctl_arg(req, name)->ptr;
}

/**
 * ctl_arg_mac() - a MAC argument.
 * @req:	the request
 * @name:	a declared argument of type MAC
 *
 * Return: its six bytes (in the request's state), or NULL when the
 * request left it out.
 */
const uint8_t *ctl_arg_mac(const struct ctl_req *req, const char *name)
{
	const struct ctl_val *v = ctl_arg(req, name);

	return v->set ? v->mac : NULL;
}
