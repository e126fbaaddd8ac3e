/* Checksum offload: a partial checksum holds the pseudo-header sum that a
 * device completes; a stack whose device verified checksums skips them. */
#include "harness.h"

#include "util/checksum.h"
#include "wire/ipv4.h"
#include "wire/tcp_wire.h"

TEST(tcp_emit_partial_checksum_completes_to_the_full_one)
{
	uint8_t full[TCP_HDR_MIN + 100], part[TCP_HDR_MIN + 100];
	struct tcp_hdr h = {.sport = 1234, .dport = 80, .seq = 1, .ack = 2,
			    .doff_bytes = TCP_HDR_MIN, .flags = TH_ACK, .win = 512};
	for (int i = 0; i < 100; i++)
		full[TCP_HDR_MIN + i] = part[TCP_HDR_MIN + i] = (uint8_t)(i * 7);
	tcp_emit(full, &h, NULL, 0, 100, 0x0a000001, 0x0a000002);
	tcp_emit_ex(part, &h, NULL, 0, 100, 0x0a000001, 0x0a000002, true);
	/* What a device does with CHECKSUM_PARTIAL: sum from the TCP header
	 * on, the field's pseudo-header sum included, and store the result. */
	uint16_t done = csum_fold(csum_partial(part, sizeof(part), 0));
	ASSERT_EQ(done, (uint16_t)(full[16] << 8 | full[17]));
	struct tcp_hdr got;
	ASSERT_EQ(tcp_parse(full, sizeof(full), 0x0a000001, 0x0a000002, &got), TCP_OK);
	/* The partial one fails verification, and passes when it is skipped. */
	ASSERT_EQ(tcp_parse(part, sizeof(part), 0x0a000001, 0x0a000002, &got), TCP_ERR_CHECKSUM);
	ASSERT_EQ(tcp_parse_ex(part, sizeof(part), 0x0a000001, 0x0a000002, &got, false), TCP_OK);
	ASSERT_EQ(got.seq, 1);
}
