/*
 * iommufd-agent: executes system calls for a remote swift-iommufd (AgentBackend) on a machine
 * that has no Swift toolchain (an arm64 guest under QEMU, a lab board).
 *
 * C11, no dependencies beyond libc; built static (agent/build). It reads length-prefixed binary
 * requests from stdin (or a character device: a virtio-serial port, a tty) and writes one reply
 * per request to stdout (or the same device). The protocol is described in agent/PROTOCOL.md;
 * the constants below are its definition.
 *
 * Every request gets exactly one reply, in order. A malformed request gets an error reply and
 * never crashes the agent: every length is bounded, every offset checked, every allocation
 * tested. Userspace memory the kernel pins for DMA lives in "regions" (anonymous mappings that
 * persist across requests, named by handle); device BARs mapped with MMAP are read and written
 * only through the volatile MMIO operations.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define AGENT_MAGIC 0x47414f49u /* bytes "IOAG" */
#define AGENT_PROTOCOL_VERSION 1u
#define AGENT_REPLY 0x80000000u
#define AGENT_HEADER_SIZE 16u
#define AGENT_REPLY_PREFIX 16u
#define AGENT_MAX_PAYLOAD (16u << 20)     /* one request or reply payload */
#define AGENT_MAX_ARG 4096u               /* an ioctl argument struct */
#define AGENT_MAX_BUFFERS 16u             /* buffers of one ioctl */
#define AGENT_MAX_PATH 4096u
#define AGENT_MAX_REGION (1ull << 30)     /* one region or mmap */
#define AGENT_MAX_HANDLES 1024u

enum agent_op {
    OP_ERROR = 0, /* only in replies: a request that could not be parsed at all */
    OP_PING = 1,
    OP_VERSION = 2,
    OP_QUIT = 3,
    OP_OPEN = 10,
    OP_CLOSE = 11,
    OP_IOCTL = 12,
    OP_IOCTL_VALUE = 13,
    OP_READ = 14,
    OP_WRITE = 15,
    OP_PREAD = 16,
    OP_PWRITE = 17,
    OP_ALLOC_REGION = 20,
    OP_FREE_REGION = 21,
    OP_WRITE_REGION = 22,
    OP_READ_REGION = 23,
    OP_MMAP = 30,
    OP_MUNMAP = 31,
    OP_MMIO_READ = 32,
    OP_MMIO_WRITE = 33,
    OP_LISTDIR = 40,
    OP_READLINK = 41,
};

enum buffer_direction { DIR_INPUT = 0, DIR_OUTPUT = 1, DIR_INOUT = 2, DIR_REGION = 3 };

/* Open flags on the wire (the x86_64/asm-generic values), mapped to this machine's. */
#define W_O_ACCMODE 03u
#define W_O_CREAT 0100u
#define W_O_EXCL 0200u
#define W_O_NOCTTY 0400u
#define W_O_TRUNC 01000u
#define W_O_APPEND 02000u
#define W_O_NONBLOCK 04000u
#define W_O_DSYNC 010000u
#define W_O_DIRECTORY 0200000u
#define W_O_NOFOLLOW 0400000u
#define W_O_CLOEXEC 02000000u

static int verbose;
static int in_fd = 0, out_fd = 1;
static int device_mode; /* a character device: EOF means the host is not connected (yet) */

/* The transport's own fds: requests may not close, read, write or ioctl them. */
static int is_transport(int fd) { return fd == in_fd || fd == out_fd; }

static void logf_(const char *fmt, ...) {
    if (!verbose) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("iommufd-agent: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- little-endian helpers ------------------------------------------------------------- */

static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }
static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}
static size_t pad8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/* A request payload being read front to back; any read past the end marks it bad. */
struct reader {
    const uint8_t *p;
    size_t len, off;
    int bad;
};
static int need(struct reader *r, size_t n) {
    if (r->bad || n > r->len - r->off) {
        r->bad = 1;
        return 0;
    }
    return 1;
}
static uint32_t rd32(struct reader *r) {
    if (!need(r, 4)) return 0;
    uint32_t v = get32(r->p + r->off);
    r->off += 4;
    return v;
}
static uint64_t rd64(struct reader *r) {
    if (!need(r, 8)) return 0;
    uint64_t v = get64(r->p + r->off);
    r->off += 8;
    return v;
}
static const uint8_t *rdbytes(struct reader *r, size_t n) {
    if (!need(r, n)) return NULL;
    const uint8_t *v = r->p + r->off;
    r->off += n;
    return v;
}
static size_t remaining(const struct reader *r) { return r->bad ? 0 : r->len - r->off; }

