/* TCP header and option parsing and emission (RFC 9293 3.1, RFC 7323,
 * RFC 2018). Checksums over the IPv4 pseudo-header. */
#ifndef GT_WIRE_TCP_WIRE_H
#define GT_WIRE_TCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_HDR_MIN 20
#define TCP_OPT_MAX 40

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

#define TCP_MAX_SACK 4
#define TCP_FO_COOKIE_MIN 4
#define TCP_FO_COOKIE_MAX 16
#define TCP_OPT_FASTOPEN 34
#define TCP_OPT_EXP 254
#define TCP_FO_EXP_MAGIC 0xF989

struct tcp_sack_block {
	uint32_t left, right;  /* [left, right) */
};

/* Options as parsed or to be emitted. */
struct tcp_opts {
	bool has_mss, has_wscale, sack_ok, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
	/* RFC 2385 signature (kind 19, length 18): parsed, sig_off is where
	 * its 16-byte digest starts, counted from the TCP header's first
	 * byte; to emit, has_sig lays all options out as FreeBSD's
	 * tcp_addoptions() does, the digest zero until tcp_md5_sign(). Before
	 * sack[]: tcp_parse() clears the fields up to it. */
	bool has_sig;
	/* Parsed: how many options were malformed (a length below 2 or
	 * running past the header, which ends the parse; a known option of
	 * the wrong size, which is ignored). */
	uint8_t bad_opts;
	/* Linux's layout of a reply (tcp_v4_send_ack(): timestamps, then the
	 * signature); without it Linux's full sockets put the signature first
	 * (tcp_options_write()). Read where the layout is Linux's. */
	bool sig_after_ts;
	uint8_t sig_off;
	/* RFC 7413 4.1.1: the Fast Open option (kind 34), or its
	 * experimental form (kind 254, magic 0xF989, RFC 6994) where fo_exp:
	 * has_fo with fo_len 0 asks for a cookie, 4 to 16 bytes (even) carry
	 * one in fo[]; another length is fo_bad (Linux's
	 * tcp_parse_fastopen_option(): foc->len = -1). To emit: after the
	 * SYN-ACK's other options, as tcp_options_write() puts it. */
	bool has_fo, fo_exp, fo_bad;
	uint8_t fo_len;
	uint8_t nsack;
	struct tcp_sack_block sack[TCP_MAX_SACK];
	uint8_t fo[TCP_FO_COOKIE_MAX];  /* not cleared by tcp_parse(): read below fo_len */
};

struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff_bytes;    /* header length including options */
	uint8_t flags;         /* TH_* */
	bool ae;               /* AE, the former NS bit: bit 8 of the flags, the
				  low bit of the data offset byte (RFC 9768 3.1) */
	uint16_t win;          /* raw, unscaled */
	uint16_t urg;
	struct tcp_opts opts;
};

enum tcp_parse_err {
	TCP_OK = 0,
	TCP_ERR_TRUNCATED,
	TCP_ERR_DOFF,          /* data offset < 5 or past the segment */
	TCP_ERR_CHECKSUM,
	/* No error for a malformed option: it is ignored, or ends the
	 * parse, and counted in opts.bad_opts (tcp_wire.c, parse_opts()). */
};

/* Parses a TCP segment of len bytes carried between src and dst (host order),
 * verifying the checksum. Unknown options are skipped. */
enum tcp_parse_err tcp_parse(const uint8_t *seg, size_t len, uint32_t src, uint32_t dst,
			     struct tcp_hdr *h);
/* The same, verifying the checksum only when verify_csum is true (a device
 * that already verified it, or a link that cannot corrupt). */
enum tcp_parse_err tcp_parse_ex(const uint8_t *seg, size_t len, uint32_t src, uint32_t dst,
				struct tcp_hdr *h, bool verify_csum);

/* Option layouts for SYN/SYN-ACK. */
enum tcp_synopt_layout {
	TCP_SYNOPT_LINUX = 0,   /* mss, sackOK+TS (or nop,nop,TS / nop,nop,sackOK), nop, wscale */
	TCP_SYNOPT_FREEBSD = 1, /* mss, nop, wscale, nop/sackOK, TS */
};

/* Writes the options of o, padded to 4 bytes, returns their length (<= 40).
 * For a SYN (syn = true) the layout decides the order of mss, wscale, sackOK
 * and TS. For other segments: nop,nop,TS then nop,nop,SACK blocks (as many as
 * fit in what is left). */
size_t tcp_opts_emit(uint8_t *out, const struct tcp_opts *o, bool syn,
		     enum tcp_synopt_layout layout);

#define TCP_OPT_SIG 19
#define TCP_OLEN_SIG 18
#define TCP_MD5_OPT_LEN 20 /* nop, nop and the option */
/* Where the digest of the signature option in opts (olen bytes, as
 * tcp_opts_emit() wrote them) starts within them, or -1 if there is none. */
int tcp_opts_sig_off(const uint8_t *opts, size_t olen);

/* Writes a TCP header (with options already laid in) and computes the
 * checksum over header, options and payload. seg points at a buffer that
 * holds header + options + payload contiguously; hdr->doff_bytes must count
 * the options; payload_len follows them. */
void tcp_emit(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts,
	      size_t opts_len, size_t payload_len, uint32_t src, uint32_t dst);
/* With partial_csum, the checksum field gets only the pseudo-header sum
 * (not complemented), for a device that completes it (checksum offload,
 * as Linux's CHECKSUM_PARTIAL). */
void tcp_emit_ex(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts,
		 size_t opts_len, size_t payload_len, uint32_t src, uint32_t dst, bool partial_csum);
/* The same for either IP version: psum is the pseudo-header's sum without
 * its length (csum_pseudo_ipv4(src, dst, 6, 0), or csum_pseudo_ipv6(src,
 * dst, 6, 0) for IPv6, RFC 8200 8.1), which the segment's length joins. */
void tcp_emit_psum(uint8_t *seg, const struct tcp_hdr *hdr, const uint8_t *opts,
		   size_t opts_len, size_t payload_len, uint32_t psum, bool partial_csum);
/* The checksum of a built segment of len bytes (psum as above), set again
 * after a change to its bytes (a signature's digest put in place). */
void tcp_csum_set(uint8_t *seg, size_t len, uint32_t psum, bool partial_csum);

/* "S.", "F.", "R", "P." ... as tcpdump prints flags; buf >= 9 bytes. */
const char *tcp_flags_str(uint8_t flags, char *buf);

#endif
