/* SOCKS5 CONNECT, client side: RFC 1928 3 (method negotiation), 4 (the
 * request), 6 (the reply), and RFC 1929 2 (username/password). Replies are
 * read exactly: the method selection and the RFC 1929 status are 2 bytes,
 * the CONNECT reply's length follows from its address type. */
#include "runtime/relay/socks5.h"

#include <string.h>

#include "util/be.h"

#define VER 0x05
#define METHOD_NONE 0x00
#define METHOD_USERPASS 0x02
#define METHOD_NO_ACCEPTABLE 0xff
#define CMD_CONNECT 0x01
#define ATYP_IPV4 0x01
#define ATYP_DOMAIN 0x03
#define ATYP_IPV6 0x04
#define AUTH_VER 0x01 /* RFC 1929 2: the subnegotiation's own version */

static void expect(struct socks5 *s, uint8_t step, uint16_t need)
{
	s->step = step;
	s->in_len = 0;
	s->in_need = need;
}

void socks5_start(struct socks5 *s, const struct socks5_creds *c, uint32_t dst_addr,
		  uint16_t dst_port)
{
	memset(s, 0, sizeof(*s));
	s->dst_addr = dst_addr;
	s->dst_port = dst_port;
	/* RFC 1928 3: VER NMETHODS METHODS. With credentials both are
	 * offered: the proxy that needs none picks 0x00. */
	uint8_t *o = s->out;
	*o++ = VER;
	if (c && c->ulen) {
		*o++ = 2;
		*o++ = METHOD_NONE;
		*o++ = METHOD_USERPASS;
	} else {
		*o++ = 1;
		*o++ = METHOD_NONE;
	}
	s->out_len = (uint16_t)(o - s->out);
	expect(s, SOCKS5_METHOD, 2);
}

void socks5_start6(struct socks5 *s, const struct socks5_creds *c, const uint8_t dst6[16],
		   uint16_t dst_port)
{
	socks5_start(s, c, 0, dst_port);
	s->dst_v6 = true;
	memcpy(s->dst6, dst6, 16);
}

static void put_connect(struct socks5 *s)
{
	/* RFC 1928 4: VER CMD RSV ATYP DST.ADDR DST.PORT; 5: ATYP 1 is four
	 * octets of IPv4 address, ATYP 4 sixteen of IPv6. */
	uint8_t *o = s->out;
	*o++ = VER;
	*o++ = CMD_CONNECT;
	*o++ = 0;
	if (s->dst_v6) {
		*o++ = ATYP_IPV6;
		memcpy(o, s->dst6, 16);
		o += 16;
	} else {
		*o++ = ATYP_IPV4;
		put_be32(o, s->dst_addr);
		o += 4;
	}
	put_be16(o, s->dst_port);
	s->out_off = 0;
	s->out_len = (uint16_t)(o + 2 - s->out);
	expect(s, SOCKS5_CONNECT, 4);
}

static void put_auth(struct socks5 *s, const struct socks5_creds *c)
{
	/* RFC 1929 2: VER ULEN UNAME PLEN PASSWD. */
	uint8_t *o = s->out;
	*o++ = AUTH_VER;
	*o++ = c->ulen;
	memcpy(o, c->user, c->ulen);
	o += c->ulen;
	*o++ = c->plen;
	memcpy(o, c->pass, c->plen);
	o += c->plen;
	s->out_off = 0;
	s->out_len = (uint16_t)(o - s->out);
	expect(s, SOCKS5_AUTH, 2);
}

static enum socks5_result on_method(struct socks5 *s, const struct socks5_creds *c)
{
	if (s->in[0] != VER)
		return SOCKS5_BAD_REPLY;
	switch (s->in[1]) {
	case METHOD_NONE:
		put_connect(s);
		return SOCKS5_AGAIN;
	case METHOD_USERPASS:
		if (!c || !c->ulen)
			return SOCKS5_BAD_REPLY; /* not offered */
		put_auth(s, c);
		return SOCKS5_AGAIN;
	case METHOD_NO_ACCEPTABLE:
		return SOCKS5_NO_METHOD;
	default:
		return SOCKS5_BAD_REPLY;
	}
}

