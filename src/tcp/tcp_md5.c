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
static bool digest_with(const uint8_t *key, size_t klen, ip_addr src, ip_addr dst,
			const uint8_t *seg, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
	if (len < TCP_HDR_MIN)
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
	md5_update(&m, key, klen);
	md5_final(&m, out);
	return true;
}

/* The key: Linux's when the caller has one (lk), else the FreeBSD table's
 * for the pair. */
static bool digest(gt_stack *s, const struct tcp_md5_lkey *lk, ip_addr src, ip_addr dst,
		   const uint8_t *seg, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
	if (lk)
		return digest_with(lk->key, lk->len, src, dst, seg, len, out);
	const struct tcp_md5_key *k = key_find(s, src, dst);
	return k && digest_with(k->key, k->len, src, dst, seg, len, out);
}

bool tcp_md5_sign(gt_stack *s, const struct tcp_md5_lkey *lk, ip_addr src, ip_addr dst,
		  uint8_t *seg, size_t len, size_t sig_off)
{
	uint8_t d[MD5_DIGEST_LEN];
	if (sig_off + MD5_DIGEST_LEN > len || !digest(s, lk, src, dst, seg, len, d)) {
		/* FreeBSD's tcp_ipsec_output(): no SA, tcps_sig_err_buildsig,
		 * and the segment is not sent. */
		s->st.TcpMd5NoKey++;
		return false;
	}
	memcpy(seg + sig_off, d, MD5_DIGEST_LEN);
	return true;
}

bool tcp_md5_sign_built(gt_stack *s, const struct tcp_md5_lkey *lk, ip_addr src, ip_addr dst,
			uint8_t *seg, size_t len, uint32_t psum, bool partial)
{
	size_t doff = (size_t)(seg[12] >> 4) * 4;
	int off = tcp_opts_sig_off(seg + TCP_HDR_MIN, doff - TCP_HDR_MIN);
	if (off < 0)
		return true;
	if (!tcp_md5_sign(s, lk, src, dst, seg, len, TCP_HDR_MIN + (size_t)off))
		return false;
	/* The checksum covers the digest: computed again with it in place. */
	tcp_csum_set(seg, len, psum, partial);
	return true;
}

