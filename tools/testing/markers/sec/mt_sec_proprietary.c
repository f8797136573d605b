// SPDX-License-Identifier: GPL-2.0
/*
 * A marker in a module licensed "Proprietary": loading it taints the
 * kernel (P) and the module, and the registry must leave its marker off
 * even when it is enabled (kernel/markers.c, marker_module_bad_taint()).
 */
#include "mt_sec_site.h"

MT_SEC_MODULE(mt_sec_proprietary);
MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("markers test: a marker in a proprietary module");
