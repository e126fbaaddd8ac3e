/* The client side of a SOCKS5 CONNECT (RFC 1928) with no authentication or
 * username/password (RFC 1929), as a pure state machine: it says what to
 * send and how many bytes to read next, and never reads more than the
 * current reply, so bytes the far server sends right after the CONNECT
 * reply stay in the socket for the relay. No I/O, unit-tested. */
#ifndef GT_RUNTIME_RELAY_SOCKS5_H
#define GT_RUNTIME_RELAY_SOCKS5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOCKS5_CRED_MAX 255u /* RFC 1929: ULEN and PLEN are one octet, 1 to 255 */

/* RFC 1928 6: the REP field of a reply. */
#define SOCKS5_REP_OK 0x00
#define SOCKS5_REP_GENERAL 0x01
#define SOCKS5_REP_NOT_ALLOWED 0x02
#define SOCKS5_REP_NET_UNREACH 0x03
#define SOCKS5_REP_HOST_UNREACH 0x04
#define SOCKS5_REP_REFUSED 0x05
#define SOCKS5_REP_TTL_EXPIRED 0x06
#define SOCKS5_REP_CMD_UNSUPPORTED 0x07
#define SOCKS5_REP_ATYP_UNSUPPORTED 0x08

/* Username and password; ulen 0: only "no authentication" is offered. */
struct socks5_creds {
	uint8_t ulen, plen;
	char user[SOCKS5_CRED_MAX], pass[SOCKS5_CRED_MAX];
};

enum socks5_step {
	SOCKS5_METHOD = 0,  /* greeting sent, the method selection awaited */
	SOCKS5_AUTH,        /* RFC 1929 request sent, its status awaited */
	SOCKS5_CONNECT,     /* CONNECT sent, the reply awaited */
	SOCKS5_DONE,
};

enum socks5_result {
	SOCKS5_AGAIN = 0,   /* send what is in out (if anything), then read want() bytes */
	SOCKS5_SUCCEEDED,   /* the proxy connected: the stream is the far server's now */
	SOCKS5_REPLY_FAILED,/* the CONNECT reply's REP is not 0 (in rep) */
	SOCKS5_NO_METHOD,   /* the proxy accepts none of the methods offered (0xFF) */
	SOCKS5_AUTH_FAILED, /* RFC 1929 status not 0 */
	SOCKS5_BAD_REPLY,   /* not SOCKS5, a method not offered, a bad address type */
};

/* The largest message: the RFC 1929 request, 3 + 255 + 255 bytes. */
#define SOCKS5_OUT_MAX 513u
/* The largest reply: VER REP RSV ATYP, a 255-byte domain name with its
 * length octet, the port. */
#define SOCKS5_IN_MAX 262u

/* One negotiation, about 800 bytes, allocated only while it lasts. */
struct socks5 {
	uint8_t step;           /* enum socks5_step */
	uint8_t rep;            /* the CONNECT reply's REP */
	uint16_t out_off, out_len;
	uint16_t in_len, in_need;
	uint32_t dst_addr;      /* what CONNECT asks for (IPv4, host order) */
	uint16_t dst_port;
	bool dst_v6;            /* ... or for dst6 (ATYP 4) */
	uint8_t dst6[16];
	uint32_t bnd_addr;      /* the reply's BND.ADDR when IPv4 */
	uint16_t bnd_port;
	uint8_t out[SOCKS5_OUT_MAX];
	uint8_t in[SOCKS5_IN_MAX];
};

/* Begins: the greeting in out, one method reply (2 bytes) to read. */
void socks5_start(struct socks5 *s, const struct socks5_creds *c, uint32_t dst_addr,
		  uint16_t dst_port);
/* The same for an IPv6 destination: the CONNECT carries ATYP 4 and the 16
 * bytes of dst6 (RFC 1928 5). */
void socks5_start6(struct socks5 *s, const struct socks5_creds *c, const uint8_t dst6[16],
		   uint16_t dst_port);
/* Bytes to read next (never past the current reply); 0 when none. */
static inline size_t socks5_want(const struct socks5 *s)
{
	return s->step == SOCKS5_DONE ? 0 : (size_t)(s->in_need - s->in_len);
}
/* Takes n bytes read into s->in + s->in_len (n <= socks5_want()) and moves
 * on; SOCKS5_AGAIN asks for what out holds to be sent and want() bytes
 * to be read. */
enum socks5_result socks5_input(struct socks5 *s, const struct socks5_creds *c, size_t n);

const char *socks5_rep_name(uint8_t rep);
const char *socks5_step_name(uint8_t step);

/* USER:PASS (the password may contain ':'), each 1 to 255 bytes. 0 or -1. */
int socks5_creds_parse(struct socks5_creds *c, const char *s, size_t len);

#endif
