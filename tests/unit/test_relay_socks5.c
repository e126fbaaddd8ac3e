/* Unit tests for the relay's SOCKS5 client (runtime/relay/socks5.c): the
 * greeting, RFC 1929 request and CONNECT request byte for byte (RFC 1928 3,
 * 4; RFC 1929 2); replies taken in pieces as a stream delivers them, read
 * exactly (never past the reply, whatever its address type); each failure
 * named; credentials parsed. */
#include "harness.h"

#include "runtime/relay/socks5.h"

/* Feeds bytes one read at a time, each no longer than want() and than
 * step: as a socket that returns short reads would. */
static enum socks5_result feed(struct socks5 *s, const struct socks5_creds *c, const uint8_t *b,
			       size_t n, size_t step)
{
	enum socks5_result res = SOCKS5_AGAIN;
	size_t off = 0;
	while (off < n) {
		size_t want = socks5_want(s);
		ASSERT_GT(want, 0);
		size_t k = n - off < want ? n - off : want;
		if (k > step)
			k = step;
		memcpy(s->in + s->in_len, b + off, k);
		off += k;
		res = socks5_input(s, c, k);
		if (res != SOCKS5_AGAIN)
			break;
	}
	ASSERT_EQ(off, n); /* every byte was asked for: nothing over-read, nothing left */
	return res;
}

TEST(relay_socks5_no_auth_connect_bytes)
{
	struct socks5 s;
	socks5_start(&s, NULL, 0x7f000001, 9001);
	static const uint8_t greet[] = { 5, 1, 0 };
	ASSERT_EQ(s.out_len, sizeof(greet));
	ASSERT_MEMEQ(s.out, greet, sizeof(greet));
	ASSERT_EQ(socks5_want(&s), 2);
	static const uint8_t method[] = { 5, 0 };
	ASSERT_EQ(feed(&s, NULL, method, 2, 1), SOCKS5_AGAIN);
	static const uint8_t req[] = { 5, 1, 0, 1, 127, 0, 0, 1, 0x23, 0x29 };
	ASSERT_EQ(s.out_len, sizeof(req));
	ASSERT_MEMEQ(s.out, req, sizeof(req));
	ASSERT_EQ(s.step, SOCKS5_CONNECT);
	static const uint8_t reply[] = { 5, 0, 0, 1, 10, 1, 2, 3, 0x9c, 0x40 };
	for (size_t step = 1; step <= sizeof(reply); step++) {
		struct socks5 t = s;
		ASSERT_EQ(feed(&t, NULL, reply, sizeof(reply), step), SOCKS5_SUCCEEDED);
		ASSERT_EQ(t.bnd_addr, 0x0a010203);
		ASSERT_EQ(t.bnd_port, 40000);
		ASSERT_EQ(t.step, SOCKS5_DONE);
		ASSERT_EQ(socks5_want(&t), 0);
	}
}

TEST(relay_socks5_userpass_bytes)
{
	struct socks5_creds c;
	ASSERT_EQ(socks5_creds_parse(&c, "alice:pa:ss", 11), 0);
	ASSERT_EQ(c.ulen, 5);
	ASSERT_EQ(c.plen, 5);
	struct socks5 s;
	socks5_start(&s, &c, 0x0a000202, 80);
	static const uint8_t greet[] = { 5, 2, 0, 2 };
	ASSERT_EQ(s.out_len, sizeof(greet));
	ASSERT_MEMEQ(s.out, greet, sizeof(greet));
	static const uint8_t method[] = { 5, 2 };
	ASSERT_EQ(feed(&s, &c, method, 2, 2), SOCKS5_AGAIN);
	static const uint8_t auth[] = { 1, 5, 'a', 'l', 'i', 'c', 'e', 5, 'p', 'a', ':', 's', 's' };
	ASSERT_EQ(s.step, SOCKS5_AUTH);
	ASSERT_EQ(s.out_len, sizeof(auth));
	ASSERT_MEMEQ(s.out, auth, sizeof(auth));
	static const uint8_t ok[] = { 1, 0 };
	ASSERT_EQ(feed(&s, &c, ok, 2, 1), SOCKS5_AGAIN);
	ASSERT_EQ(s.step, SOCKS5_CONNECT);
	ASSERT_EQ(s.out_len, 10);

	/* The proxy that needs no credentials picks 0x00: no RFC 1929 step. */
	socks5_start(&s, &c, 0x0a000202, 80);
	static const uint8_t none[] = { 5, 0 };
	ASSERT_EQ(feed(&s, &c, none, 2, 2), SOCKS5_AGAIN);
	ASSERT_EQ(s.step, SOCKS5_CONNECT);
}

