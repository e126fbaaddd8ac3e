/* A device that takes every packet and sends none: for unit tests that
 * look at the API and the stack's state, never at packets. */
#ifndef GT_TEST_NULL_DEVICE_H
#define GT_TEST_NULL_DEVICE_H

#include <stddef.h>

#include "harness.h"

#include <glasstcp/glasstcp.h>

static inline int null_transmit(void *ctx, const void *pkt, size_t len)
{
	(void)ctx;
	(void)pkt;
	(void)len;
	return 0;
}

/* A stack of profile p on a 1500-byte null device, no address. */
static inline gt_stack *null_device_stack(enum gt_profile p)
{
	struct gt_config cfg;
	gt_config_default(&cfg, p);
	struct gt_device dev = {.transmit = null_transmit, .mtu = 1500};
	gt_stack *s = gt_stack_new(&cfg, &dev);
	ASSERT(s != NULL);
	return s;
}

#endif