/* A reply being built: a 16-byte prefix (result, errno) then op-specific data. */
struct reply {
    uint8_t *buf;
    size_t len, cap;
    int oom;
};
static uint8_t *grow(struct reply *o, size_t n) {
    if (o->oom) return NULL;
    if (n > AGENT_MAX_PAYLOAD + 64 - o->len) {
        o->oom = 1;
        return NULL;
    }
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n) cap *= 2;
        uint8_t *b = realloc(o->buf, cap);
        if (!b) {
            o->oom = 1;
            return NULL;
        }
        o->buf = b;
        o->cap = cap;
    }
    uint8_t *p = o->buf + o->len;
    memset(p, 0, n);
    o->len += n;
    return p;
}
static void out32(struct reply *o, uint32_t v) {
    uint8_t *p = grow(o, 4);
    if (p) put32(p, v);
}
static void out64(struct reply *o, uint64_t v) {
    uint8_t *p = grow(o, 8);
    if (p) put64(p, v);
}
static void outbytes(struct reply *o, const void *src, size_t n, int padded) {
    uint8_t *p = grow(o, padded ? pad8(n) : n);
    if (p && n) memcpy(p, src, n);
}
static void set_result(struct reply *o, int64_t result, int err) {
    put64(o->buf, (uint64_t)result);
    put32(o->buf + 8, (uint32_t)err);
    put32(o->buf + 12, 0);
}
/* An error reply: result -1, errno, and a message for the human reading a trace. */
static void fail(struct reply *o, int err, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = (int)sizeof msg - 1;
    o->len = AGENT_REPLY_PREFIX;
    o->oom = 0;
    set_result(o, -1, err);
    outbytes(o, msg, (size_t)n, 0);
    logf_("error %d: %s", err, msg);
}
static void fail_errno(struct reply *o, int err) {
    o->len = AGENT_REPLY_PREFIX;
    set_result(o, -1, err);
}

/* ---- handles: regions (anonymous memory) and mmaps of fds ------------------------------- */

struct handle {
    uint64_t id; /* 0: free slot */
    int is_mmio;
    uint8_t *addr;
    size_t len;
};
static struct handle handles[AGENT_MAX_HANDLES];
static uint64_t next_handle = 1;

static struct handle *find_handle(uint64_t id) {
    if (id == 0) return NULL;
    for (unsigned i = 0; i < AGENT_MAX_HANDLES; i++)
        if (handles[i].id == id) return &handles[i];
    return NULL;
}
static struct handle *new_handle(void) {
    for (unsigned i = 0; i < AGENT_MAX_HANDLES; i++)
        if (handles[i].id == 0) {
            handles[i].id = next_handle++;
            return &handles[i];
        }
    return NULL;
}
/* Checks [offset, offset + count) inside the handle's extent, without overflow. */
static int in_range(const struct handle *h, uint64_t offset, uint64_t count) {
    return offset <= h->len && count <= h->len - offset;
}

/* ---- operations ------------------------------------------------------------------------- */

static int wire_open_flags(uint32_t w, int *native) {
    const uint32_t known = W_O_ACCMODE | W_O_CREAT | W_O_EXCL | W_O_NOCTTY | W_O_TRUNC | W_O_APPEND |
                           W_O_NONBLOCK | W_O_DSYNC | W_O_DIRECTORY | W_O_NOFOLLOW | W_O_CLOEXEC;
    if (w & ~known) return 0;
    int f;
    switch (w & W_O_ACCMODE) {
    case 0: f = O_RDONLY; break;
    case 1: f = O_WRONLY; break;
    case 2: f = O_RDWR; break;
    default: return 0;
    }
    if (w & W_O_CREAT) f |= O_CREAT;
    if (w & W_O_EXCL) f |= O_EXCL;
    if (w & W_O_NOCTTY) f |= O_NOCTTY;
    if (w & W_O_TRUNC) f |= O_TRUNC;
    if (w & W_O_APPEND) f |= O_APPEND;
    if (w & W_O_NONBLOCK) f |= O_NONBLOCK;
    if (w & W_O_DSYNC) f |= O_DSYNC;
    if (w & W_O_DIRECTORY) f |= O_DIRECTORY;
    if (w & W_O_NOFOLLOW) f |= O_NOFOLLOW;
    if (w & W_O_CLOEXEC) f |= O_CLOEXEC;
    *native = f;
    return 1;
}

