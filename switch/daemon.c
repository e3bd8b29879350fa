/*
 * daemon.c - configured ports at start-up and at runtime, and reload.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/daemon.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports/internal.h"
#include "ports/port.h"
#include "switch/core/port.h"
#ifdef HAVE_SLIRP
#include "ports/slirp.h"
#endif
#include "switch/base/log.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

enum {
	PENDING_POLL_MS = 10,
	/* Old ports close within a loop iteration or two; this is slack. */
	PENDING_GIVE_UP_MS = 5000,
};

static const struct cfg_port *find_cfg_port(const struct vsw_config *cfg,
					    const char *name);

/* Appends a copy of @pc to the running configuration's ports. */
static int vswd_remember(struct vswd *d, const struct cfg_port *pc)
{
	struct cfg_port *ports =
		realloc(d->cfg.ports, (d->cfg.n_ports + 1) * sizeof(*ports));

	if (!ports)
		return -ENOMEM;
	d->cfg.ports = ports;
	d->cfg.ports[d->cfg.n_ports++] = *pc;
	return 0;
}

static void vswd_forget(struct vswd *d, const char *name)
{
	for (size_t i = 0; i < d->cfg.n_ports; i++) {
		if (strcmp(d->cfg.ports[i].name, name))
			continue;
		memmove(&d->cfg.ports[i], &d->cfg.ports[i + 1],
			(d->cfg.n_ports - i - 1) * sizeof(*d->cfg.ports));
		d->cfg.n_ports--;
		return;
	}
}

/* Sets the running port of section type @i, and the control's views. */
static void vswd_set_section(struct vswd *d, size_t i, struct port *port)
{
	d->sections[i] = port;
	d->dhcp = d->slirp = NULL;
	for (size_t k = 0; port_section_type_at(k); k++) {
		struct port *p = d->sections[k];

		if (p && port_is_internal_dhcp(p))
			d->dhcp = p;
#ifdef HAVE_SLIRP
		else if (p && port_is_slirp(p))
			d->slirp = p;
#endif
	}
}

/* Creates the port of section type @i from the running configuration. */
static int vswd_section_create(struct vswd *d, size_t i)
{
	struct port *port = NULL;
	int ret;

	VSW_BUG_ON(i >= VSWD_MAX_SECTIONS);
	ret = port_section_type_at(i)->create(d->sw, &d->cfg, &port);
	vswd_set_section(d, i, ret ? NULL : port);
	return ret;
}

/* The section type whose running port is @port: its index, or -1. */
static int vswd_section_of(const struct vswd *d, const struct port *port)
{
	for (size_t i = 0; port_section_type_at(i); i++)
		if (d->sections[i] == port)
			return (int)i;
	return -1;
}

static bool vswd_sections_pending(const struct vswd *d)
{
	for (size_t i = 0; port_section_type_at(i); i++)
		if (d->section_pending[i])
			return true;
	return false;
}

/**
 * vswd_create_ports() - create every port of the running configuration.
 * @d: the daemon
 *
 * Return: 0, or the first port's error (already logged).
 */
