/* TCP MD5 signatures (RFC 2385): the key table (FreeBSD keeps the keys in
 * its IPsec SADB, one per direction, found by the segment's source and
 * destination address), the digest (RFC 2385 2.0, as FreeBSD's
 * netipsec/xform_tcp.c computes it), signing what goes out and checking
 * what comes in. */
#include <string.h>

#include "tcp/tcp.h"
#include "util/md5.h"
#include "wire/ipv4.h"

static bool sockaddr_ip(const struct gt_sockaddr *a, ip_addr *out)
{
	if (!a)
		return false;
	if (a->family == GT_AF_INET) {
		*out = ip_addr_v4(a->addr);
		return true;
	}
	if (a->family == GT_AF_INET6) {
		*out = a->addr6;
		return true;
	}
	return false;
}

static struct tcp_md5_key *key_find(gt_stack *s, ip_addr src, ip_addr dst)
{
	for (int i = 0; i < GT_TCP_MD5_KEYS; i++) {
		struct tcp_md5_key *k = &s->md5_keys[i];
		if (k->len && ip_addr_eq(k->src, src) && ip_addr_eq(k->dst, dst))
			return k;
	}
	return NULL;
}

int gt_tcp_md5_key_add(gt_stack *s, const struct gt_sockaddr *src, const struct gt_sockaddr *dst,
		       const void *key, size_t len)
{
	ip_addr a, b;
	if (!sockaddr_ip(src, &a) || !sockaddr_ip(dst, &b) || !key || len < 1 ||
	    len > GT_TCP_MD5_KEY_MAX || src->family != dst->family)
		return -EINVAL;
	struct tcp_md5_key *k = key_find(s, a, b);
	for (int i = 0; !k && i < GT_TCP_MD5_KEYS; i++)
		if (!s->md5_keys[i].len)
			k = &s->md5_keys[i];
	if (!k) {
		s->st.TcpMd5KeysFull++;
		return -ENOSPC;
	}
	k->src = a;
	k->dst = b;
	memcpy(k->key, key, len);
	k->len = (uint8_t)len;
	return 0;
}

int gt_tcp_md5_key_del(gt_stack *s, const struct gt_sockaddr *src, const struct gt_sockaddr *dst)
{
	ip_addr a, b;
	if (!sockaddr_ip(src, &a) || !sockaddr_ip(dst, &b))
		return -EINVAL;
	struct tcp_md5_key *k = key_find(s, a, b);
	if (!k)
		return -ENOENT;
	memset(k, 0, sizeof(*k));
	return 0;
}

void gt_tcp_md5_key_flush(gt_stack *s)
{
	memset(s->md5_keys, 0, sizeof(s->md5_keys));
}

/* RFC 2385 2.0: MD5 over the pseudo-header, the TCP header without options
 * and with a zero checksum, the data, and the key. The pseudo-header is
 * RFC 793's for IPv4 (source, destination, zero, protocol, TCP length in
 * 16 bits) and, as FreeBSD's ip6_pseudo_compute(), RFC 2460 8.1's for IPv6
 * (source, destination, TCP length in 32 bits, three zeros, next header). */
static bool digest(gt_stack *s, ip_addr src, ip_addr dst, const uint8_t *seg, size_t len,
		   uint8_t out[MD5_DIGEST_LEN])
{
	const struct tcp_md5_key *k = key_find(s, src, dst);
	if (!k || len < TCP_HDR_MIN)
		return false;
	size_t doff = (size_t)(seg[12] >> 4) * 4;
	if (doff < TCP_HDR_MIN || doff > len)
		return false;
	struct md5_ctx m;
	md5_init(&m);
	uint8_t ph[40];
	if (ip_addr_is_v4(src)) {
		memcpy(ph, src.b + 12, 4);
		memcpy(ph + 4, dst.b + 12, 4);
		ph[8] = 0;
		ph[9] = IPPROTO_TCP_;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		md5_update(&m, ph, 12);
	} else {
		memcpy(ph, src.b, 16);
		memcpy(ph + 16, dst.b, 16);
		ph[32] = (uint8_t)(len >> 24);
		ph[33] = (uint8_t)(len >> 16);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = IPPROTO_TCP_;
		md5_update(&m, ph, 40);
	}
	uint8_t th[TCP_HDR_MIN];
	memcpy(th, seg, TCP_HDR_MIN);
	th[16] = th[17] = 0;
	md5_update(&m, th, TCP_HDR_MIN);
	md5_update(&m, seg + doff, len - doff);
	md5_update(&m, k->key, k->len);
	md5_final(&m, out);
	return true;
}

bool tcp_md5_sign(gt_stack *s, ip_addr src, ip_addr dst, uint8_t *seg, size_t len, size_t sig_off)
{
	uint8_t d[MD5_DIGEST_LEN];
	if (sig_off + MD5_DIGEST_LEN > len || !digest(s, src, dst, seg, len, d)) {
		/* FreeBSD's tcp_ipsec_output(): no SA, tcps_sig_err_buildsig,
		 * and the segment is not sent. */
		s->st.TcpMd5NoKey++;
		return false;
	}
	memcpy(seg + sig_off, d, MD5_DIGEST_LEN);
	return true;
}

bool tcp_md5_sign_built(gt_stack *s, ip_addr src, ip_addr dst, uint8_t *seg, size_t len,
			uint32_t psum, bool partial)
{
	size_t doff = (size_t)(seg[12] >> 4) * 4;
	int off = tcp_opts_sig_off(seg + TCP_HDR_MIN, doff - TCP_HDR_MIN);
	if (off < 0)
		return true;
	if (!tcp_md5_sign(s, src, dst, seg, len, TCP_HDR_MIN + (size_t)off))
		return false;
	/* The checksum covers the digest: computed again with it in place. */
	tcp_csum_set(seg, len, psum, partial);
	return true;
}

bool tcp_md5_check(gt_stack *s, ip_addr src, ip_addr dst, const uint8_t *seg, size_t len,
		   const struct tcp_hdr *h)
{
	/* FreeBSD's tcp_input_with_port() for a TCB with TF_SIGNATURE (and
	 * syncache_add() for a listener's SYN): no option, tcps_sig_err_nosigopt
	 * and dropped; tcp_ipsec_input(): no SA (tcps_sig_err_buildsig) or a
	 * wrong digest (tcps_sig_rcvbadsig) dropped too. */
	if (!h->opts.has_sig) {
		s->st.TcpMd5Missing++;
		return false;
	}
	uint8_t d[MD5_DIGEST_LEN];
	if (!digest(s, src, dst, seg, len, d)) {
		s->st.TcpMd5NoKey++;
		return false;
	}
	if (memcmp(d, seg + h->opts.sig_off, MD5_DIGEST_LEN) != 0) {
		s->st.TcpMd5Bad++;
		return false;
	}
	s->st.TcpMd5Good++;
	return true;
}
