/*
 * vswitchctl-util.c - vswitchctl's allocation and error helpers.
 *
 * A short-lived command-line tool cannot do better when memory runs out
 * than say so and exit, so the x*() allocators never return NULL and
 * the callers need no error path for it (vswitchctl.h).  Every message
 * of vswitchctl's own goes through vctl_err(), so they all look alike.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/cli/vswitchctl.h"

/**
 * vctl_err() - print "vswitchctl: <message>" on stderr.
 * @fmt:	printf format of the message, without a newline
 */
void vctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("vswitchctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * vctl_out_of_memory() - say so and end the process (exit status 1).
 */
void vctl_out_of_memory(void)
{
	fputs("vswitchctl: out of memory\n", stderr);
	exit(VCTL_EXIT_ERROR);
}

/**
 * xmalloc() - malloc() that ends the process when memory runs out.
 * @size:	bytes
 *
 * Return: the memory, caller frees; never NULL.
 */
void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		vctl_out_of_memory();
	return p;
}

/**
 * xcalloc() - calloc() that ends the process when memory runs out.
 * @n:		elements
 * @size:	bytes per element
 *
 * Return: zeroed memory, caller frees; never NULL.
 */
void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		vctl_out_of_memory();
	return p;
}

/**
 * xrealloc() - realloc() that ends the process when memory runs out.
 * @p:		memory to resize, or NULL
 * @size:	new size in bytes
 *
 * Return: the memory, caller frees; never NULL.
 */
void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		vctl_out_of_memory();
	return p;
}

/**
 * xstrdup() - strdup() that ends the process when memory runs out.
 * @s:	string
 *
 * Return: the copy, caller frees; never NULL.
 */
char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		vctl_out_of_memory();
	return p;
}

/**
 * xasprintf() - asprintf() that ends the process when memory runs out.
 * @fmt:	printf format
 *
 * Return: the formatted string, caller frees; never NULL.
 */
char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		vctl_out_of_memory();
	return s;
}

/**
 * vctl_malformed() - report a reply that is valid JSON but not what the
 * protocol promises (a missing member, a wrong type).
 *
 * Return: VCTL_EXIT_ERROR.
 */
int vctl_malformed(void)
{
	vctl_err("malformed reply from vswitchd");
	return VCTL_EXIT_ERROR;
}