int vswd_create_ports(struct vswd *d)
{
	const struct port_section_type *t;
	int ret;

	for (size_t i = 0; (t = port_section_type_at(i)); i++) {
		if (!t->enabled(&d->cfg))
			continue;
		ret = vswd_section_create(d, i);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < d->cfg.n_ports; i++) {
		ret = port_create(d->sw, &d->cfg.ports[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * vswd_port_add() - create a configured port at runtime.
 * @d:		the daemon
 * @pc:		its validated configuration
 * @err:	message on failure
 * @err_size:	size of @err
 *
 * Return: 0 or a negative errno.
 */
int vswd_port_add(struct vswd *d, const struct cfg_port *pc, char *err,
		  size_t err_size)
{
	int ret;

	if (vsw_find_port(d->sw, pc->name)) {
		snprintf(err, err_size, "a port named \"%s\" already exists",
			 pc->name);
		return -EEXIST;
	}
	ret = port_create(d->sw, pc);
	if (ret) {
		snprintf(err, err_size, "cannot create port %s: %s", pc->name,
			 ret == -ENOSPC ? "switch max_ports reached"
					: strerror(-ret));
		return ret;
	}
	ret = vswd_remember(d, pc);
	if (ret)
		snprintf(err, err_size, "out of memory");
	log_info("port %s: added", pc->name);
	return ret;
}

/**
 * vswd_port_del() - remove a port at runtime.
 * @d:		the daemon
 * @port:	a configured port or an accepted connection
 *
 * Return: 0; -EALREADY if it is already going; -EOPNOTSUPP if it cannot
 * be removed.
 */
int vswd_port_del(struct vswd *d, struct port *port)
{
	int sec = vswd_section_of(d, port);
	const struct port_section_type *t =
		sec >= 0 ? port_section_type_at((size_t)sec) : NULL;

	if (port->removing)
		return -EALREADY;
	if (!port->ops->close || (t && !t->removable))
		return -EOPNOTSUPP;
	if (port->cfg)
		vswd_forget(d, port->name);
	if (t) {
		/* Gone until the file says so again: a reload brings it back.
		 */
		vswd_set_section(d, (size_t)sec, NULL);
		t->forget(&d->cfg);
	}
	port->ops->close(port);
	return 0;
}

void vswd_apply_log_level(struct vswd *d)
{
	log_set_level(d->level_override >= 0
			      ? (enum log_level)d->level_override
			      : (enum log_level)d->cfg.log_level);
}

static void vswd_free_pending(struct vswd *d)
{
	free(d->pending);
	d->pending = NULL;
	d->n_pending = 0;
	loop_timer_cancel(d->loop, &d->pending_timer);
}

/* Whether the port named @name is still there (and may still be waited on). */
static bool vswd_name_busy(struct vswd *d, const char *name, uint64_t now)
{
	return vsw_find_port(d->sw, name) &&
	       now - d->pending_since < PENDING_GIVE_UP_MS;
}

/* New section ports (DHCP server, uplink), once the old ones are gone. */
static void vswd_builtin_pending(struct vswd *d, uint64_t now)
{
	const struct port_section_type *t;

	/*
	 * What could not start leaves the running configuration, so that
	 * reloading the same file (once the cause is fixed) tries again.
	 */
	for (size_t i = 0; (t = port_section_type_at(i)); i++) {
		if (!d->section_pending[i] || vswd_name_busy(d, t->name, now))
			continue;
		d->section_pending[i] = false;
		if (vswd_section_create(d, i)) {
			log_err("reload: %s could not start (see above)",
				t->what);
			t->forget(&d->cfg);
		}
	}
}

/* Creates the ports whose old versions have gone; keeps waiting for the rest.
 */
static void vswd_pending_fire(struct loop_timer *timer, uint64_t now)
{
	struct vswd *d = container_of(timer, struct vswd, pending_timer);
	size_t kept = 0;

	for (size_t i = 0; i < d->n_pending; i++) {
		const struct cfg_port *pc = &d->pending[i];
		char err[256];

		if (vsw_find_port(d->sw, pc->name) &&
		    now - d->pending_since < PENDING_GIVE_UP_MS) {
			d->pending[kept++] = *pc;
			continue;
		}
		if (vswd_port_add(d, pc, err, sizeof(err)))
			log_err("reload: %s", err);
	}
	d->n_pending = kept;
	vswd_builtin_pending(d, now);
	if (kept || vswd_sections_pending(d))
		loop_timer_arm(d->loop, &d->pending_timer,
			       now + PENDING_POLL_MS);
	else
		vswd_free_pending(d);
}

static const struct cfg_port *find_cfg_port(const struct vsw_config *cfg,
					    const char *name)
{
	for (size_t i = 0; i < cfg->n_ports; i++)
		if (!strcmp(cfg->ports[i].name, name))
			return &cfg->ports[i];
	return NULL;
}

static bool cfg_port_same(const struct cfg_port *a, const struct cfg_port *b)
{
	json_t *ja = cfg_port_to_json(a), *jb = cfg_port_to_json(b);
	bool same = ja && jb && json_equal(ja, jb);

	json_decref(ja);
	json_decref(jb);
	return same;
}

/* Settings only a restart can change: keep the running ones, say so. */
static void vswd_keep_fixed(struct vswd *d, struct vsw_config *next,
			    json_t *restart)
{
	if (strcmp(next->runtime_dir, d->cfg.runtime_dir))
		json_array_append_new(restart, json_string("runtime_dir"));
	if (strcmp(next->control.path, d->cfg.control.path) ||
	    next->control.mode != d->cfg.control.mode ||
	    next->control.gid != d->cfg.control.gid ||
	    next->control.max_clients != d->cfg.control.max_clients)
		json_array_append_new(restart, json_string("control"));
	if (next->sw.max_ports != d->cfg.sw.max_ports)
		json_array_append_new(restart, json_string("switch.max_ports"));
	strlcpy_(next->runtime_dir, d->cfg.runtime_dir,
		 sizeof(next->runtime_dir));
	next->control = d->cfg.control;
	next->sw.max_ports = d->cfg.sw.max_ports;
}

/* Names @name in the reload summary: added, removed or changed. */
static void vswd_note(json_t *added, json_t *removed, json_t *changed, bool was,
		      bool is, const char *name)
{
	json_array_append_new(!was ? added
			      : is ? changed
				   : removed,
			      json_string(name));
}

/*
 * The section ports (DHCP server, slirp uplink): an unchanged section
 * keeps its port running (leases in memory, connections, runtime
 * forwards); a changed one closes it (the DHCP server saves its leases)
 * and starts the new one once the old is gone, so leases carry over
 * through the file.
 */
static void vswd_builtin_reload(struct vswd *d, struct vsw_config *next,
				json_t *added, json_t *removed, json_t *changed)
{
	const struct port_section_type *t;

	for (size_t i = 0; (t = port_section_type_at(i)); i++) {
		struct port *old = d->sections[i];

		if (t->same(next, &d->cfg)) {
			t->carry(next, &d->cfg);
			continue;
		}
		vswd_note(added, removed, changed, t->enabled(&d->cfg),
			  t->enabled(next), t->name);
		if (old) {
			old->ops->close(old);
			vswd_set_section(d, i, NULL);
		}
		d->section_pending[i] = t->enabled(next);
	}
}

/**
 * vswd_reload() - re-read the configuration file and apply the difference.
 * @d:		the daemon
 * @result:	on success, a JSON summary (new reference)
 * @err:	message on failure
 * @err_size:	size of @err
 *
 * A file with any error changes nothing.  Ports whose settings did not
 * change keep their connections and learned MACs; removed ports close;
 * changed ports close and are created again once the old one is gone
 * (their sockets must be free first), which takes a loop iteration or two.
 *
 * Return: 0 or a negative errno.
 */
int vswd_reload(struct vswd *d, json_t **result, char *err, size_t err_size)
{
	struct vsw_config next;
	struct cfg_port *pending;
	size_t n_pending = 0, kept = 0;
	json_t *added, *removed, *changed, *restart;
	struct vsw_err verr;
	struct port *p;
	int ret;

	if (!d->config_path) {
		snprintf(err, err_size,
			 "vswitchd runs its built-in default "
			 "(no -c FILE): there is no file to reload");
		return -EINVAL;
	}
	if (d->n_pending || vswd_sections_pending(d)) {
		snprintf(err, err_size,
			 "the previous reload is still "
			 "replacing ports; try again");
		return -EBUSY;
	}
	ret = cfg_load_file(d->config_path, d->cli_runtime_dir, &next, &verr);
	if (ret) {
		snprintf(err, err_size, "%s (nothing changed)", verr.msg);
		return ret;
	}
	*result = json_object();
	added = json_array();
	removed = json_array();
	changed = json_array();
	restart = json_array();
	pending = calloc(next.n_ports ? next.n_ports : 1, sizeof(*pending));
	if (!*result || !added || !removed || !changed || !restart ||
	    !pending) {
		ret = -ENOMEM;
		goto err;
	}
	vswd_keep_fixed(d, &next, restart);
	ret = vsw_set_params(d->sw, &next.sw);
	if (ret) {
		snprintf(err, err_size,
			 "cannot apply the switch settings: %s "
			 "(nothing changed)",
			 strerror(-ret));
		goto err_quiet;
	}

	/* Close what went away or changed. */
	for (size_t i = 0; i < d->cfg.n_ports; i++) {
		const struct cfg_port *old = &d->cfg.ports[i];
		const struct cfg_port *now = find_cfg_port(&next, old->name);

		if (now && cfg_port_same(old, now))
			continue;
		json_array_append_new(now ? changed : removed,
				      json_string(old->name));
		p = vsw_find_port(d->sw, old->name);
		if (p && p->ops->close && !p->removing)
			p->ops->close(p);
	}
	/* Queue what is new or changed; keep the rest as it runs. */
	for (size_t i = 0; i < next.n_ports; i++) {
		const struct cfg_port *pc = &next.ports[i];
		const struct cfg_port *old = find_cfg_port(&d->cfg, pc->name);

		if (old && cfg_port_same(old, pc)) {
			next.ports[kept++] = *pc;
			continue;
		}
		if (!old)
			json_array_append_new(added, json_string(pc->name));
		pending[n_pending++] = *pc;
	}
	next.n_ports = kept;
	vswd_builtin_reload(d, &next, added, removed, changed);
	cfg_free(&d->cfg);
	d->cfg = next;
	vswd_apply_log_level(d);
	json_object_set_new(*result, "added", added);
	json_object_set_new(*result, "removed", removed);
	json_object_set_new(*result, "changed", changed);
	json_object_set_new(*result, "unchanged",
			    json_integer((json_int_t)kept));
	json_object_set_new(*result, "restart_required", restart);
	log_info("reloaded %s: %zu added, %zu removed, %zu changed, %zu "
		 "unchanged",
		 d->config_path, json_array_size(added),
		 json_array_size(removed), json_array_size(changed), kept);

	d->pending = pending;
	d->n_pending = n_pending;
	d->pending_since = loop_now(d->loop);
	loop_timer_init(&d->pending_timer, vswd_pending_fire);
	if (n_pending || vswd_sections_pending(d))
		vswd_pending_fire(&d->pending_timer, loop_now(d->loop));
	else
		vswd_free_pending(d);
	return 0;

err:
	snprintf(err, err_size, "out of memory (nothing changed)");
err_quiet:
	json_decref(added);
	json_decref(removed);
	json_decref(changed);
	json_decref(restart);
	json_decref(*result);
	*result = NULL;
	free(pending);
	cfg_free(&next);
	return ret;
}

/**
 * vswd_fini() - release what the daemon owns (the switch and loop are the
 * caller's).
 * @d: the daemon
 */
void vswd_fini(struct vswd *d)
{
	vswd_free_pending(d);
	cfg_free(&d->cfg);
}