bool tcp_md5_check(gt_stack *s, const struct tcp_md5_lkey *lk, ip_addr src, ip_addr dst,
		   const uint8_t *seg, size_t len, const struct tcp_hdr *h)
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
	if (!digest(s, lk, src, dst, seg, len, d)) {
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

/* ---- Linux's keys: per socket and peer (TCP_MD5SIG_LINUX) ---- */

/* Do a and b agree in their first plen bits (of the IPv4 address's 32,
 * or the IPv6 address's 128)? Linux's tcp_md5_do_lookup() matches by
 * prefix. */
static bool prefix_match(ip_addr a, ip_addr b, unsigned plen)
{
	if (ip_addr_is_v4(a) != ip_addr_is_v4(b))
		return false;
	unsigned off = ip_addr_is_v4(a) ? 12 : 0;
	for (unsigned i = 0; plen; i++) {
		unsigned bits = plen < 8 ? plen : 8;
		uint8_t mask = (uint8_t)(0xff00u >> bits);
		if ((a.b[off + i] ^ b.b[off + i]) & mask)
			return false;
		plen -= bits;
	}
	return true;
}

const struct tcp_md5_lkey *tcp_md5_lx_sock_key(gt_stack *s, int sd, ip_addr peer)
{
	const struct tcp_md5_lkey *best = NULL;
	if (!s->md5_lx_n || sd < 0)
		return NULL;
	/* tcp_md5_do_lookup(): of the keys that match, the longest prefix. */
	for (int i = 0; i < GT_TCP_MD5_LX_KEYS; i++) {
		const struct tcp_md5_lkey *k = &s->md5_lx[i];
		if (k->len && k->sd == sd && prefix_match(k->addr, peer, k->prefixlen) &&
		    (!best || k->prefixlen > best->prefixlen))
			best = k;
	}
	return best;
}

static struct tcp_md5_lkey *tuple_key(gt_stack *s, ip_addr laddr, uint16_t lport, ip_addr faddr,
				      uint16_t fport)
{
	if (!s->md5_lx_n)
		return NULL;
	for (int i = 0; i < GT_TCP_MD5_LX_KEYS; i++) {
		struct tcp_md5_lkey *k = &s->md5_lx[i];
		if (k->len && k->sd < 0 && k->lport == lport && k->fport == fport &&
		    ip_addr_eq(k->addr, faddr) && ip_addr_eq(k->laddr, laddr))
			return k;
	}
	return NULL;
}

const struct tcp_md5_lkey *tcp_md5_lx_tuple_key(gt_stack *s, ip_addr laddr, uint16_t lport,
						ip_addr faddr, uint16_t fport)
{
	return tuple_key(s, laddr, lport, faddr, fport);
}

const struct tcp_md5_lkey *tcp_md5_lx_conn_key(gt_stack *s, const struct tcp_conn *c)
{
	if (!s->md5_lx_n || s->cfg.md5sig_bsd || !c->md5sig)
		return NULL;
	if (c->owner >= 0)
		return tcp_md5_lx_sock_key(s, c->owner, c->faddr);
	return tuple_key(s, c->laddr, c->lport, c->faddr, c->fport);
}

static void lkey_free(gt_stack *s, struct tcp_md5_lkey *k)
{
	memset(k, 0, sizeof(*k));
	s->md5_lx_n--;
}

/* A free slot; when there is none, the keys of connections that are gone
 * (no TCB, no TIME_WAIT entry for their 4-tuple) are given back first. */
static struct tcp_md5_lkey *lkey_alloc(gt_stack *s)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < GT_TCP_MD5_LX_KEYS; i++)
			if (!s->md5_lx[i].len)
				return &s->md5_lx[i];
		if (pass)
			break;
		for (int i = 0; i < GT_TCP_MD5_LX_KEYS; i++) {
			struct tcp_md5_lkey *k = &s->md5_lx[i];
			if (k->len && k->sd < 0 &&
			    !tcp_lookup(s, k->laddr, k->lport, k->addr, k->fport) &&
			    !tw_exists(s, k->laddr, k->lport, k->addr, k->fport))
				lkey_free(s, k);
		}
	}
	s->st.TcpMd5KeysFull++;
	return NULL;
}

void tcp_md5_lx_set_tuple(gt_stack *s, const struct tcp_md5_lkey *from, ip_addr laddr,
			  uint16_t lport, ip_addr faddr, uint16_t fport)
{
	struct tcp_md5_lkey *old = tuple_key(s, laddr, lport, faddr, fport);
	if (old && old == from)
		return;
	if (old)
		lkey_free(s, old);
	if (!from)
		return;
	struct tcp_md5_lkey copy = *from;
	struct tcp_md5_lkey *k = lkey_alloc(s);
	if (!k)
		return; /* Linux: the copy's allocation failed, unsigned from now */
	*k = copy;
	k->sd = -1;
	k->laddr = laddr;
	k->lport = lport;
	k->addr = faddr;
	k->fport = fport;
	k->prefixlen = ip_addr_is_v4(faddr) ? 32 : 128;
	s->md5_lx_n++;
}

void tcp_md5_lx_tuple_to_sock(gt_stack *s, const struct tcp_conn *c, int sd)
{
	struct tcp_md5_lkey *k = tuple_key(s, c->laddr, c->lport, c->faddr, c->fport);
	if (k)
		k->sd = sd;
}

void tcp_md5_lx_sock_gone(gt_stack *s, int sd)
{
	for (int i = 0; s->md5_lx_n && i < GT_TCP_MD5_LX_KEYS; i++)
		if (s->md5_lx[i].len && s->md5_lx[i].sd == sd)
			lkey_free(s, &s->md5_lx[i]);
}

