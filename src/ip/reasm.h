/* Fragment reassembly for both families (RFC 791 3.2, RFC 815, RFC 8200
 * 4.5, RFC 5722, RFC 6946): a few datagrams at once, each in a context of
 * its own with a deadline, the data they hold bounded in bytes, every drop
 * counted. The contexts live in the stack; a context's buffer is taken
 * when its first fragment comes and given back when it completes or dies. */
#ifndef GT_IP_REASM_H
#define GT_IP_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "ip/addr.h"

#define GT_REASM_MAX 8        /* contexts: cfg.reasm_max_datagrams at most this */
#define REASM_FRAGS 64        /* fragments one datagram may come in */
#define REASM_HDR_MAX 256     /* unfragmentable part (IPv6) or IPv4 header kept */
#define REASM_DATA_MAX 65535  /* data of one datagram, its header excluded */

struct reasm_ctx {
	uint8_t *buf;             /* REASM_HDR_MAX + REASM_DATA_MAX, NULL when free */
	ip_addr src, dst;
	uint32_t id;              /* IPv4: 16 bits; IPv6: 32 */
	uint8_t proto;            /* IPv4: part of the key (RFC 791 3.2) */
	uint8_t next;             /* IPv6: the first fragment's Next Header */
	bool v6, have_first, have_last;
	uint16_t hdr_len;         /* kept header, at buf + REASM_HDR_MAX - hdr_len */
	uint16_t nh_off;          /* IPv6: the Next Header field to rewrite, in it */
	uint32_t total;           /* data length, once the last fragment came */
	uint32_t held;            /* data bytes held */
	uint64_t deadline_us;
	uint16_t nfrag;
	struct {
		uint16_t lo, hi;      /* [lo, hi) of the data, sorted, disjoint */
	} frag[REASM_FRAGS];
};

#endif