/* Reads a path (the rest of the request): no NUL inside, at most AGENT_MAX_PATH bytes. */
static int take_path(struct reader *r, struct reply *o, char *path) {
    size_t n = remaining(r);
    if (n == 0 || n >= AGENT_MAX_PATH) {
        fail(o, EINVAL, "path length %zu out of range 1...%u", n, AGENT_MAX_PATH - 1);
        return 0;
    }
    const uint8_t *p = rdbytes(r, n);
    if (memchr(p, 0, n)) {
        fail(o, EINVAL, "path holds a NUL byte");
        return 0;
    }
    memcpy(path, p, n);
    path[n] = 0;
    return 1;
}

static int take_fd(struct reader *r) {
    uint32_t v = rd32(r);
    return (int)(int32_t)v;
}

static void op_open(struct reader *r, struct reply *o) {
    uint32_t wflags = rd32(r), mode = rd32(r);
    char path[AGENT_MAX_PATH];
    if (r->bad) return fail(o, EBADMSG, "OPEN: short request");
    int flags;
    if (!wire_open_flags(wflags, &flags)) return fail(o, EINVAL, "OPEN: unknown flags 0x%x", wflags);
    if (mode > 07777) return fail(o, EINVAL, "OPEN: mode 0%o out of range", mode);
    if (!take_path(r, o, path)) return;
    int fd = open(path, flags, (mode_t)mode);
    if (fd < 0) return fail_errno(o, errno);
    logf_("open %s -> %d", path, fd);
    set_result(o, fd, 0);
}


static void op_close(struct reader *r, struct reply *o) {
    int fd = take_fd(r);
    if (r->bad) return fail(o, EBADMSG, "CLOSE: short request");
    if (fd <= 2 || is_transport(fd)) return fail(o, EBADF, "CLOSE: fd %d is the agent's own", fd);
    if (close(fd) < 0) return fail_errno(o, errno);
    set_result(o, 0, 0);
}

struct ioctl_buffer {
    uint32_t field_offset, direction;
    uint64_t length, handle, region_offset;
    uint8_t *mem; /* agent memory (malloc'd for input/output/inOut) */
};

