/* Unit tests for ICMPv4 parsing and emission (src/wire/icmp.c): a
 * hand-checksummed echo request, echo round trips with odd bodies, the
 * RFC 1191 next-hop MTU, and rejection of short or corrupted messages. */
#include "harness.h"

#include "wire/icmp.h"

TEST(icmp_parse_hand_checksummed_echo)
{
	/* Type 8, id 1, seq 0, no body: 0800 + 0001 = 0801, complement f7fe. */
	const uint8_t msg[8] = {8, 0, 0xf7, 0xfe, 0x00, 0x01, 0x00, 0x00};
	struct icmp_hdr h;
	ASSERT_EQ(icmp_parse(msg, sizeof msg, &h), 0);
	ASSERT_EQ(h.type, ICMP_ECHO_REQUEST);
	ASSERT_EQ(h.code, 0);
	ASSERT_EQ(h.id, 1);
	ASSERT_EQ(h.seq, 0);
	ASSERT_EQ(h.next_mtu, 0);
	ASSERT_EQ(h.body_len, 0);
	ASSERT(h.body == msg + 8);

	uint8_t out[8];
	ASSERT_EQ(icmp_emit(out, ICMP_ECHO_REQUEST, 0, 0x00010000, NULL, 0), 8);
	ASSERT_MEMEQ(out, msg, 8);
}

TEST(icmp_echo_round_trip_with_odd_body)
{
	uint8_t out[64];
	const uint8_t body[] = "abcdefghijklmnopq"; /* 17 bytes with the NUL */
	size_t n = icmp_emit(out, ICMP_ECHO_REPLY, 0, 0x1234abcd, body, 17);
	ASSERT_EQ(n, 25);
	ASSERT_EQ(out[4], 0x12);
	ASSERT_EQ(out[7], 0xcd);
	struct icmp_hdr h;
	ASSERT_EQ(icmp_parse(out, n, &h), 0);
	ASSERT_EQ(h.type, ICMP_ECHO_REPLY);
	ASSERT_EQ(h.id, 0x1234);
	ASSERT_EQ(h.seq, 0xabcd);
	ASSERT_EQ(h.body_len, 17);
	ASSERT_MEMEQ(h.body, body, 17);
}

TEST(icmp_emit_reply_in_place)
{
	/* A reply built over the request: the body is already at out + 8. */
	uint8_t buf[40];
	for (int i = 0; i < 32; i++)
		buf[8 + i] = (uint8_t)(i * 7);
	size_t n = icmp_emit(buf, ICMP_ECHO_REPLY, 0, 0x00070009, buf + 8, 32);
	ASSERT_EQ(n, 40);
	struct icmp_hdr h;
	ASSERT_EQ(icmp_parse(buf, n, &h), 0);
	ASSERT_EQ(h.id, 7);
	ASSERT_EQ(h.seq, 9);
	for (int i = 0; i < 32; i++)
		ASSERT_EQ(h.body[i], (uint8_t)(i * 7));
}

TEST(icmp_frag_needed_carries_next_mtu)
{
	/* RFC 1191 4: unused (16 bits), next-hop MTU (16 bits); the body is
	 * the offending IP header and 8 bytes of its data. */
	uint8_t quoted[28] = {0x45, 0, 0, 28};
	uint8_t out[64];
	size_t n = icmp_emit(out, ICMP_DEST_UNREACH, ICMP_UNREACH_FRAG_NEEDED, 1400, quoted,
			     sizeof quoted);
	struct icmp_hdr h;
	ASSERT_EQ(icmp_parse(out, n, &h), 0);
	ASSERT_EQ(h.type, ICMP_DEST_UNREACH);
	ASSERT_EQ(h.code, ICMP_UNREACH_FRAG_NEEDED);
	ASSERT_EQ(h.next_mtu, 1400);
	ASSERT_EQ(h.id, 0);
	ASSERT_EQ(h.body_len, 28);
	ASSERT_EQ(h.body[0], 0x45);

	/* Port unreachable has no MTU even if the word is non-zero. */
	n = icmp_emit(out, ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, 1400, quoted, sizeof quoted);
	ASSERT_EQ(icmp_parse(out, n, &h), 0);
	ASSERT_EQ(h.code, ICMP_UNREACH_PORT);
	ASSERT_EQ(h.next_mtu, 0);
}

TEST(icmp_rejects_short_and_corrupt_messages)
{
	uint8_t out[32];
	struct icmp_hdr h;
	size_t n = icmp_emit(out, ICMP_ECHO_REQUEST, 0, 0x00050006, (const uint8_t *)"ping", 4);
	ASSERT_EQ(icmp_parse(out, n, &h), 0);
	for (size_t len = 0; len < 8; len++)
		ASSERT_EQ(icmp_parse(out, len, &h), -1);
	/* Dropping the body's last byte breaks the checksum. */
	ASSERT_EQ(icmp_parse(out, n - 1, &h), -1);
	for (size_t i = 0; i < n; i++) {
		out[i] ^= 0x01;
		ASSERT_EQ(icmp_parse(out, n, &h), -1);
		out[i] ^= 0x01;
	}
}