TEST(relay_socks5_reply_lengths_by_address_type)
{
	/* IPv6 and domain-name BND.ADDR: exactly the reply is read. */
	static const uint8_t v6[22] = { 5, 0, 0, 4, [20] = 0x1f, [21] = 0x90 };
	uint8_t dom[4 + 1 + 11 + 2] = { 5, 0, 0, 3, 11 };
	memcpy(dom + 5, "proxy.local", 11);
	const uint8_t *replies[] = { v6, dom };
	size_t lens[] = { sizeof(v6), sizeof(dom) };
	for (int k = 0; k < 2; k++) {
		for (size_t step = 1; step <= lens[k]; step++) {
			struct socks5 s;
			socks5_start(&s, NULL, 1, 1);
			static const uint8_t method[] = { 5, 0 };
			feed(&s, NULL, method, 2, 2);
			ASSERT_EQ(feed(&s, NULL, replies[k], lens[k], step), SOCKS5_SUCCEEDED);
			ASSERT_EQ(s.bnd_addr, 0);
		}
	}
}

TEST(relay_socks5_failures_named)
{
	struct socks5 s;
	struct socks5_creds c;
	ASSERT_EQ(socks5_creds_parse(&c, "u:p", 3), 0);
	static const uint8_t method[] = { 5, 0 };
	/* REP not 0: known after the first 4 bytes, the rest not needed. */
	static const uint8_t reps[] = { SOCKS5_REP_GENERAL, SOCKS5_REP_NET_UNREACH,
		SOCKS5_REP_HOST_UNREACH, SOCKS5_REP_REFUSED, SOCKS5_REP_TTL_EXPIRED, 0x42 };
	for (size_t i = 0; i < sizeof(reps); i++) {
		socks5_start(&s, NULL, 1, 1);
		feed(&s, NULL, method, 2, 2);
		uint8_t reply[4] = { 5, reps[i], 0, 1 };
		ASSERT_EQ(feed(&s, NULL, reply, 4, 4), SOCKS5_REPLY_FAILED);
		ASSERT_EQ(s.rep, reps[i]);
	}
	ASSERT_STREQ(socks5_rep_name(SOCKS5_REP_REFUSED), "connection refused");
	ASSERT_STREQ(socks5_rep_name(0x42), "unassigned");
	/* No acceptable method; RFC 1929 status not 0. */
	socks5_start(&s, &c, 1, 1);
	static const uint8_t nomethod[] = { 5, 0xff };
	ASSERT_EQ(feed(&s, &c, nomethod, 2, 2), SOCKS5_NO_METHOD);
	socks5_start(&s, &c, 1, 1);
	static const uint8_t userpass[] = { 5, 2 }, denied[] = { 1, 1 };
	feed(&s, &c, userpass, 2, 2);
	ASSERT_EQ(feed(&s, &c, denied, 2, 2), SOCKS5_AUTH_FAILED);
	/* Protocol errors: not version 5; user/password chosen when not
	 * offered; a method never offered; an unknown address type. */
	socks5_start(&s, NULL, 1, 1);
	static const uint8_t v4[] = { 4, 0 };
	ASSERT_EQ(feed(&s, NULL, v4, 2, 2), SOCKS5_BAD_REPLY);
	socks5_start(&s, NULL, 1, 1);
	ASSERT_EQ(feed(&s, NULL, userpass, 2, 2), SOCKS5_BAD_REPLY);
	socks5_start(&s, NULL, 1, 1);
	static const uint8_t gssapi[] = { 5, 1 };
	ASSERT_EQ(feed(&s, NULL, gssapi, 2, 2), SOCKS5_BAD_REPLY);
	socks5_start(&s, NULL, 1, 1);
	feed(&s, NULL, method, 2, 2);
	static const uint8_t atyp[] = { 5, 0, 0, 9 };
	ASSERT_EQ(feed(&s, NULL, atyp, 4, 4), SOCKS5_BAD_REPLY);
	/* More than asked for is refused, not read. */
	socks5_start(&s, NULL, 1, 1);
	ASSERT_EQ(socks5_input(&s, NULL, 3), SOCKS5_BAD_REPLY);
}

TEST(relay_socks5_creds_parse_limits)
{
	struct socks5_creds c;
	char big[600];
	memset(big, 'x', sizeof(big));
	ASSERT_EQ(socks5_creds_parse(&c, "nocolon", 7), -1);
	ASSERT_EQ(socks5_creds_parse(&c, ":p", 2), -1);
	ASSERT_EQ(socks5_creds_parse(&c, "u:", 2), -1);
	big[255] = ':';
	ASSERT_EQ(socks5_creds_parse(&c, big, 255 + 1 + 255), 0);
	ASSERT_EQ(c.ulen, 255);
	ASSERT_EQ(c.plen, 255);
	ASSERT_EQ(socks5_creds_parse(&c, big, 255 + 1 + 256), -1);
	big[255] = 'x';
	big[256] = ':';
	ASSERT_EQ(socks5_creds_parse(&c, big, 256 + 1 + 5), -1);
	/* The longest request fits the out buffer. */
	big[256] = 'x';
	big[255] = ':';
	socks5_creds_parse(&c, big, 511);
	struct socks5 s;
	socks5_start(&s, &c, 1, 1);
	static const uint8_t userpass[] = { 5, 2 };
	feed(&s, &c, userpass, 2, 2);
	ASSERT_EQ(s.out_len, 3 + 255 + 255);
}
