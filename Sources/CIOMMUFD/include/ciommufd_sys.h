/*
 * Thin system-call wrappers for Swift.
 *
 * ioctl(2) and open(2) are variadic in glibc, which Swift cannot call, so each is wrapped in a
 * fixed-arity inline function. Every wrapper returns the call's value on success and -errno on
 * failure, with errno read immediately after the call; logic (retry on EINTR, error context) lives
 * in Swift.
 */
#ifndef CIOMMUFD_SYS_H
#define CIOMMUFD_SYS_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ioctl(fd, request, arg): the result (>= 0) or -errno. */
static inline long ciommufd_ioctl(int fd, unsigned long request, void *arg)
{
	long r = ioctl(fd, request, arg);
	return r < 0 ? -(long)errno : r;
}

/* ioctl(fd, request, value) for the few legacy VFIO calls that take an integer, not a pointer. */
static inline long ciommufd_ioctl_value(int fd, unsigned long request, unsigned long value)
{
	long r = ioctl(fd, request, value);
	return r < 0 ? -(long)errno : r;
}

/* open(path, flags | O_CLOEXEC): the new fd or -errno. */
static inline int ciommufd_open(const char *path, int flags)
{
	int r = open(path, flags | O_CLOEXEC);
	return r < 0 ? -errno : r;
}

/* close(fd): 0 or -errno. */
static inline int ciommufd_close(int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

/* read(fd, buf, count): bytes read or -errno. */
static inline long ciommufd_read(int fd, void *buf, unsigned long count)
{
	long r = read(fd, buf, count);
	return r < 0 ? -(long)errno : r;
}

/* write(fd, buf, count): bytes written or -errno. */
static inline long ciommufd_write(int fd, const void *buf, unsigned long count)
{
	long r = write(fd, buf, count);
	return r < 0 ? -(long)errno : r;
}

/* pread(fd, buf, count, offset): bytes read or -errno (VFIO regions at their fd offset). */
static inline long ciommufd_pread(int fd, void *buf, unsigned long count, long long offset)
{
	long r = pread(fd, buf, count, offset);
	return r < 0 ? -(long)errno : r;
}

/* pwrite(fd, buf, count, offset): bytes written or -errno. */
static inline long ciommufd_pwrite(int fd, const void *buf, unsigned long count, long long offset)
{
	long r = pwrite(fd, buf, count, offset);
	return r < 0 ? -(long)errno : r;
}

/* mmap(NULL, length, prot, MAP_SHARED, fd, offset): the address, or NULL with *err = errno. */
static inline void *ciommufd_mmap_shared(int fd, unsigned long length, int prot, long offset, int *err)
{
	void *p = mmap(0, length, prot, MAP_SHARED, fd, offset);
	if (p == MAP_FAILED) {
		*err = errno;
		return 0;
	}
	*err = 0;
	return p;
}

/* munmap(addr, length): 0 or -errno. */
static inline int ciommufd_munmap(void *addr, unsigned long length)
{
	return munmap(addr, length) < 0 ? -errno : 0;
}

/* memfd_create(name, flags) through syscall(2), since older C libraries may not declare it:
 * the fd or -errno. */

static inline int ciommufd_memfd_create(const char *name, unsigned int flags)
{
	long r = syscall(SYS_memfd_create, name, flags);
	return r < 0 ? -errno : (int)r;
}

/* strerror_r into a caller buffer (GNU or XSI flavour hidden from Swift). */
static inline const char *ciommufd_strerror(int err, char *buf, unsigned long len)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	return strerror_r(err, buf, len);
#else
	if (strerror_r(err, buf, len) != 0)
		return "unknown error";
	return buf;
#endif
}

/* MMIO accessors for a mapped device region: volatile, so no access is merged or elided. */
static inline uint32_t ciommufd_mmio_read32(const void *addr)
{
	return *(const volatile uint32_t *)addr;
}

static inline void ciommufd_mmio_write32(void *addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

static inline uint64_t ciommufd_mmio_read64(const void *addr)
{
	return *(const volatile uint64_t *)addr;
}

static inline void ciommufd_mmio_write64(void *addr, uint64_t value)
{
	*(volatile uint64_t *)addr = value;
}

#endif /* CIOMMUFD_SYS_H */
