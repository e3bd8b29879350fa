/*
 * safe-file.h - how vswitchd writes files.
 *
 * The rule: every file vswitchd writes goes through here (today the DHCP
 * lease file, ports/internal.c and ports/lease-commit.c, and the pid file,
 * switch/main.c).  vswitchd runs as root and its files live in
 * directories others may write to, so:
 *
 *   - a target path must be a regular file or not exist; a symbolic link
 *     or anything else is refused with an error naming the path
 *     (safe_file_check()), never written through;
 *   - new contents go to "<path>.tmp" in the same directory, created
 *     with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC after a stale one is
 *     unlinked (unlinking a planted symlink removes the link, not its
 *     target; one planted again in between makes the create fail);
 *   - then write, fsync, rename over the target (rename replaces a link
 *     itself, never its target) and fsync the directory, so after a crash
 *     the target has either the old or the new contents, completely.
 *
 * safe_file_write() does it all at once; the lease file's group commit
 * runs the steps separately so that its fsync can go through io_uring.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_SAFE_FILE_H
#define VSW_SWITCH_SAFE_FILE_H

#include <stddef.h>

/* Room for "<path>.tmp". */
enum { SAFE_FILE_TMP_EXTRA = 5 };

int safe_file_check(const char *path, char *err, size_t err_size);
int safe_file_create_tmp(const char *path, char *tmp, size_t tmp_size);
int safe_file_write_all(int fd, const void *buf, size_t len);
int safe_file_install(const char *tmp, const char *path);
int safe_file_sync_dir(const char *path);
int safe_file_write(const char *path, const void *buf, size_t len,
		    char *err, size_t err_size);

#endif /* VSW_SWITCH_SAFE_FILE_H */
