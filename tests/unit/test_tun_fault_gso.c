/* The TUN runtime's fault wrapper (runtime/tun/fault.c) keeps each packet's
 * gso_size on its way through, so a GSO packet it delays, reorders or
 * duplicates still reaches the stack with the size it was read with. */
#include <stdlib.h>

#include "harness.h"

#include "runtime/tun/tun.h"

TEST(tun_fault_keeps_each_packets_gso_size)
{
	/* Packet i of 1 + i bytes (its first byte i) with gso_size 100 * i,
	 * every one duplicated and some reordered: whatever order they leave
	 * in, each copy carries its own size. */
	struct tun_fault_config cfg = {.delay_us = 10, .jitter_us = 5, .duplicate = 1.0,
				       .reorder = 0.5, .reorder_us = 20};
	struct tun_fault f;
	ASSERT_EQ(tun_fault_init(&f, &cfg, 7), 0);
	uint8_t pkt[16] = {0};
	for (uint8_t i = 0; i < 16; i++) {
		pkt[0] = i;
		tun_fault_submit_gso(&f, 1000, pkt, 1u + i, (uint16_t)(100u * i));
	}
	struct gt_iovec v[64];
	uint16_t gso[64];
	size_t n = tun_fault_take(&f, 1000000, v, gso, 64);
	ASSERT_EQ(n, 32);
	for (size_t k = 0; k < n; k++) {
		uint8_t i = ((const uint8_t *)v[k].base)[0];
		ASSERT_EQ(v[k].len, 1u + i);
		ASSERT_EQ(gso[k], 100u * i);
		free((void *)v[k].base);
	}
	/* tun_fault_submit(): a plain packet, size 0; gso NULL: not asked. */
	tun_fault_submit(&f, 2000, pkt, 4);
	n = tun_fault_take(&f, 1000000, v, gso, 64);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(gso[0], 0);
	ASSERT_EQ(gso[1], 0);
	free((void *)v[0].base);
	free((void *)v[1].base);
	tun_fault_submit_gso(&f, 3000, pkt, 4, 1448);
	n = tun_fault_take(&f, 1000000, v, NULL, 64);
	ASSERT_EQ(n, 2);
	free((void *)v[0].base);
	free((void *)v[1].base);
	tun_fault_fini(&f);
}
