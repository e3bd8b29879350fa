/*
 * util.h - small helpers shared by every module.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_UTIL_H
#define VSW_SWITCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define UNUSED __attribute__((unused))
#define PRINTF_FMT(f, a) __attribute__((format(printf, f, a)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * A broken invariant of our own code (never of outside input): log the
 * place and abort.  Never compiled out, so the tests trip over it; keep
 * the condition cheap.
 */
#define VSW_BUG_ON(cond)                                                       \
	do {                                                                   \
		if (unlikely(cond))                                            \
			vsw_bug(__FILE__, __LINE__, #cond);                    \
	} while (0)
void vsw_bug(const char *file, int line, const char *what)
	__attribute__((noreturn, cold));

/* Six-byte Ethernet address length; used wherever MACs are copied. */
enum { ETH_ALEN_ = 6 };

/**
 * get_be16() - read a big-endian 16-bit value from unaligned memory.
 * @p: at least two readable bytes
 */
static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/**
 * get_be32() - read a big-endian 32-bit value from unaligned memory.
 * @p: at least four readable bytes
 */
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/**
 * put_be16() - store a big-endian 16-bit value to unaligned memory.
 * @p: at least two writable bytes
 * @v: value
 */
static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/**
 * put_be32() - store a big-endian 32-bit value to unaligned memory.
 * @p: at least four writable bytes
 * @v: value
 */
static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/**
 * strlcpy_() - bounded copy that always terminates @dst.
 * @dst:	destination buffer
 * @src:	NUL-terminated source
 * @size:	size of @dst in bytes, at least 1
 *
 * Return: true if @src fitted whole, false if it was truncated.
 */
static inline int strlcpy_(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (len >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return 0;
	}
	memcpy(dst, src, len + 1);
	return 1;
}

#endif /* VSW_SWITCH_UTIL_H */
