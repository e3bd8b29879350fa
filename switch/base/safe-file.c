/*
 * safe-file.c - how vswitchd writes files (see safe-file.h for the rule).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/base/safe-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "switch/base/util.h"

/**
 * safe_file_check() - may vswitchd write @path?
 * @path:	the target
 * @err:	buffer for a message naming @path
 * @err_size:	its size
 *
 * Return: 0 if @path is a regular file or does not exist; -ELOOP for a
 * symbolic link, -EINVAL for anything else that is not a regular file,
 * another negative errno if lstat() fails; with a message in @err.
 */
int safe_file_check(const char *path, char *err, size_t err_size)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, err_size,
			 "%s is a symbolic link; refusing to write through it "
			 "(give the real path)",
			 path);
		return -ELOOP;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "%s is not a regular file", path);
		return -EINVAL;
	}
	return 0;
}

/**
 * safe_file_create_tmp() - create "<path>.tmp" afresh for writing.
 * @path:	the target
 * @tmp:	gets the temporary file's name
 * @tmp_size:	its size, at least strlen(@path) + SAFE_FILE_TMP_EXTRA
 *
 * A stale temporary file (or whatever was planted under its name) is
 * unlinked first; the create never follows a link and fails if anything
 * appeared under the name meanwhile.
 *
 * Return: a descriptor (O_WRONLY, O_CLOEXEC, mode 0644), or a negative
 * errno.
 */
int safe_file_create_tmp(const char *path, char *tmp, size_t tmp_size)
{
	int fd;

	if ((size_t)snprintf(tmp, tmp_size, "%s.tmp", path) >= tmp_size)
		return -ENAMETOOLONG;
	if (unlink(tmp) && errno != ENOENT)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	return fd < 0 ? -errno : fd;
}

/**
 * safe_file_write_all() - write() until done.
 * @fd:		descriptor
 * @buf:	data
 * @len:	its length
 *
 * Return: 0, or a negative errno (-EIO if the file stops growing).
 */
int safe_file_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * safe_file_sync_dir() - make a rename in @path's directory durable.
 * @path:	a file in that directory
 *
 * Return: 0 or a negative errno.
 */
int safe_file_sync_dir(const char *path)
{
	char dir[4096];
	char *slash;
	int fd, ret = 0;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strlcpy_(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

/**
 * safe_file_install() - rename a written and fsynced @tmp over @path.
 * @tmp:	from safe_file_create_tmp()
 * @path:	the target
 *
 * @path is checked again first: something that turned into a link or a
 * directory since the last check is not replaced.  On failure @tmp is
 * removed.
 *
 * Return: 0, or a negative errno.
 */
int safe_file_install(const char *tmp, const char *path)
{
	char err[8];
	int ret = safe_file_check(path, err, sizeof(err));

	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	return safe_file_sync_dir(path);
}

/**
 * safe_file_write() - replace @path with @buf, atomically and durably.
 * @path:	the target: a regular file or nothing
 * @buf:	contents
 * @len:	their length
 * @err:	buffer for a message naming the path
 * @err_size:	its size
 *
 * Return: 0 or a negative errno, with a message in @err.
 */
int safe_file_write(const char *path, const void *buf, size_t len,
		    char *err, size_t err_size)
{
	char tmp[4096 + SAFE_FILE_TMP_EXTRA];
	int fd, ret = safe_file_check(path, err, err_size);

	if (ret)
		return ret;
	fd = safe_file_create_tmp(path, tmp, sizeof(tmp));
	if (fd < 0) {
		snprintf(err, err_size, "cannot create %s.tmp: %s", path,
			 strerror(-fd));
		return fd;
	}
	ret = safe_file_write_all(fd, buf, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		unlink(tmp);
	else
		ret = safe_file_install(tmp, path);
	if (ret)
		snprintf(err, err_size, "cannot write %s: %s", path,
			 ret == -ELOOP ? "it became a symbolic link"
				       : strerror(-ret));
	return ret;
}