static void op_ioctl(struct reader *r, struct reply *o) {
    int fd = take_fd(r);
    uint32_t nbuf = rd32(r);
    uint64_t request = rd64(r);
    uint32_t arglen = rd32(r);
    (void)rd32(r);
    if (r->bad) return fail(o, EBADMSG, "IOCTL: short request");
    if (is_transport(fd)) return fail(o, EBADF, "IOCTL: fd %d is the agent's transport", fd);
    if (arglen > AGENT_MAX_ARG) return fail(o, E2BIG, "IOCTL: argument of %u bytes (limit %u)", arglen, AGENT_MAX_ARG);
    if (nbuf > AGENT_MAX_BUFFERS) return fail(o, E2BIG, "IOCTL: %u buffers (limit %u)", nbuf, AGENT_MAX_BUFFERS);
    const uint8_t *argsrc = rdbytes(r, pad8(arglen));
    if (!argsrc) return fail(o, EBADMSG, "IOCTL: argument bytes missing");
    /* An aligned copy with slack, so the kernel may read the struct as it likes. */
    uint64_t argmem[AGENT_MAX_ARG / 8 + 1];
    memset(argmem, 0, sizeof argmem);
    memcpy(argmem, argsrc, arglen);
    uint8_t *arg = (uint8_t *)argmem;

    struct ioctl_buffer bufs[AGENT_MAX_BUFFERS];
    memset(bufs, 0, sizeof bufs);
    uint64_t total = 0;
    for (uint32_t i = 0; i < nbuf; i++) {
        bufs[i].field_offset = rd32(r);
        bufs[i].direction = rd32(r);
        bufs[i].length = rd64(r);
        bufs[i].handle = rd64(r);
        bufs[i].region_offset = rd64(r);
    }
    if (r->bad) return fail(o, EBADMSG, "IOCTL: buffer descriptors missing");
    int err = 0;
    char why[160] = "";
    for (uint32_t i = 0; i < nbuf && !err; i++) {
        struct ioctl_buffer *b = &bufs[i];
        if (arglen < 8 || b->field_offset > arglen - 8) {
            err = EINVAL;
            snprintf(why, sizeof why, "buffer %u: field offset %u outside the %u-byte argument", i, b->field_offset, arglen);
            break;
        }
        for (uint32_t j = 0; j < i; j++)
            if (bufs[j].field_offset + 8 > b->field_offset && b->field_offset + 8 > bufs[j].field_offset) {
                err = EINVAL;
                snprintf(why, sizeof why, "buffers %u and %u patch overlapping fields", j, i);
            }
        if (err) break;
        if (b->direction == DIR_REGION) {
            struct handle *h = find_handle(b->handle);
            if (!h || h->is_mmio) {
                err = ENOENT;
                snprintf(why, sizeof why, "buffer %u: no region with handle %llu", i, (unsigned long long)b->handle);
                break;
            }
            if (!in_range(h, b->region_offset, b->length)) {
                err = ERANGE;
                snprintf(why, sizeof why, "buffer %u: [%llu, +%llu) is outside region %llu (%zu bytes)", i,
                         (unsigned long long)b->region_offset, (unsigned long long)b->length,
                         (unsigned long long)b->handle, h->len);
                break;
            }
            put64(arg + b->field_offset, (uint64_t)(uintptr_t)(h->addr + b->region_offset));
            continue;
        }
        if (b->direction > DIR_INOUT) {
            err = EINVAL;
            snprintf(why, sizeof why, "buffer %u: unknown direction %u", i, b->direction);
            break;
        }
        if (b->length > AGENT_MAX_PAYLOAD || total + b->length > AGENT_MAX_PAYLOAD) {
            err = E2BIG;
            snprintf(why, sizeof why, "buffer %u: %llu bytes exceed the payload limit", i, (unsigned long long)b->length);
            break;
        }
        total += b->length;
        b->mem = calloc(1, b->length ? b->length : 1);
        if (!b->mem) {
            err = ENOMEM;
            snprintf(why, sizeof why, "buffer %u: cannot allocate %llu bytes", i, (unsigned long long)b->length);
            break;
        }
        if (b->direction != DIR_OUTPUT) {
            const uint8_t *src = rdbytes(r, pad8(b->length));
            if (!src) {
                err = EBADMSG;
                snprintf(why, sizeof why, "buffer %u: its %llu input bytes are missing", i, (unsigned long long)b->length);
                break;
            }
            memcpy(b->mem, src, b->length);
        }
        put64(arg + b->field_offset, (uint64_t)(uintptr_t)b->mem);
    }
    if (!err && remaining(r) != 0) {
        err = EBADMSG;
        snprintf(why, sizeof why, "%zu bytes left over after the buffers", remaining(r));
    }
    if (err) {
        for (uint32_t i = 0; i < nbuf; i++) free(bufs[i].mem);
        return fail(o, err, "IOCTL: %s", why);
    }

    /* An empty argument is the caller's NULL pointer (a test of the kernel's EFAULT). */
    int rc = ioctl(fd, (unsigned long)request, arglen ? (void *)arg : NULL);
    int e = rc < 0 ? errno : 0;
    logf_("ioctl fd %d request 0x%llx -> %d (errno %d)", fd, (unsigned long long)request, rc, e);
    set_result(o, rc < 0 ? -1 : rc, e);
    uint32_t nout = 0;
    for (uint32_t i = 0; i < nbuf; i++)
        if (bufs[i].direction == DIR_OUTPUT || bufs[i].direction == DIR_INOUT) nout++;
    out32(o, arglen);
    out32(o, nout);
    outbytes(o, arg, arglen, 1);
    for (uint32_t i = 0; i < nbuf; i++) {
        if (bufs[i].direction == DIR_OUTPUT || bufs[i].direction == DIR_INOUT) outbytes(o, bufs[i].mem, bufs[i].length, 1);
        free(bufs[i].mem);
    }
    if (o->oom) fail(o, ENOMEM, "IOCTL: reply too large (the call itself ran, rc %d errno %d)", rc, e);
}

static void op_ioctl_value(struct reader *r, struct reply *o) {
    int fd = take_fd(r);
    (void)rd32(r);
    uint64_t request = rd64(r), value = rd64(r);
    if (r->bad || remaining(r)) return fail(o, EBADMSG, "IOCTL_VALUE: request is not 24 bytes");
    if (is_transport(fd)) return fail(o, EBADF, "IOCTL_VALUE: fd %d is the agent's transport", fd);
    int rc = ioctl(fd, (unsigned long)request, (unsigned long)value);
    if (rc < 0) return fail_errno(o, errno);
    set_result(o, rc, 0);
}

static void op_read(struct reader *r, struct reply *o, int positional) {
    int fd = take_fd(r);
    uint32_t count = rd32(r);
    int64_t offset = positional ? (int64_t)rd64(r) : 0;
    if (r->bad || remaining(r)) return fail(o, EBADMSG, "READ: malformed request");
    if (is_transport(fd)) return fail(o, EBADF, "READ: fd %d is the agent's transport", fd);
    if (count > AGENT_MAX_PAYLOAD) return fail(o, E2BIG, "READ: %u bytes (limit %u)", count, AGENT_MAX_PAYLOAD);
    uint8_t *p = grow(o, count);
    if (!p) return fail(o, ENOMEM, "READ: cannot hold %u bytes", count);
    ssize_t n = positional ? pread(fd, p, count, (off_t)offset) : read(fd, p, count);
    if (n < 0) return fail_errno(o, errno);
    o->len = AGENT_REPLY_PREFIX + (size_t)n;
    set_result(o, n, 0);
}

