/*
 * cfg-locate.h - find the line and column of a value in JSON text.
 *
 * jansson reports positions for syntax errors only; a parsed json_t does
 * not know where it came from.  To point a semantic error ("ports[2].port:
 * 70000 is out of range") at its place in the file, the config loader
 * re-scans the original text with the minimal tokenizer in cfg-locate.c
 * and walks it along the JSON path of the offending value.  The text has
 * already been accepted by jansson, so the scanner only has to be safe on
 * bad input (it fails, never reads out of bounds), not to diagnose it.
 * Object keys are compared after decoding escapes, as jansson does, and
 * columns count characters, not bytes, as jansson's do.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CFG_LOCATE_H
#define VSW_SWITCH_CFG_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

/**
 * struct cfg_path_elem - one step from a JSON value into a child.
 * @key:	object member name (UTF-8, decoded), or NULL for an array step
 * @index:	array index, used when @key is NULL
 */
struct cfg_path_elem {
	const char *key;
	size_t index;
};

/**
 * cfg_locate() - find where the value at a JSON path starts in @text.
 * @text:	JSON text (need not be NUL-terminated)
 * @len:	length of @text in bytes
 * @path:	steps from the top-level value; @depth of them
 * @depth:	number of steps, 0 for the top-level value itself
 * @at_key:	if true and the last step is a key, locate the key's opening
 *		quote rather than the value
 * @line:	set to the 1-based line on success
 * @col:	set to the 1-based column, in characters, on success
 *
 * Return: true if the path exists in @text, false otherwise (@line and
 * @col are then left alone).
 */
bool cfg_locate(const char *text, size_t len,
		const struct cfg_path_elem *path, size_t depth, bool at_key,
		int *line, int *col);

/**
 * cfg_offset_position() - the line and column of a byte offset.
 * @text:	text
 * @offset:	offset of a byte in @text
 * @line:	set to its 1-based line
 * @col:	set to its 1-based column, in characters
 */
void cfg_offset_position(const char *text, size_t offset, int *line,
			 int *col);

#endif /* VSW_SWITCH_CFG_LOCATE_H */
