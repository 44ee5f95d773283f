/* The C shim is header-only; this unit holds the layout asserts (see layout_asserts.c). */
#include "CIOMMUFD.h"
