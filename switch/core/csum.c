/*
 * csum.c - the incremental checksum update (see csum.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/core/csum.h"

/**
 * csum_replace16() - update a checksum field for one changed 16-bit word.
 * @check:	the checksum field as stored
 * @old:	the word's old value
 * @new_:	its new value
 *
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), which unlike eqn. 2 never
 * turns a correct sum into the -0 form.  For rewriting one field (a
 * length, an id, a port) without summing the whole header again.
 *
 * Return: the new checksum field.
 */
uint16_t csum_replace16(uint16_t check, uint16_t old, uint16_t new_)
{
	uint32_t sum = (uint16_t)~check;

	sum += (uint16_t)~old;
	sum += new_;
	return csum_finish(sum);
}
