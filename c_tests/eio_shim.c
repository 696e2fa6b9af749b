/*
 * eio_shim: an LD_PRELOAD library for test_faults. Writes to any file whose path contains
 * "eio_target" fail with EIO once WM_EIO_AFTER bytes (default 200000) have gone to such
 * files: the disk "breaks" in the middle of a packet.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long long g_written = 0;

static int is_target(int fd) {
    char link[64], path[4096];
    ssize_t n;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return 0;
    path[n] = '\0';
    return strstr(path, "eio_target") != NULL;
}

static long long limit(void) {
    const char *e = getenv("WM_EIO_AFTER");
    return e ? atoll(e) : 200000;
}

/* How many of `want` bytes may still go through; -1 = fail now. */
static ssize_t allow(int fd, size_t want) {
    long long left;
    if (!is_target(fd)) return (ssize_t)want;
    left = limit() - g_written;
    if (left <= 0) return -1;
    return (ssize_t)((size_t)left < want ? (size_t)left : want);
}

ssize_t write(int fd, const void *buf, size_t count) {
    static ssize_t (*real)(int, const void *, size_t);
    ssize_t n, r;
    if (!real) real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    n = allow(fd, count);
    if (n < 0) {
        errno = EIO;
        return -1;
    }
    r = real(fd, buf, (size_t)n);
    if (r > 0 && is_target(fd)) g_written += r;
    return r;
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    static ssize_t (*real)(int, const struct iovec *, int);
    size_t total = 0;
    int i;
    if (!real) real = (ssize_t(*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
    if (!is_target(fd)) return real(fd, iov, iovcnt);
    for (i = 0; i < iovcnt; i++) total += iov[i].iov_len;
    if (allow(fd, total) < (ssize_t)total) {
        /* write what fits of the first buffer, as a short write would */
        if (iovcnt > 0 && allow(fd, iov[0].iov_len) > 0) return write(fd, iov[0].iov_base, (size_t)allow(fd, iov[0].iov_len));
        errno = EIO;
        return -1;
    }
    {
        ssize_t r = real(fd, iov, iovcnt);
        if (r > 0) g_written += r;
        return r;
    }
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real) real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
    if (is_target(fd) && limit() - g_written <= 0) {
        errno = EIO;
        return -1;
    }
    return real(fd, buf, count, offset);
}