/* Linux's tcp_v4_parse_md5_keys() / tcp_v6_parse_md5_keys(). */
int tcp_md5_lx_setsockopt(gt_stack *s, int sd, int family, bool ext, const void *val, size_t len)
{
	struct gt_tcp_md5sig cmd;
	if (!val || len < sizeof(cmd))
		return -EINVAL;
	memcpy(&cmd, val, sizeof(cmd));
	if (cmd.tcpm_addr.family != family)
		return -EINVAL;
	ip_addr a;
	if (!sockaddr_ip(&cmd.tcpm_addr, &a))
		return -EINVAL;
	/* tcp_v6_parse_md5_keys(): an IPv4-mapped address on an AF_INET6
	 * socket adds an AF_INET key (s6_addr32[3], prefix at most 32,
	 * 32 without TCP_MD5SIG_FLAG_PREFIX), which signs the socket's IPv4
	 * connections (tcp_sock_ipv6_mapped_specific: tcp_v4_md5_lookup()).
	 * Before, such a key kept 128 bits and never matched an IPv4 peer
	 * (tests/pkt/linux/md5-*.pkt under --ip-version ipv4-mapped-ipv6). */
	bool v4 = family == GT_AF_INET || ip_addr_is_v4(a);
	unsigned plen = v4 ? 32 : 128;
	if (ext && (cmd.tcpm_flags & GT_TCP_MD5SIG_FLAG_PREFIX)) {
		plen = cmd.tcpm_prefixlen;
		if (plen > (v4 ? 32u : 128u))
			return -EINVAL;
	}
	/* TCP_MD5SIG_FLAG_IFINDEX names an L3 master device (a VRF); the
	 * stack has none: dev_get_by_index_rcu() finds no such one. */
	if (ext && cmd.tcpm_ifindex && (cmd.tcpm_flags & GT_TCP_MD5SIG_FLAG_IFINDEX))
		return -EINVAL;
	/* tcp_md5_do_lookup_exact(): the same address and prefix (and
	 * L3 index, always 0 here). */
	struct tcp_md5_lkey *k = NULL;
	for (int i = 0; s->md5_lx_n && i < GT_TCP_MD5_LX_KEYS; i++) {
		struct tcp_md5_lkey *e = &s->md5_lx[i];
		if (e->len && e->sd == sd && e->prefixlen == plen && ip_addr_eq(e->addr, a)) {
			k = e;
			break;
		}
	}
	if (!cmd.tcpm_keylen) {
		if (!k)
			return -ENOENT; /* tcp_md5_do_del() */
		lkey_free(s, k);
		return 0;
	}
	if (cmd.tcpm_keylen > GT_TCP_MD5_KEY_MAX)
		return -EINVAL;
	if (!k) {
		k = lkey_alloc(s);
		if (!k)
			return -ENOMEM; /* sock_kmalloc() */
		s->md5_lx_n++;
	}
	k->addr = a;
	k->sd = sd;
	k->prefixlen = (uint8_t)plen;
	k->len = (uint8_t)cmd.tcpm_keylen;
	memcpy(k->key, cmd.tcpm_key, cmd.tcpm_keylen);
	return 0;
}

/* Linux's tcp_inbound_hash() (tcp_inbound_md5_hash()): with the key k
 * for the peer (NULL: none), a segment without the option is dropped
 * (TCPMD5NotFound), one with it but no key too (TCPMD5Unexpected), one
 * with a wrong digest too (TCPMD5Failure). True: it goes on. */
bool tcp_md5_lx_inbound(gt_stack *s, const struct tcp_md5_lkey *k, ip_addr src, ip_addr dst,
			const uint8_t *seg, size_t len, const struct tcp_hdr *h)
{
	if (!k && !h->opts.has_sig)
		return true;
	if (!k) {
		s->st.TcpMd5Unexpected++;
		return false;
	}
	return tcp_md5_check(s, k, src, dst, seg, len, h);
}
