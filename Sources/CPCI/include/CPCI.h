#ifndef CPCI_H
#define CPCI_H

/*
 * Thin wrappers around libpci (pciutils) for what Swift cannot do directly:
 *
 *  - libpci reports errors through pci_access->error, which must not return and by default
 *    calls exit(1) (a bad dump file would end the process, or a whole test run). Every wrapper
 *    here that can reach that callback runs under setjmp; the callback longjmps back and the
 *    wrapper returns a failure value with libpci's message in `error`.
 *  - pci_lookup_name is variadic; cpci_lookup_name takes its arguments as plain ints.
 *  - the dump access method needs its file name set as a parameter before pci_init.
 *
 * Nothing here parses configuration space: capabilities are found with pci_find_cap and read
 * with pci_read_word/pci_read_long.
 */

#include <stddef.h>
#include <stdint.h>
#include <pci/pci.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opens a `lspci -x/-xxx/-xxxx` dump through libpci's dump access method (PCI_ACCESS_DUMP,
 * parameter dump.name) and scans it. `ids_path` (nullable) overrides pci.ids. Returns NULL with
 * libpci's message in `error` when the file cannot be read or is malformed. */
struct pci_access *cpci_open_dump(const char *dump_path, const char *ids_path,
                                  char *error, size_t error_len);

/* Opens the Linux sysfs access method (PCI_ACCESS_SYS_BUS_PCI) on `sysfs_pci_path` (nullable:
 * libpci's default /sys/bus/pci) and scans the bus. */
struct pci_access *cpci_open_sysfs(const char *sysfs_pci_path, const char *ids_path,
                                   char *error, size_t error_len);

/* A session used only for pci_lookup_name: pci.ids is parsed once, on the first lookup, however
 * many dumps are read. No access method is initialised. */
struct pci_access *cpci_open_names(const char *ids_path, char *error, size_t error_len);

/* Frees everything libpci allocated for the session. */
void cpci_close(struct pci_access *access);

/* pci_fill_info under the error guard; returns the known fields, or -1 with `error` set. */
int cpci_fill(struct pci_dev *dev, int flags, char *error, size_t error_len);

/* The offset of capability `id` of `type` (PCI_CAP_NORMAL or PCI_CAP_EXTENDED), 0 when the
 * device does not have it, -1 on a libpci error. Extended capabilities are only listed for
 * devices with a PCI Express capability (libpci's rule, and the spec's). */
int cpci_find_cap(struct pci_dev *dev, unsigned int id, unsigned int type,
                  char *error, size_t error_len);

/* Config-space reads under the error guard: 0 on success, -1 with `error` set. A read libpci
 * cannot satisfy (outside the dump, say) yields all ones, as on hardware. */
int cpci_read_byte(struct pci_dev *dev, int pos, uint8_t *value, char *error, size_t error_len);
int cpci_read_word(struct pci_dev *dev, int pos, uint16_t *value, char *error, size_t error_len);
int cpci_read_long(struct pci_dev *dev, int pos, uint32_t *value, char *error, size_t error_len);

/* pci_lookup_name with PCI_LOOKUP_NO_NUMBERS added: 1 with the name in `buf`, 0 when pci.ids
 * does not know the id (or is missing), -1 on a libpci error. The ints are the variadic
 * arguments of pci_lookup_name for `flags` (vendor; vendor, device; class; class, prog-if). */
int cpci_lookup_name(struct pci_access *access, char *buf, int size, int flags,
                     int arg1, int arg2, int arg3, int arg4, char *error, size_t error_len);

/* The warnings libpci reported on this thread since the last call, one per line; clears them.
 * Returns the length written (truncated to `len` - 1). */
size_t cpci_take_warnings(char *buf, size_t len);

/* The capability list filled by pci_fill_info(PCI_FILL_CAPS | PCI_FILL_EXT_CAPS). */
static inline struct pci_cap *cpci_first_cap(struct pci_dev *dev) { return dev->first_cap; }

#ifdef __cplusplus
}
#endif

#endif
