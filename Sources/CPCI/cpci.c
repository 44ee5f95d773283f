#include "CPCI.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The innermost guarded call on this thread, and the message of the error that ended it. */
static _Thread_local jmp_buf *cpci_jump;
static _Thread_local char cpci_message[512];
static _Thread_local char cpci_warnings[2048];
static _Thread_local size_t cpci_warnings_len;

static void cpci_error(char *msg, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void cpci_warning(char *msg, ...) __attribute__((format(printf, 1, 2)));
static void cpci_debug(char *msg, ...) __attribute__((format(printf, 1, 2)));

static void cpci_error(char *msg, ...) {
    va_list args;
    va_start(args, msg);
    vsnprintf(cpci_message, sizeof cpci_message, msg, args);
    va_end(args);
    if (cpci_jump) longjmp(*cpci_jump, 1);
    /* Every entry point into libpci is guarded; reaching this is a bug in this file. */
    fprintf(stderr, "libpci error outside a guarded call: %s\n", cpci_message);
    abort();
}

static void cpci_warning(char *msg, ...) {
    char line[256];
    va_list args;
    va_start(args, msg);
    int n = vsnprintf(line, sizeof line, msg, args);
    va_end(args);
    if (n < 0) return;
    size_t length = strnlen(line, sizeof line);
    while (length > 0 && line[length - 1] == '\n') line[--length] = 0;
    if (cpci_warnings_len + length + 2 >= sizeof cpci_warnings) return;
    memcpy(cpci_warnings + cpci_warnings_len, line, length);
    cpci_warnings_len += length;
    cpci_warnings[cpci_warnings_len++] = '\n';
    cpci_warnings[cpci_warnings_len] = 0;
}

static void cpci_debug(char *msg, ...) { (void)msg; }

static void cpci_copy_error(char *error, size_t error_len) {
    if (!error || error_len == 0) return;
    snprintf(error, error_len, "%s", cpci_message);
}

/* Runs the statements after it under the guard: on a libpci error, restores the previous guard,
 * copies the message and returns `failure` from the enclosing function. */
#define CPCI_TRY(error, error_len, failure)                                                   \
    jmp_buf cpci_env;                                                                         \
    jmp_buf *volatile cpci_saved = cpci_jump;                                                 \
    if (setjmp(cpci_env) != 0) {                                                              \
        cpci_jump = cpci_saved;                                                               \
        cpci_copy_error(error, error_len);                                                    \
        return failure;                                                                       \
    }                                                                                         \
    cpci_jump = &cpci_env
#define CPCI_END() cpci_jump = cpci_saved

static struct pci_access *cpci_open(unsigned int method, const char *param, const char *value,
                                    const char *ids_path, char *error, size_t error_len) {
    struct pci_access *volatile access = NULL;
    jmp_buf cpci_env;
    jmp_buf *volatile cpci_saved = cpci_jump;
    if (setjmp(cpci_env) != 0) {
        cpci_jump = cpci_saved;
        cpci_copy_error(error, error_len);
        /* The dump and sysfs methods leave a consistent device list behind when they fail, so
         * the session can be freed; the cleanup runs guarded in case it reports too. */
        if (access) {
            struct pci_access *failed = access;
            access = NULL;
            if (setjmp(cpci_env) == 0) {
                cpci_jump = &cpci_env;
                pci_cleanup(failed);
            }
            cpci_jump = cpci_saved;
        }
        return NULL;
    }
    cpci_jump = &cpci_env;
    struct pci_access *a = pci_alloc();
    access = a;
    a->error = cpci_error;
    a->warning = cpci_warning;
    a->debug = cpci_debug;
    a->method = method;
    /* Names from pci.ids only: deterministic, and no udev hwdb lookups. */
    (void)pci_set_param(a, "hwdb.disable", "1");
    if (param && value) {
        if (pci_set_param(a, (char *)param, (char *)value) != 0)
            cpci_error("libpci has no parameter %s", param);
    }
    if (ids_path) pci_set_name_list_path(a, strdup(ids_path), 1);
    pci_init(a);
    pci_scan_bus(a);
    cpci_jump = cpci_saved;
    return a;
}

struct pci_access *cpci_open_names(const char *ids_path, char *error, size_t error_len) {
    struct pci_access *volatile access = NULL;
    CPCI_TRY(error, error_len, NULL);
    struct pci_access *a = pci_alloc();
    access = a;
    a->error = cpci_error;
    a->warning = cpci_warning;
    a->debug = cpci_debug;
    (void)pci_set_param(a, "hwdb.disable", "1");
    if (ids_path) pci_set_name_list_path(a, strdup(ids_path), 1);
    CPCI_END();
    return access;
}

struct pci_access *cpci_open_dump(const char *dump_path, const char *ids_path,
                                  char *error, size_t error_len) {
    return cpci_open(PCI_ACCESS_DUMP, "dump.name", dump_path, ids_path, error, error_len);
}

struct pci_access *cpci_open_sysfs(const char *sysfs_pci_path, const char *ids_path,
                                   char *error, size_t error_len) {
    return cpci_open(PCI_ACCESS_SYS_BUS_PCI, sysfs_pci_path ? "sysfs.path" : NULL, sysfs_pci_path,
                     ids_path, error, error_len);
}

void cpci_close(struct pci_access *access) {
    if (!access) return;
    char ignored[8];
    CPCI_TRY(ignored, sizeof ignored, );
    pci_cleanup(access);
    CPCI_END();
}

int cpci_fill(struct pci_dev *dev, int flags, char *error, size_t error_len) {
    CPCI_TRY(error, error_len, -1);
    int known = pci_fill_info(dev, flags);
    CPCI_END();
    return known;
}

int cpci_find_cap(struct pci_dev *dev, unsigned int id, unsigned int type,
                  char *error, size_t error_len) {
    CPCI_TRY(error, error_len, -1);
    struct pci_cap *cap = pci_find_cap(dev, id, type);
    CPCI_END();
    return cap ? cap->addr : 0;
}

int cpci_read_byte(struct pci_dev *dev, int pos, uint8_t *value, char *error, size_t error_len) {
    CPCI_TRY(error, error_len, -1);
    *value = pci_read_byte(dev, pos);
    CPCI_END();
    return 0;
}

int cpci_read_word(struct pci_dev *dev, int pos, uint16_t *value, char *error, size_t error_len) {
    CPCI_TRY(error, error_len, -1);
    *value = pci_read_word(dev, pos);
    CPCI_END();
    return 0;
}

int cpci_read_long(struct pci_dev *dev, int pos, uint32_t *value, char *error, size_t error_len) {
    CPCI_TRY(error, error_len, -1);
    *value = pci_read_long(dev, pos);
    CPCI_END();
    return 0;
}

int cpci_lookup_name(struct pci_access *access, char *buf, int size, int flags,
                     int arg1, int arg2, int arg3, int arg4, char *error, size_t error_len) {
    CPCI_TRY(error, error_len, -1);
    char *name = pci_lookup_name(access, buf, size, flags | PCI_LOOKUP_NO_NUMBERS,
                                 arg1, arg2, arg3, arg4);
    CPCI_END();
    if (!name) return 0;
    if (name != buf) snprintf(buf, (size_t)size, "%s", name);
    return 1;
}

size_t cpci_take_warnings(char *buf, size_t len) {
    size_t n = 0;
    if (buf && len > 0) {
        n = cpci_warnings_len < len - 1 ? cpci_warnings_len : len - 1;
        memcpy(buf, cpci_warnings, n);
        buf[n] = 0;
    }
    cpci_warnings_len = 0;
    cpci_warnings[0] = 0;
    return n;
}