static void op_write(struct reader *r, struct reply *o, int positional) {
    int fd = take_fd(r);
    (void)rd32(r);
    int64_t offset = positional ? (int64_t)rd64(r) : 0;
    if (r->bad) return fail(o, EBADMSG, "WRITE: malformed request");
    if (is_transport(fd)) return fail(o, EBADF, "WRITE: fd %d is the agent's transport", fd);
    size_t n = remaining(r);
    const uint8_t *data = rdbytes(r, n);
    ssize_t w = positional ? pwrite(fd, data, n, (off_t)offset) : write(fd, data, n);
    if (w < 0) return fail_errno(o, errno);
    set_result(o, w, 0);
}

static void op_alloc_region(struct reader *r, struct reply *o) {
    uint64_t length = rd64(r);
    if (r->bad || remaining(r)) return fail(o, EBADMSG, "ALLOC_REGION: request is not 8 bytes");
    if (length == 0 || length > AGENT_MAX_REGION)
        return fail(o, EINVAL, "ALLOC_REGION: length %llu out of range 1...%llu", (unsigned long long)length, AGENT_MAX_REGION);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = (size_t)((length + page - 1) / page * page);
    struct handle *h = new_handle();
    if (!h) return fail(o, EMFILE, "ALLOC_REGION: all %u handles in use", AGENT_MAX_HANDLES);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        int e = errno;
        h->id = 0;
        return fail_errno(o, e);
    }
    h->is_mmio = 0;
    h->addr = p;
    h->len = len;
    logf_("region %llu: %zu bytes at %p", (unsigned long long)h->id, len, p);
    set_result(o, (int64_t)h->id, 0);
    out64(o, h->id);
    out64(o, (uint64_t)(uintptr_t)p);
    out64(o, len);
}

static void op_unmap_handle(struct reader *r, struct reply *o, int want_mmio) {
    uint64_t id = rd64(r);
    if (r->bad || remaining(r)) return fail(o, EBADMSG, "FREE: request is not 8 bytes");
    struct handle *h = find_handle(id);
    if (!h || h->is_mmio != want_mmio)
        return fail(o, ENOENT, "no %s with handle %llu", want_mmio ? "mmap" : "region", (unsigned long long)id);
    if (munmap(h->addr, h->len) < 0) return fail_errno(o, errno);
    memset(h, 0, sizeof *h);
    set_result(o, 0, 0);
}

static void op_region_io(struct reader *r, struct reply *o, int write) {
    uint64_t id = rd64(r), offset = rd64(r);
    uint32_t count = 0;
    if (!write) count = rd32(r);
    if (r->bad) return fail(o, EBADMSG, "REGION I/O: malformed request");
    if (write) count = (uint32_t)remaining(r);
    else if (remaining(r)) return fail(o, EBADMSG, "READ_REGION: request is not 20 bytes");
    struct handle *h = find_handle(id);
    if (!h || h->is_mmio) return fail(o, ENOENT, "no region with handle %llu", (unsigned long long)id);
    if (!in_range(h, offset, count))
        return fail(o, ERANGE, "[%llu, +%u) is outside region %llu (%zu bytes)", (unsigned long long)offset, count,
                    (unsigned long long)id, h->len);
    if (count > AGENT_MAX_PAYLOAD) return fail(o, E2BIG, "REGION I/O of %u bytes (limit %u)", count, AGENT_MAX_PAYLOAD);
    if (write) {
        memcpy(h->addr + offset, rdbytes(r, count), count);
        set_result(o, count, 0);
    } else {
        uint8_t *p = grow(o, count);
        if (!p) return fail(o, ENOMEM, "READ_REGION: cannot hold %u bytes", count);
        memcpy(p, h->addr + offset, count);
        set_result(o, count, 0);
    }
}

