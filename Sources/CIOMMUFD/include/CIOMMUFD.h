/*
 * Umbrella header of the C shim: our own declarations of the Linux 7.2 iommufd and VFIO cdev
 * user API (kernel names, kernel layouts), the kernel's selftest interface, and thin wrappers.
 */
#ifndef CIOMMUFD_H
#define CIOMMUFD_H

#include "ciommufd_sys.h"
#include "iommufd_uapi.h"
#include "vfio_uapi.h"
#include "iommufd_selftest_uapi.h"

#endif /* CIOMMUFD_H */
