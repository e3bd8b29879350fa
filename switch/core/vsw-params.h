/*
 * vsw-params.h - the switch core's parameters.
 *
 * The core is created from this plain struct and knows nothing of where
 * its values come from; the configuration's "switch" object is parsed
 * straight into one (struct vsw_config.sw), and the composition root
 * hands it to vsw_new() and vsw_set_params().
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_VSW_PARAMS_H
#define VSW_SWITCH_VSW_PARAMS_H

/**
 * struct vsw_params - switch-wide settings and limits.
 * @mac_aging_s:	seconds an unused MAC table entry lives
 * @mac_table_size:	capacity of the MAC table in entries
 * @mac_move_holddown_ms: a learned MAC does not move to another port for
 *			this long after it was learned or moved
 * @max_frame:		largest Ethernet frame accepted, without FCS
 * @max_ports:		ports at once, accepted connections included
 * @tx_queue_frames:	default per-port TX queue limit in frames
 * @tx_queue_bytes:	default per-port TX queue limit in bytes
 */
struct vsw_params {
	unsigned int mac_aging_s;
	unsigned int mac_table_size;
	unsigned int mac_move_holddown_ms;
	unsigned int max_frame;
	unsigned int max_ports;
	unsigned int tx_queue_frames;
	unsigned int tx_queue_bytes;
};

#endif /* VSW_SWITCH_VSW_PARAMS_H */