static void op_mmap(struct reader *r, struct reply *o) {
    int fd = take_fd(r);
    uint32_t prot = rd32(r);
    uint64_t length = rd64(r), offset = rd64(r);
    if (r->bad || remaining(r)) return fail(o, EBADMSG, "MMAP: request is not 24 bytes");
    if (prot & ~3u) return fail(o, EINVAL, "MMAP: unknown prot bits 0x%x (1 read, 2 write)", prot);
    if (length == 0 || length > AGENT_MAX_REGION) return fail(o, EINVAL, "MMAP: length %llu out of range", (unsigned long long)length);
    if (offset > (uint64_t)INT64_MAX) return fail(o, EINVAL, "MMAP: offset out of range");
    struct handle *h = new_handle();
    if (!h) return fail(o, EMFILE, "MMAP: all %u handles in use", AGENT_MAX_HANDLES);
    int nprot = ((prot & 1) ? PROT_READ : 0) | ((prot & 2) ? PROT_WRITE : 0);
    void *p = mmap(NULL, (size_t)length, nprot, MAP_SHARED, fd, (off_t)offset);
    if (p == MAP_FAILED) {
        int e = errno;
        h->id = 0;
        return fail_errno(o, e);
    }
    h->is_mmio = 1;
    h->addr = p;
    h->len = (size_t)length;
    logf_("mmap %llu: fd %d, %llu bytes at offset 0x%llx -> %p", (unsigned long long)h->id, fd,
          (unsigned long long)length, (unsigned long long)offset, p);
    set_result(o, (int64_t)h->id, 0);
    out64(o, h->id);
    out64(o, (uint64_t)(uintptr_t)p);
    out64(o, length);
}

static void op_mmio(struct reader *r, struct reply *o, int write) {
    uint64_t id = rd64(r), offset = rd64(r);
    uint32_t width = rd32(r);
    uint64_t value = 0;
    if (write) {
        (void)rd32(r);
        value = rd64(r);
    }
    if (r->bad || remaining(r)) return fail(o, EBADMSG, "MMIO: malformed request");
    struct handle *h = find_handle(id);
    if (!h || !h->is_mmio) return fail(o, ENOENT, "no mmap with handle %llu", (unsigned long long)id);
    if (width != 1 && width != 2 && width != 4 && width != 8) return fail(o, EINVAL, "MMIO: width %u (1, 2, 4 or 8)", width);
    if (offset % width) return fail(o, EINVAL, "MMIO: offset 0x%llx not aligned to %u", (unsigned long long)offset, width);
    if (!in_range(h, offset, width))
        return fail(o, ERANGE, "MMIO: offset 0x%llx outside the %zu-byte mapping", (unsigned long long)offset, h->len);
    void *p = h->addr + offset;
    if (write) {
        switch (width) {
        case 1: *(volatile uint8_t *)p = (uint8_t)value; break;
        case 2: *(volatile uint16_t *)p = (uint16_t)value; break;
        case 4: *(volatile uint32_t *)p = (uint32_t)value; break;
        default: *(volatile uint64_t *)p = value; break;
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        set_result(o, 0, 0);
    } else {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        switch (width) {
        case 1: value = *(volatile uint8_t *)p; break;
        case 2: value = *(volatile uint16_t *)p; break;
        case 4: value = *(volatile uint32_t *)p; break;
        default: value = *(volatile uint64_t *)p; break;
        }
        set_result(o, 0, 0);
        out64(o, value);
    }
}

static void op_listdir(struct reader *r, struct reply *o) {
    char path[AGENT_MAX_PATH];
    if (!take_path(r, o, path)) return;
    DIR *d = opendir(path);
    if (!d) return fail_errno(o, errno);
    struct dirent *e;
    int64_t count = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        outbytes(o, e->d_name, strlen(e->d_name) + 1, 0);
        count++;
    }
    closedir(d);
    if (o->oom) return fail(o, ENOMEM, "LISTDIR: listing too large");
    set_result(o, count, 0);
}

static void op_readlink(struct reader *r, struct reply *o) {
    char path[AGENT_MAX_PATH], target[AGENT_MAX_PATH];
    if (!take_path(r, o, path)) return;
    ssize_t n = readlink(path, target, sizeof target);
    if (n < 0) return fail_errno(o, errno);
    if ((size_t)n >= sizeof target) return fail(o, ENAMETOOLONG, "READLINK: target too long");
    outbytes(o, target, (size_t)n, 0);
    set_result(o, n, 0);
}

static void op_version(struct reply *o) {
    struct utsname u;
    char text[512];
    if (uname(&u) < 0) memset(&u, 0, sizeof u);
    int n = snprintf(text, sizeof text, "iommufd-agent protocol %u; %s %s %s", AGENT_PROTOCOL_VERSION, u.sysname, u.release,
                     u.machine);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof text) n = (int)sizeof text - 1;
    set_result(o, AGENT_PROTOCOL_VERSION, 0);
    out32(o, AGENT_PROTOCOL_VERSION);
    out32(o, AGENT_MAX_PAYLOAD);
    out32(o, (uint32_t)sysconf(_SC_PAGESIZE));
    out32(o, (uint32_t)(sizeof(void *) * 8));
    outbytes(o, text, (size_t)n, 0);
}