/* The CONNECT reply, read in up to three pieces: VER REP RSV ATYP, then
 * (for a domain name) its length octet, then the rest. */
static enum socks5_result on_reply(struct socks5 *s)
{
	if (s->in[0] != VER)
		return SOCKS5_BAD_REPLY;
	s->rep = s->in[1];
	if (s->rep != SOCKS5_REP_OK)
		return SOCKS5_REPLY_FAILED; /* the address that follows is not used */
	uint16_t need;
	switch (s->in[3]) {
	case ATYP_IPV4: need = 4 + 4 + 2; break;
	case ATYP_IPV6: need = 4 + 16 + 2; break;
	case ATYP_DOMAIN:
		if (s->in_len < 5) {
			s->in_need = 5;
			return SOCKS5_AGAIN;
		}
		need = (uint16_t)(4 + 1 + s->in[4] + 2);
		break;
	default:
		return SOCKS5_BAD_REPLY;
	}
	if (s->in_len < need) {
		s->in_need = need;
		return SOCKS5_AGAIN;
	}
	if (s->in[3] == ATYP_IPV4) {
		s->bnd_addr = get_be32(s->in + 4);
		s->bnd_port = get_be16(s->in + 8);
	}
	s->step = SOCKS5_DONE;
	s->out_len = s->out_off = 0;
	return SOCKS5_SUCCEEDED;
}

enum socks5_result socks5_input(struct socks5 *s, const struct socks5_creds *c, size_t n)
{
	if (s->step == SOCKS5_DONE || n > socks5_want(s))
		return SOCKS5_BAD_REPLY;
	s->in_len = (uint16_t)(s->in_len + n);
	if (s->in_len < s->in_need)
		return SOCKS5_AGAIN;
	switch (s->step) {
	case SOCKS5_METHOD:
		return on_method(s, c);
	case SOCKS5_AUTH:
		/* RFC 1929 2: VER STATUS; 0 is success, anything else closes. */
		if (s->in[0] != AUTH_VER)
			return SOCKS5_BAD_REPLY;
		if (s->in[1] != 0)
			return SOCKS5_AUTH_FAILED;
		put_connect(s);
		return SOCKS5_AGAIN;
	case SOCKS5_CONNECT:
		return on_reply(s);
	default:
		return SOCKS5_BAD_REPLY;
	}
}

const char *socks5_rep_name(uint8_t rep)
{
	static const char *const names[] = { "succeeded", "general failure",
		"not allowed by ruleset", "network unreachable", "host unreachable",
		"connection refused", "TTL expired", "command not supported",
		"address type not supported" };
	return rep < sizeof(names) / sizeof(names[0]) ? names[rep] : "unassigned";
}

const char *socks5_step_name(uint8_t step)
{
	switch (step) {
	case SOCKS5_METHOD: return "greeting";
	case SOCKS5_AUTH: return "auth";
	case SOCKS5_CONNECT: return "CONNECT";
	case SOCKS5_DONE: return "done";
	}
	return "?";
}

int socks5_creds_parse(struct socks5_creds *c, const char *s, size_t len)
{
	memset(c, 0, sizeof(*c));
	const char *colon = memchr(s, ':', len);
	if (!colon)
		return -1;
	size_t ul = (size_t)(colon - s), pl = len - ul - 1;
	if (ul < 1 || ul > SOCKS5_CRED_MAX || pl < 1 || pl > SOCKS5_CRED_MAX)
		return -1;
	memcpy(c->user, s, ul);
	memcpy(c->pass, colon + 1, pl);
	c->ulen = (uint8_t)ul;
	c->plen = (uint8_t)pl;
	return 0;
}
