// libdrm for the probe's GPU listing (drmGetDevices2, drmGetVersion). A system-library target:
// SwiftPM takes -I/usr/include/libdrm from pkg-config (libdrm), which xf86drm.h needs for drm.h.
#include <xf86drm.h>