/* ---- transport -------------------------------------------------------------------------- */

/* Reads exactly n bytes. Returns 1, 0 on EOF before the first byte, -1 on EOF or error after it. */
static int read_full(void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t k = read(in_fd, (uint8_t *)buf + done, n - done);
        if (k < 0 && (errno == EINTR || errno == EAGAIN)) {
            if (errno == EAGAIN) usleep(1000);
            continue;
        }
        if (k <= 0) return done == 0 && k == 0 ? 0 : -1;
        done += (size_t)k;
    }
    return 1;
}

static int write_full(const void *buf, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(out_fd, (const uint8_t *)buf + done, n - done);
        if (k < 0 && (errno == EINTR || errno == EAGAIN)) {
            if (errno == EAGAIN) usleep(1000);
            continue;
        }
        if (k <= 0) return -1;
        done += (size_t)k;
    }
    return 0;
}

static int send_reply(uint32_t op, uint32_t seq, struct reply *o) {
    uint8_t h[AGENT_HEADER_SIZE];
    put32(h, AGENT_MAGIC);
    put32(h + 4, op | AGENT_REPLY);
    put32(h + 8, seq);
    put32(h + 12, (uint32_t)o->len);
    /* One write for small replies keeps a serial transport's framing simple to follow. */
    if (o->len <= 4096) {
        uint8_t both[AGENT_HEADER_SIZE + 4096];
        memcpy(both, h, sizeof h);
        memcpy(both + sizeof h, o->buf, o->len);
        return write_full(both, sizeof h + o->len);
    }
    if (write_full(h, sizeof h) < 0) return -1;
    return write_full(o->buf, o->len);
}

/* Discards n bytes of input (the payload of a request that is refused as too long). */
static int discard(uint64_t n) {
    uint8_t sink[4096];
    while (n) {
        size_t k = n < sizeof sink ? (size_t)n : sizeof sink;
        if (read_full(sink, k) != 1) return -1;
        n -= k;
    }
    return 0;
}

/* After a bad magic: slides byte by byte until the next 4 bytes are the magic. */
static int resync(uint8_t hdr[AGENT_HEADER_SIZE]) {
    for (;;) {
        memmove(hdr, hdr + 1, AGENT_HEADER_SIZE - 1);
        if (read_full(hdr + AGENT_HEADER_SIZE - 1, 1) != 1) return -1;
        if (get32(hdr) == AGENT_MAGIC) return 0;
    }
}

static int serve(void) {
    struct reply o = {0};
    uint8_t hdr[AGENT_HEADER_SIZE];
    for (;;) {
        int got = read_full(hdr, sizeof hdr);
        if (got == 0 && device_mode) { /* the host side is not connected */
            usleep(50 * 1000);
            continue;
        }
        if (got != 1) {
            if (device_mode) {
                usleep(50 * 1000);
                continue;
            }
            return got == 0 ? 0 : 1;
        }
        o.len = 0;
        o.oom = 0;
        if (!grow(&o, AGENT_REPLY_PREFIX)) return 2;
        if (get32(hdr) != AGENT_MAGIC) {
            fail(&o, EPROTO, "bad magic 0x%08x (want 0x%08x); skipping to the next magic", get32(hdr), AGENT_MAGIC);
            if (send_reply(OP_ERROR, 0, &o) < 0 && !device_mode) return 1;
            if (resync(hdr) < 0) {
                if (device_mode) continue;
                return 1;
            }
        }
        uint32_t op = get32(hdr + 4), seq = get32(hdr + 8), len = get32(hdr + 12);
        o.len = AGENT_REPLY_PREFIX;
        if (op & AGENT_REPLY) {
            fail(&o, EPROTO, "op 0x%x has the reply bit set", op);
            if (discard(len) < 0 && !device_mode) return 1;
            if (send_reply(op & ~AGENT_REPLY, seq, &o) < 0 && !device_mode) return 1;
            continue;
        }
        if (len > AGENT_MAX_PAYLOAD) {
            fail(&o, E2BIG, "payload of %u bytes (limit %u)", len, AGENT_MAX_PAYLOAD);
            if (discard(len) < 0 && !device_mode) return 1;
            if (send_reply(op, seq, &o) < 0 && !device_mode) return 1;
            continue;
        }
        uint8_t *payload = malloc(len ? len : 1);
        if (!payload) {
            fail(&o, ENOMEM, "cannot hold a %u-byte payload", len);
            if (discard(len) < 0 && !device_mode) return 1;
            if (send_reply(op, seq, &o) < 0 && !device_mode) return 1;
            continue;
        }
        if (len && read_full(payload, len) != 1) {
            free(payload);
            if (device_mode) continue;
            return 1;
        }
        struct reader r = {payload, len, 0, 0};
        set_result(&o, 0, 0);
        int quit = 0;
        switch (op) {
        case OP_PING:
            outbytes(&o, payload, len, 0);
            break;
        case OP_VERSION: op_version(&o); break;
        case OP_QUIT: quit = 1; break;
        case OP_OPEN: op_open(&r, &o); break;
        case OP_CLOSE: op_close(&r, &o); break;
        case OP_IOCTL: op_ioctl(&r, &o); break;
        case OP_IOCTL_VALUE: op_ioctl_value(&r, &o); break;
        case OP_READ: op_read(&r, &o, 0); break;
        case OP_WRITE: op_write(&r, &o, 0); break;
        case OP_PREAD: op_read(&r, &o, 1); break;
        case OP_PWRITE: op_write(&r, &o, 1); break;
        case OP_ALLOC_REGION: op_alloc_region(&r, &o); break;
        case OP_FREE_REGION: op_unmap_handle(&r, &o, 0); break;
        case OP_WRITE_REGION: op_region_io(&r, &o, 1); break;
        case OP_READ_REGION: op_region_io(&r, &o, 0); break;
        case OP_MMAP: op_mmap(&r, &o); break;
        case OP_MUNMAP: op_unmap_handle(&r, &o, 1); break;
        case OP_MMIO_READ: op_mmio(&r, &o, 0); break;
        case OP_MMIO_WRITE: op_mmio(&r, &o, 1); break;
        case OP_LISTDIR: op_listdir(&r, &o); break;
        case OP_READLINK: op_readlink(&r, &o); break;
        default: fail(&o, ENOSYS, "unknown op %u", op); break;
        }
        free(payload);
        if (o.oom) fail(&o, ENOMEM, "reply too large");
        if (send_reply(op, seq, &o) < 0 && !device_mode) return 1;
        if (quit) {
            logf_("quit");
            return 0;
        }
    }
}

/* Finds /dev/<port> for the virtio-serial port named `name` (/sys/class/virtio-ports/<port>/name). */
static int find_port(const char *name, char *out, size_t outlen) {
    for (int attempt = 0; attempt < 100; attempt++) {
        DIR *d = opendir("/sys/class/virtio-ports");
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (e->d_name[0] == '.') continue;
                char p[512], buf[256];
                snprintf(p, sizeof p, "/sys/class/virtio-ports/%s/name", e->d_name);
                FILE *f = fopen(p, "r");
                if (!f) continue;
                size_t n = fread(buf, 1, sizeof buf - 1, f);
                fclose(f);
                buf[n] = 0;
                while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = 0;
                if (!strcmp(buf, name)) {
                    snprintf(out, outlen, "/dev/%s", e->d_name);
                    if (access(out, F_OK) == 0) {
                        closedir(d);
                        return 0;
                    }
                }
            }
            closedir(d);
        }
        usleep(100 * 1000);
    }
    return -1;
}

static void usage(FILE *f) {
    fputs("usage: iommufd-agent [--device PATH | --port NAME] [--verbose] [--version]\n"
          "  Serves swift-iommufd AgentBackend requests (agent/PROTOCOL.md) on stdin/stdout,\n"
          "  on a character device (--device: a virtio-serial port /dev/vportNpM, a tty), or on\n"
          "  the virtio-serial port named NAME (--port, looked up in /sys/class/virtio-ports).\n",
          f);
}

int main(int argc, char **argv) {
    const char *device = NULL, *port = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--device") && i + 1 < argc) device = argv[++i];
        else if (!strcmp(argv[i], "--port") && i + 1 < argc) port = argv[++i];
        else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "--version")) {
            printf("iommufd-agent protocol %u\n", AGENT_PROTOCOL_VERSION);
            return 0;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 64;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    char found[512];
    if (port) {
        if (find_port(port, found, sizeof found) < 0) {
            fprintf(stderr, "iommufd-agent: no virtio-serial port named %s\n", port);
            return 66;
        }
        device = found;
    }
    if (device) {
        int fd = open(device, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "iommufd-agent: open %s: %s\n", device, strerror(errno));
            return 66;
        }
        if (isatty(fd)) {
            struct termios t;
            if (tcgetattr(fd, &t) == 0) {
                cfmakeraw(&t);
                tcsetattr(fd, TCSANOW, &t);
            }
        }
        /* The agent's own fds 0-2 stay where they are (logs); requests use the device. */
        in_fd = out_fd = fd;
        device_mode = 1;
        logf_("serving on %s", device);
    }
    return serve();
}
