/* The packetdrill language, parsed: a preprocessor for #ifdef, comments,
 * statements joined across lines, then each statement into an event (a
 * packet, a system call, a backtick command or a %{ }% block). Every error
 * names its line; nothing in a script can crash the parser. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glasstcp/socket.h>

#include "pktrun/pk_internal.h"
#include "wire/tcp_wire.h"

/* ---- symbols ---- */

static const struct sym {
	const char *name;
	long long v;
} syms[] = {
	{"AF_INET", GT_AF_INET}, {"PF_INET", GT_AF_INET}, {"SOCK_STREAM", GT_SOCK_STREAM},
	/* connect()'s address: a disconnect (pk_af_unspec_arg()). */
	{"AF_UNSPEC", GT_AF_UNSPEC},
	/* MSG_ZEROCOPY and its notifications on the error queue, Linux's
	 * numbers (GT_SO_ZEROCOPY, GT_MSG_ZEROCOPY; errqueue.c). */
	{"SO_ZEROCOPY", GT_SO_ZEROCOPY}, {"MSG_ZEROCOPY", GT_MSG_ZEROCOPY},
	{"MSG_ERRQUEUE", PK_MSG_ERRQUEUE}, {"MSG_TRUNC", PK_MSG_TRUNC}, {"MSG_CTRUNC", 0x8},
	{"CMSG_LEVEL_IP", PK_CMSG_LEVEL_IP}, {"CMSG_TYPE_RECVERR", PK_CMSG_TYPE_RECVERR},
	{"SO_EE_ORIGIN_ZEROCOPY", GT_SO_EE_ORIGIN_ZEROCOPY},
	{"SO_EE_CODE_ZEROCOPY_COPIED", GT_SO_EE_CODE_ZEROCOPY_COPIED},
	/* SO_TIMESTAMPING (GT_SO_TIMESTAMPING, Linux's net_tstamp.h) and
	 * its error-queue entries; ENOMSG is their ee_errno. */
	{"SO_TIMESTAMPING", GT_SO_TIMESTAMPING}, {"SCM_TIMESTAMPING", PK_SCM_TIMESTAMPING},
	{"SOF_TIMESTAMPING_TX_HARDWARE", 1 << 0}, {"SOF_TIMESTAMPING_TX_SOFTWARE", 1 << 1},
	{"SOF_TIMESTAMPING_RX_HARDWARE", 1 << 2}, {"SOF_TIMESTAMPING_RX_SOFTWARE", 1 << 3},
	{"SOF_TIMESTAMPING_SOFTWARE", 1 << 4}, {"SOF_TIMESTAMPING_SYS_HARDWARE", 1 << 5},
	{"SOF_TIMESTAMPING_RAW_HARDWARE", 1 << 6}, {"SOF_TIMESTAMPING_OPT_ID", 1 << 7},
	{"SOF_TIMESTAMPING_TX_SCHED", 1 << 8}, {"SOF_TIMESTAMPING_TX_ACK", 1 << 9},
	{"SOF_TIMESTAMPING_OPT_CMSG", 1 << 10}, {"SOF_TIMESTAMPING_OPT_TSONLY", 1 << 11},
	{"SOF_TIMESTAMPING_OPT_STATS", 1 << 12}, {"SOF_TIMESTAMPING_OPT_PKTINFO", 1 << 13},
	{"SOF_TIMESTAMPING_OPT_TX_SWHW", 1 << 14}, {"SOF_TIMESTAMPING_OPT_ID_TCP", 1 << 16},
	{"SO_EE_ORIGIN_TIMESTAMPING", GT_SO_EE_ORIGIN_TIMESTAMPING},
	{"SCM_TSTAMP_SND", GT_SCM_TSTAMP_SND}, {"SCM_TSTAMP_SCHED", GT_SCM_TSTAMP_SCHED},
	{"SCM_TSTAMP_ACK", GT_SCM_TSTAMP_ACK}, {"ENOMSG", ENOMSG},
	{"IPPROTO_TCP", GT_IPPROTO_TCP}, {"SOL_TCP", GT_IPPROTO_TCP}, {"SOL_SOCKET", GT_SOL_SOCKET},
	{"IPPROTO_UDP", GT_IPPROTO_UDP},
	{"SO_REUSEADDR", GT_SO_REUSEADDR}, {"SO_ERROR", GT_SO_ERROR}, {"SO_SNDBUF", GT_SO_SNDBUF},
	{"SO_SNDLOWAT", GT_SO_SNDLOWAT}, {"SO_RCVLOWAT", GT_SO_RCVLOWAT},
	{"SO_RCVBUF", GT_SO_RCVBUF}, {"SO_KEEPALIVE", GT_SO_KEEPALIVE}, {"SO_LINGER", GT_SO_LINGER},
	{"SO_DEBUG", PK_SO_DEBUG},
	{"TCP_NODELAY", GT_TCP_NODELAY}, {"TCP_MAXSEG", GT_TCP_MAXSEG}, {"TCP_CORK", GT_TCP_CORK},
	/* FreeBSD's TCP_NOPUSH is the cork of the FreeBSD profile (TF_NOPUSH in
	 * tcp_output(), cfg.nagle_bsd): one flag, two names. */
	{"TCP_NOPUSH", GT_TCP_CORK},
	{"TCP_INFO", GT_TCP_INFO}, {"TCP_QUICKACK", GT_TCP_QUICKACK},
	{"TCP_KEEPIDLE", GT_TCP_KEEPIDLE}, {"TCP_KEEPINTVL", GT_TCP_KEEPINTVL},
	{"TCP_KEEPCNT", GT_TCP_KEEPCNT}, {"TCP_LINGER2", GT_TCP_LINGER2}, {"TCP_NOOPT", GT_TCP_NOOPT},
	{"TCP_CONGESTION", GT_TCP_CONGESTION}, {"TCP_KEEPINIT", GT_TCP_KEEPINIT},
	{"TCP_USER_TIMEOUT", GT_TCP_USER_TIMEOUT}, {"TCP_DEFER_ACCEPT", GT_TCP_DEFER_ACCEPT},
	{"TCP_SYNCNT", GT_TCP_SYNCNT},
	{"TCP_FASTOPEN", GT_TCP_FASTOPEN}, {"TCP_FASTOPEN_KEY", GT_TCP_FASTOPEN_KEY},
	{"TCP_FASTOPEN_NO_COOKIE", GT_TCP_FASTOPEN_NO_COOKIE},
	{"TCP_FASTOPEN_CONNECT", GT_TCP_FASTOPEN_CONNECT}, {"MSG_FASTOPEN", GT_MSG_FASTOPEN},
	{"TCP_REMOTE_UDP_ENCAPS_PORT", GT_TCP_REMOTE_UDP_ENCAPS_PORT},
	{"TCP_MD5SIG_EXT", GT_TCP_MD5SIG_EXT}, {"TCP_MD5SIG_FLAG_PREFIX", GT_TCP_MD5SIG_FLAG_PREFIX},
	{"TCP_MD5SIG_FLAG_IFINDEX", GT_TCP_MD5SIG_FLAG_IFINDEX},
	/* FreeBSD's RACK stack's (netinet/tcp.h); its default stack, and
	 * glasstcp, answer them ENOPROTOOPT (tcp_default_ctloutput()). */
	{"TCP_RACK_PACE_MAX_SEG", 1054}, {"TCP_RACK_PACE_ALWAYS", 1055},
	{"TCP_RACK_PACE_RATE_SS", 1119},
	{"IPPROTO_IP", GT_IPPROTO_IP}, {"SOL_IP", GT_IPPROTO_IP}, {"IP_TOS", GT_IP_TOS},
	{"IP_TTL", GT_IP_TTL}, {"IPPROTO_IPV6", GT_IPPROTO_IPV6}, {"SOL_IPV6", GT_IPPROTO_IPV6},
	{"IPV6_V6ONLY", GT_IPV6_V6ONLY}, {"IPV6_TCLASS", GT_IPV6_TCLASS},
	{"IPV6_UNICAST_HOPS", GT_IPV6_UNICAST_HOPS}, {"IPV6_RECVTCLASS", GT_IPV6_RECVTCLASS},
	/* IP_TOS values, netinet/ip.h: the DSCP class selectors (RFC 2474
	 * 4.2.2.2) and assured (RFC 2597) and expedited (RFC 3246)
	 * forwarding in the upper six bits, and RFC 1349's TOS bits. */
	{"IPTOS_DSCP_CS0", 0x00}, {"IPTOS_DSCP_CS1", 0x20}, {"IPTOS_DSCP_CS2", 0x40},
	{"IPTOS_DSCP_CS3", 0x60}, {"IPTOS_DSCP_CS4", 0x80}, {"IPTOS_DSCP_CS5", 0xa0},
	{"IPTOS_DSCP_CS6", 0xc0}, {"IPTOS_DSCP_CS7", 0xe0},
	{"IPTOS_DSCP_AF11", 0x28}, {"IPTOS_DSCP_AF12", 0x30}, {"IPTOS_DSCP_AF13", 0x38},
	{"IPTOS_DSCP_AF21", 0x48}, {"IPTOS_DSCP_AF22", 0x50}, {"IPTOS_DSCP_AF23", 0x58},
	{"IPTOS_DSCP_AF31", 0x68}, {"IPTOS_DSCP_AF32", 0x70}, {"IPTOS_DSCP_AF33", 0x78},
	{"IPTOS_DSCP_AF41", 0x88}, {"IPTOS_DSCP_AF42", 0x90}, {"IPTOS_DSCP_AF43", 0x98},
	{"IPTOS_DSCP_EF", 0xb8},
	{"IPTOS_LOWDELAY", 0x10}, {"IPTOS_THROUGHPUT", 0x08}, {"IPTOS_RELIABILITY", 0x04},
	{"IPTOS_MINCOST", 0x02},
	{"O_RDONLY", 0}, {"O_WRONLY", 1}, {"O_RDWR", 2}, {"O_NONBLOCK", 0x800},
	/* socket()'s type flag, Linux's number (O_NONBLOCK's): the glasstcp
	 * back-end takes it as fcntl()'s O_NONBLOCK (run.c), the kernel
	 * back-end passes it on. */
	{"SOCK_NONBLOCK", PK_SOCK_NONBLOCK},
	{"F_GETFL", 3}, {"F_SETFL", 4},
	{"SHUT_RD", GT_SHUT_RD}, {"SHUT_WR", GT_SHUT_WR}, {"SHUT_RDWR", GT_SHUT_RDWR},
	{"MSG_PEEK", GT_MSG_PEEK}, {"MSG_MORE", GT_MSG_MORE}, {"MSG_DONTWAIT", 0x40},
	{"MSG_EOR", GT_MSG_EOR}, {"MSG_NOSIGNAL", PK_MSG_NOSIGNAL},
	/* Linux's TCP_INQ (include/uapi/linux/tcp.h, 36) and its cmsg type
	 * TCP_CM_INQ (= TCP_INQ): both back-ends run them (glasstcp's
	 * GT_TCP_INQ and gt_recvmsg(), run.c check_cmsg()). */
	{"TCP_INQ", PK_TCP_INQ}, {"TCP_CM_INQ", PK_TCP_INQ},
	{"POLLIN", GT_POLLIN}, {"POLLOUT", GT_POLLOUT}, {"POLLERR", GT_POLLERR},
	{"POLLHUP", GT_POLLHUP}, {"POLLRDHUP", GT_POLLRDHUP}, {"POLLNVAL", 0x20},
	{"TCP_NOTSENT_LOWAT", GT_TCP_NOTSENT_LOWAT},
	/* epoll(7), Linux's values (include/uapi/linux/eventpoll.h); both
	 * back-ends run epoll_create(), epoll_ctl() and epoll_wait() (run.c's
	 * emulation over gt_wakeups(), kernel.c's system calls). */
	{"EPOLLIN", 0x001}, {"EPOLLPRI", 0x002}, {"EPOLLOUT", 0x004}, {"EPOLLERR", 0x008},
	{"EPOLLHUP", 0x010}, {"EPOLLRDNORM", 0x040}, {"EPOLLRDBAND", 0x080},
	{"EPOLLWRNORM", 0x100}, {"EPOLLWRBAND", 0x200}, {"EPOLLMSG", 0x400},
	{"EPOLLRDHUP", 0x2000}, {"EPOLLEXCLUSIVE", PK_EPOLLEXCLUSIVE},
	{"EPOLLWAKEUP", PK_EPOLLWAKEUP}, {"EPOLLONESHOT", PK_EPOLLONESHOT},
	{"EPOLLET", PK_EPOLLET},
	{"EPOLL_CTL_ADD", 1}, {"EPOLL_CTL_DEL", 2}, {"EPOLL_CTL_MOD", 3},
	{"EPOLL_CLOEXEC", 02000000},
	{"SIOCINQ", 0x541b}, {"FIONREAD", 0x541b}, {"SIOCOUTQ", 0x5411},
	{"NULL", 0},
	{"IP_MTU_DISCOVER", PK_IP_MTU_DISCOVER}, {"IP_PMTUDISC_DONT", 0},
	{"IP_PMTUDISC_WANT", PK_IP_PMTUDISC_WANT}, {"IP_PMTUDISC_DO", 2}, {"IP_PMTUDISC_PROBE", 3},
	{"IP_PMTUDISC_INTERFACE", 4}, {"IP_PMTUDISC_OMIT", 5}, {"IP_FREEBIND", PK_IP_FREEBIND},
	{"IP_BIND_ADDRESS_NO_PORT", GT_IP_BIND_ADDRESS_NO_PORT},
	{"IP_LOCAL_PORT_RANGE", GT_IP_LOCAL_PORT_RANGE},
};

/* Names packetdrill knows that glasstcp has no meaning for yet: a script
 * that uses them is unsupported, never passed. */
static const char *const unsupported_syms[] = {
	"TCP_SAVE_SYN", "TCP_SAVED_SYN",
	"TCP_MDNSIG",
	"TCP_REPAIR",
	"SO_MAX_PACING_RATE", "TCP_TX_DELAY", "SO_BINDTODEVICE",
	"SOCK_DGRAM", /* a UDP socket: glasstcp has none (its UDP is TCP's encapsulation) */
};

static const struct sym errnos[] = {
	{"EPERM", EPERM}, {"ENOENT", ENOENT}, {"EINTR", EINTR}, {"EIO", EIO}, {"EBADF", EBADF},
	{"EAGAIN", EAGAIN}, {"EWOULDBLOCK", EWOULDBLOCK}, {"ENOMEM", ENOMEM}, {"EFAULT", EFAULT},
	{"EINVAL", EINVAL}, {"EMFILE", EMFILE}, {"EPIPE", EPIPE}, {"ENOTSOCK", ENOTSOCK},
	{"EDESTADDRREQ", EDESTADDRREQ}, {"EMSGSIZE", EMSGSIZE}, {"EPROTOTYPE", EPROTOTYPE},
	{"ENOPROTOOPT", ENOPROTOOPT}, {"EPROTONOSUPPORT", EPROTONOSUPPORT},
	{"EOPNOTSUPP", EOPNOTSUPP}, {"EAFNOSUPPORT", EAFNOSUPPORT}, {"EADDRINUSE", EADDRINUSE},
	{"EADDRNOTAVAIL", EADDRNOTAVAIL}, {"ENETDOWN", ENETDOWN}, {"ENETUNREACH", ENETUNREACH},
	{"ECONNABORTED", ECONNABORTED}, {"ECONNRESET", ECONNRESET}, {"ENOBUFS", ENOBUFS},
	{"EISCONN", EISCONN}, {"ENOTCONN", ENOTCONN}, {"ETIMEDOUT", ETIMEDOUT},
	{"ECONNREFUSED", ECONNREFUSED}, {"EHOSTDOWN", EHOSTDOWN}, {"EHOSTUNREACH", EHOSTUNREACH},
	{"EALREADY", EALREADY}, {"EINPROGRESS", EINPROGRESS},
	{"EEXIST", EEXIST}, {"ELOOP", ELOOP}, /* epoll_ctl() */
	{"EDOM", EDOM}, /* FreeBSD's sosetopt(SO_LINGER) out of range */
};

bool pk_symbol(const char *name, long long *out)
{
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (!strcmp(syms[i].name, name)) {
			*out = syms[i].v;
			return true;
		}
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, name)) {
			*out = errnos[i].v;
			return true;
		}
	return false;
}

const char *pk_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].v == err)
			return errnos[i].name;
	return "E?";
}

static bool is_unsupported_sym(const char *name)
{
	for (size_t i = 0; i < sizeof(unsupported_syms) / sizeof(unsupported_syms[0]); i++)
		if (!strcmp(unsupported_syms[i], name))
			return true;
	return false;
}

/* ---- diagnostics ---- */

static void perr(struct pk_script *sc, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void perr(struct pk_script *sc, int line, const char *fmt, ...)
{
	if (sc->err_line)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sc->err, sizeof(sc->err), fmt, ap);
	va_end(ap);
	sc->err_line = line;
}

static void unsup(struct pk_script *sc, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void unsup(struct pk_script *sc, int line, const char *fmt, ...)
{
	if (sc->unsup_line)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sc->unsup, sizeof(sc->unsup), fmt, ap);
	va_end(ap);
	sc->unsup_line = line;
}

/* ---- a cursor over one statement ---- */

struct cur {
	const char *p, *end;
	int line;
	struct pk_script *sc;
};

static void skip_ws(struct cur *c)
{
	while (c->p < c->end && isspace((unsigned char)*c->p))
		c->p++;
}

static bool peek_is(struct cur *c, const char *s)
{
	skip_ws(c);
	size_t n = strlen(s);
	return (size_t)(c->end - c->p) >= n && !memcmp(c->p, s, n);
}

static bool eat(struct cur *c, const char *s)
{
	if (!peek_is(c, s))
		return false;
	c->p += strlen(s);
	return true;
}

static bool ident(struct cur *c, char *out, size_t max)
{
	skip_ws(c);
	size_t n = 0;
	while (c->p < c->end && (isalnum((unsigned char)*c->p) || *c->p == '_')) {
		if (n + 1 < max)
			out[n++] = *c->p;
		c->p++;
	}
	out[n] = 0;
	return n > 0;
}

#define PK_NUM_MAX (1ull << 62)

/* An unsigned or negative integer, decimal or hex, of magnitude at most
 * PK_NUM_MAX. */
static bool number(struct cur *c, long long *out)
{
	skip_ws(c);
	const char *s = c->p;
	bool neg = false;
	if (s < c->end && (*s == '-' || *s == '+')) {
		neg = *s == '-';
		s++;
	}
	if (s >= c->end || !isdigit((unsigned char)*s))
		return false;
	unsigned long long v = 0;
	bool hex = c->end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (hex)
		s += 2;
	while (s < c->end && (hex ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s))) {
		unsigned d = (unsigned)(isdigit((unsigned char)*s) ? *s - '0'
							  : tolower((unsigned char)*s) - 'a' + 10);
		unsigned base = hex ? 16 : 10;
		/* Bounded: no script number is near 2^62, so none can overflow
		 * what is computed from it. */
		if (v > (PK_NUM_MAX - d) / base)
			return false;
		v = v * base + d;
		s++;
	}
	c->p = s;
	*out = neg ? -(long long)v : (long long)v;
	return true;
}

/* A number in [0, max]: a sequence number, window or option value. */
static bool number_max(struct cur *c, unsigned long long max, long long *out)
{
	return number(c, out) && *out >= 0 && (unsigned long long)*out <= max;
}

/* Seconds as written ("1", ".1", "0.200"), to microseconds. */
static bool seconds(struct cur *c, int64_t *out_us)
{
	skip_ws(c);
	const char *s = c->p;
	int64_t whole = 0, frac = 0, scale = 1000000;
	bool any = false;
	while (s < c->end && isdigit((unsigned char)*s)) {
		whole = whole * 10 + (*s - '0');
		s++;
		any = true;
		if (whole > 100000000)
			return false;
	}
	if (s < c->end && *s == '.' && !(c->end - s >= 3 && s[1] == '.' && s[2] == '.')) {
		s++;
		while (s < c->end && isdigit((unsigned char)*s)) {
			if (scale > 1) {
				scale /= 10;
				frac += (*s - '0') * scale;
			}
			s++;
			any = true;
		}
	}
	if (!any)
		return false;
	c->p = s;
	*out_us = whole * 1000000 + frac;
	return true;
}

/* ---- packets ---- */

static bool parse_flags(struct cur *c, uint8_t *flags, bool *ae)
{
	skip_ws(c);
	uint8_t f = 0;
	bool any = false;
	*ae = false;
	while (c->p < c->end) {
		char ch = *c->p;
		if (ch == 'A') { /* AE (RFC 9768 3.1), as AccECN packetdrill scripts write it */
			*ae = true;
			any = true;
			c->p++;
			continue;
		}
		/* The ACE field as one octal digit (RFC 9768 3.2.2: AE, CWR,
		 * ECE from the most significant bit), "5." or "F5." in
		 * tcp-testsuite's ecn/accecn/ scripts; a digit that a flag or
		 * the ACK's '.' follows, so a sequence number is not taken. */
		if (ch >= '0' && ch <= '7' && c->p + 1 < c->end &&
		    (c->p[1] == '.' || (c->p[1] && strchr("SFRPEWUA", c->p[1])))) {
			unsigned ace = (unsigned)(ch - '0');
			if (ace & 1u)
				f |= TH_ECE;
			if (ace & 2u)
				f |= TH_CWR;
			if (ace & 4u)
				*ae = true;
			any = true;
			c->p++;
			continue;
		}
		/* packetdrill's ack_and_ace (parser.y: flags is opt_word and a
		 * FLOAT, "P.5", ".2"): the AccECN ACE counter (RFC 9768 3.2.2)
		 * after the ACK flag, which packetdrill's AccECN scripts check
		 * as a counter, not as the three flags the "5." form sets:
		 * unsupported. */
		if (ch == '.' && c->p + 1 < c->end && c->p[1] >= '0' && c->p[1] <= '7' &&
		    (c->p + 2 == c->end || isspace((unsigned char)c->p[2]))) {
			unsup(c->sc, c->line, "AccECN ACE counter after the flags ('.%c')", c->p[1]);
			f |= TH_ACK;
			any = true;
			c->p += 2;
			continue;
		}
		uint8_t bit = ch == 'S' ? TH_SYN : ch == 'F' ? TH_FIN : ch == 'R' ? TH_RST
			    : ch == 'P' ? TH_PSH : ch == '.' ? TH_ACK : ch == 'E' ? TH_ECE
			    : ch == 'W' ? TH_CWR : ch == 'U' ? TH_URG : 0;
		if (!bit)
			break;
		/* '.' followed by digits is a number, not the ACK flag. */
		if (ch == '.' && c->p + 1 < c->end && isdigit((unsigned char)c->p[1]))
			break;
		f |= bit;
		any = true;
		c->p++;
	}
	*flags = f;
	return any || peek_is(c, "-");
}

/* The cookie after FO or FOEXP: packetdrill's hex string (an even count of
 * digits, at most 16 bytes), or the name the Linux selftests' runner
 * defines (ksft_runner.sh: -D TFO_COOKIE=..., -D TFO_COOKIE_ZERO=...):
 * the cookie Linux's __tcp_fastopen_cookie_gen_cipher() gives this run's
 * addresses under defaults.sh's key a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4, or
 * under the key of zeros (for IPv4 the runner's own constants,
 * 3021b9d889017eeb and b7c12350a90dc8f5). */
static bool fo_cookie(struct cur *c, struct pk_opt *o)
{
	char kw[2 * PK_MAX_RAW + 8];
	if (!ident(c, kw, sizeof(kw)))
		return false;
	if (!strcmp(kw, "TFO_COOKIE") || !strcmp(kw, "TFO_COOKIE_ZERO")) {
		uint8_t key[16] = {0};
		if (!strcmp(kw, "TFO_COOKIE"))
			for (int i = 0; i < 16; i++)
				key[i] = (uint8_t)(0xa1 + 0x11 * (i / 4));
		pk_tfo_cookie(c->sc, key, o->raw);
		o->nraw = 8;
		return true;
	}
	size_t n = strlen(kw);
	/* 1 to 38 bytes: a cookie fills the 40 bytes of options at most
	 * (the FreeBSD suite's client scripts send every length from 1 to
	 * 38; RFC 7413 4.1.1 allows 4 to 16). */
	if (n % 2 || n > 2 * (PK_MAX_RAW - 2) || strspn(kw, "0123456789abcdefABCDEF") != n)
		return false;
	for (size_t k = 0; k < n / 2; k++) {
		char hx[3] = {kw[2 * k], kw[2 * k + 1], 0};
		o->raw[k] = (uint8_t)strtoul(hx, NULL, 16);
	}
	o->nraw = (uint8_t)(n / 2);
	return true;
}

static bool parse_options(struct cur *c, struct pk_pkt *pk)
{
	/* After '<': "..." or a comma-separated list, then '>'. */
	if (eat(c, "...")) {
		pk->optmode = PK_OPTS_ANY;
		return eat(c, ">");
	}
	pk->optmode = PK_OPTS_LIST;
	for (;;) {
		char name[24];
		long long v, w;
		if (pk->nopt == PK_MAX_OPTS)
			return false;
		struct pk_opt *o = &pk->opt[pk->nopt];
		memset(o, 0, sizeof(*o));
		if (!ident(c, name, sizeof(name)))
			return false;
		if (!strcmp(name, "nop")) {
			o->kind = PO_NOP;
		} else if (!strcmp(name, "eol")) {
			o->kind = PO_EOL;
		} else if (!strcmp(name, "mss")) {
			if (!number_max(c, UINT16_MAX, &v))
				return false;
			o->kind = PO_MSS;
			o->a = (uint32_t)v;
		} else if (!strcmp(name, "wscale")) {
			if (!number_max(c, UINT8_MAX, &v))
				return false;
			o->kind = PO_WSCALE;
			o->a = (uint32_t)v;
		} else if (!strcmp(name, "sackOK")) {
			o->kind = PO_SACKOK;
		} else if (!strcmp(name, "sack")) {
			o->kind = PO_SACK;
			while (o->nsack < PK_MAX_SACK && number(c, &v)) {
				if (v < 0 || v > UINT32_MAX || !eat(c, ":") || !number_max(c, UINT32_MAX, &w))
					return false;
				o->sack[o->nsack][0] = (uint32_t)v;
				o->sack[o->nsack][1] = (uint32_t)w;
				o->nsack++;
			}
		} else if (!strcmp(name, "raw")) {
			/* glasstcp's own: bytes as they stand, inbound only. */
			o->kind = PO_RAW;
			while (o->nraw < PK_MAX_RAW && number(c, &v)) {
				if (v < 0 || v > UINT8_MAX)
					return false;
				o->raw[o->nraw++] = (uint8_t)v;
			}
			if (!o->nraw)
				return false;
			if (pk->out) {
				unsup(c->sc, c->line, "raw option bytes on an outbound packet");
				pk->nopt--;
			}
		} else if (!strcmp(name, "md5")) {
			/* "md5 valid" / "md5 invalid" (made with
			 * --tcp_md5_secret), or packetdrill's literal digest,
			 * 16 bytes in hex (its lexer's MD5_HEX), written as it
			 * stands: inbound only. */
			char kw[40];
			if (!ident(c, kw, sizeof(kw)))
				return false;
			o->kind = PO_MD5;
			if (strlen(kw) == 32 && strspn(kw, "0123456789abcdefABCDEF") == 32) {
				o->a = PK_MD5_LITERAL;
				for (int k = 0; k < 16; k++) {
					char hx[3] = {kw[2 * k], kw[2 * k + 1], 0};
					o->raw[k] = (uint8_t)strtoul(hx, NULL, 16);
				}
				o->nraw = 16;
				if (pk->out) {
					unsup(c->sc, c->line, "a literal md5 digest on an outbound packet");
					pk->nopt--;
				}
			} else if (!strcmp(kw, "valid") || !strcmp(kw, "invalid")) {
				o->a = !strcmp(kw, "valid");
			} else if (strlen(kw) % 2 == 0 && strspn(kw, "0123456789abcdefABCDEF") == strlen(kw)) {
				/* new_md5_option() takes a digest shorter than 16
				 * bytes too (a bad one, on purpose). */
				unsup(c->sc, c->line, "an md5 digest of %zu bytes", strlen(kw) / 2);
				pk->nopt--;
			} else {
				return false;
			}
		} else if (!strcmp(name, "FO") || !strcmp(name, "FOEXP")) {
			o->kind = name[2] ? PO_FOEXP : PO_FO;
			skip_ws(c);
			if (c->p < c->end && isalnum((unsigned char)*c->p) && !fo_cookie(c, o))
				return false;
		} else if (!strcmp(name, "TS")) {
			/* "TS val ... ecr 0": "..." stands for any value, as
			 * packetdrill's grammar allows (tcp-testsuite's ecn/). */
			char kw[8];
			v = w = 0;
			if (!ident(c, kw, sizeof(kw)) || strcmp(kw, "val"))
				return false;
			if (eat(c, "..."))
				o->a_any = true;
			else if (!number_max(c, UINT32_MAX, &v))
				return false;
			if (!ident(c, kw, sizeof(kw)) || strcmp(kw, "ecr"))
				return false;
			if (eat(c, "..."))
				o->b_any = true;
			else if (!number_max(c, UINT32_MAX, &w))
				return false;
			o->kind = PO_TS;
			o->a = (uint32_t)v;
			o->b = (uint32_t)w;
		} else {
			unsup(c->sc, c->line, "TCP option '%s'", name);
			while (c->p < c->end && *c->p != ',' && *c->p != '>')
				c->p++;
			pk->nopt--;
		}
		pk->nopt++;
		if (eat(c, ">"))
			return true;
		if (!eat(c, ","))
			return false;
	}
}

/* ICMP types by name, as packetdrill's icmp_packet.c names them (Google's
 * tables and nplab's): the type in each family, -1 where that family has no
 * such name (RFC 792, RFC 950; RFC 4443 2.1). A message written with no
 * code word has code 0; "code_N" and "type_N" give the number as it
 * stands, in the script's family. */
static const struct icmp_type_name {
	const char *name;
	int v4, v6;
} icmp_types[] = {
	{"echo_reply", 0, 129},          {"unreachable", 3, 1},
	{"source_quench", 4, -1},        {"redirect", 5, -1},
	{"echo_request", 8, 128},        {"time_exceeded", 11, 3},
	{"parameter_problem", 12, 4},    {"timestamp_request", 13, -1},
	{"timestamp_reply", 14, -1},     {"information_request", 15, -1},
	{"information_reply", 16, -1},   {"address_mask_request", 17, -1},
	{"address_mask_reply", 18, -1},  {"packet_too_big", -1, 2},
};

/* ICMP codes by name (RFC 792, RFC 1812, RFC 4443 3), and the ICMPv6
 * message (type, code) a name means in an IPv6 script; -1: no such message
 * in that family. packetdrill's per-family code tables (icmp_packet.c:
 * icmpv4_unreachable_codes, icmpv4_time_exceeded_codes (nplab),
 * icmpv6_unreachable_codes, icmpv6_time_exceed_codes,
 * icmpv6_paramprob_codes), and glasstcp's own names for the same messages
 * (erroneous_header, unrecognized_option, beyond_scope, ttl_exceeded,
 * frag_reassembly_time_exceeded, "packet_too_big packet_too_big"). */
static const struct icmp_name {
	const char *type, *name;
	int v4_type, v4_code, v6_type, v6_code;
} icmp_names[] = {
	{"unreachable", "net_unreachable", 3, 0, 1, 0},
	{"unreachable", "host_unreachable", 3, 1, 1, 3},
	{"unreachable", "protocol_unreachable", 3, 2, 4, 1},
	{"unreachable", "port_unreachable", 3, 3, 1, 4},
	{"unreachable", "frag_needed", 3, 4, 2, 0},
	{"unreachable", "source_route_failed", 3, 5, -1, -1},
	{"unreachable", "net_unknown", 3, 6, 1, 0},
	{"unreachable", "host_unknown", 3, 7, 1, 3},
	{"unreachable", "source_host_isolated", 3, 8, -1, -1},
	{"unreachable", "net_prohibited", 3, 9, 1, 1},
	{"unreachable", "host_prohibited", 3, 10, 1, 1},
	{"unreachable", "net_unreachable_for_tos", 3, 11, -1, -1},
	{"unreachable", "host_unreachable_for_tos", 3, 12, -1, -1},
	{"unreachable", "comm_prohibited", 3, 13, 1, 1},
	{"unreachable", "packet_filtered", 3, 13, 1, 1},
	{"unreachable", "precedence_violation", 3, 14, -1, -1},
	{"unreachable", "precedence_cutoff", 3, 15, -1, -1},
	{"unreachable", "no_route", -1, -1, 1, 0},
	{"unreachable", "admin_prohibited", -1, -1, 1, 1},
	{"unreachable", "not_neighbour", -1, -1, 1, 2},
	{"unreachable", "beyond_scope", -1, -1, 1, 2},
	{"unreachable", "address_unreachable", -1, -1, 1, 3},
	{"time_exceeded", "ttl_exceeded", 11, 0, 3, 0},
	{"time_exceeded", "ttl_exceeded_in_transit", 11, 0, 3, 0},
	{"time_exceeded", "exceeded_hop_limit", -1, -1, 3, 0},
	{"time_exceeded", "frag_reass_exceeded", 11, 1, 3, 1},
	{"time_exceeded", "frag_reassembly_time_exceeded", 11, 1, 3, 1},
	{"time_exceeded", "exceeded_frag_time", -1, -1, 3, 1},
	{"parameter_problem", "header_field", -1, -1, 4, 0},
	{"parameter_problem", "erroneous_header", -1, -1, 4, 0},
	{"parameter_problem", "unknown_next_header", -1, -1, 4, 1},
	{"parameter_problem", "unknown_option", -1, -1, 4, 2},
	{"parameter_problem", "unrecognized_option", -1, -1, 4, 2},
	{"packet_too_big", "packet_too_big", -1, -1, 2, 0},
};

/* The segment an ICMP message quotes, "[seq:end(len)]": packetdrill's
 * opt_icmp_echoed, before the word icmp in Google's grammar
 * ("< [0:0(0)] icmp unreachable port_unreachable", tcp-testsuite's
 * snd-syn-icmp-*), after the message in nplab's rcv-icmp-* scripts. */
static bool parse_icmp_quoted(struct cur *c, struct pk_pkt *pk)
{
	long long v, w, len;
	if (peek_is(c, "[udp") || peek_is(c, "[raw")) {
		/* parser.y's opt_icmp_echoed: "[udp (N)]", "[raw (N)]", a
		 * quoted datagram of another protocol. */
		const char *q = memchr(c->p, ']', (size_t)(c->end - c->p));
		unsup(c->sc, c->line, "ICMP quoting a %.3s packet", c->p + 1);
		if (!q)
			return false;
		c->p = q + 1;
		return true;
	}
	if (!eat(c, "[") || !number_max(c, UINT32_MAX, &v) || !eat(c, ":") ||
	    !number_max(c, UINT32_MAX, &w) || !eat(c, "(") || !number_max(c, UINT32_MAX, &len) ||
	    !eat(c, ")") || !eat(c, "]"))
		return false;
	pk->seq = (uint32_t)v;
	pk->len = (uint32_t)len;
	return true;
}

/* "type_N" / "code_N" (packetdrill's tcpdump-style numbers): N, or -1. */
static int icmp_number(const char *word, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(word, prefix, n) || !word[n])
		return -1;
	int v = 0;
	for (const char *q = word + n; *q; q++) {
		if (!isdigit((unsigned char)*q) || (v = v * 10 + (*q - '0')) > UINT8_MAX)
			return -1;
	}
	return v;
}

/* "icmp TYPE [CODE] [mtu N] [[seq:end(len)]]": the message in both
 * families (icmp_type/code, icmp6_type/code), either marked absent where
 * the name has none; the script's family must have it. */
static bool parse_icmp(struct cur *c, struct pk_pkt *pk)
{
	char type[24], code[40] = "";
	long long v;
	pk->icmp = true;
	if (!ident(c, type, sizeof(type)))
		return false;
	const char *at = c->p;
	if (!ident(c, code, sizeof(code)) || !strcmp(code, "mtu") || !strcmp(code, "id")) {
		c->p = at; /* no code word: code 0 */
		code[0] = 0;
	}
	int t4 = -1, t6 = -1, c4 = -1, c6 = -1;
	int tn = icmp_number(type, "type_");
	for (size_t i = 0; i < sizeof(icmp_types) / sizeof(icmp_types[0]); i++)
		if (!strcmp(icmp_types[i].name, type)) {
			t4 = icmp_types[i].v4;
			t6 = icmp_types[i].v6;
		}
	if (tn >= 0)
		t4 = t6 = tn;
	int cn = code[0] ? icmp_number(code, "code_") : 0;
	bool known = true;
	if (cn >= 0) {
		c4 = t4 >= 0 ? cn : -1;
		c6 = t6 >= 0 ? cn : -1;
	} else {
		const struct icmp_name *m = NULL;
		for (size_t i = 0; i < sizeof(icmp_names) / sizeof(icmp_names[0]); i++)
			if (!strcmp(icmp_names[i].type, type) && !strcmp(icmp_names[i].name, code))
				m = &icmp_names[i];
		known = m != NULL;
		if (m) {
			t4 = m->v4_type, c4 = m->v4_code;
			t6 = m->v6_type, c6 = m->v6_code;
		}
	}
	if (t4 < 0 && t6 < 0)
		known = false;
	pk->icmp_v4_ok = known && t4 >= 0 && c4 >= 0;
	pk->icmp_v6_ok = known && t6 >= 0 && c6 >= 0;
	pk->icmp_type = (uint8_t)(pk->icmp_v4_ok ? t4 : 0);
	pk->icmp_code = (uint8_t)(pk->icmp_v4_ok ? c4 : 0);
	pk->icmp6_type = (uint8_t)(pk->icmp_v6_ok ? t6 : 0);
	pk->icmp6_code = (uint8_t)(pk->icmp_v6_ok ? c6 : 0);
	bool v6 = c->sc->ipver == PK_IPV6;
	if (!known)
		unsup(c->sc, c->line, "ICMP message '%s%s%s'", type, code[0] ? " " : "", code);
	else if (!(v6 ? pk->icmp_v6_ok : pk->icmp_v4_ok))
		unsup(c->sc, c->line, "ICMP message '%s%s%s' in this IP version", type, code[0] ? " " : "",
		      code);
	if (eat(c, "mtu")) {
		/* As packetdrill's set_icmpv4_header()/set_icmpv6_header():
		 * an MTU for a fragmentation-needed unreachable (RFC 1191
		 * 4, 16 bits) or a packet-too-big (RFC 4443 3.2, 32 bits) only. */
		bool ptb = v6 ? pk->icmp6_type == 2 && pk->icmp6_code == 0
			      : pk->icmp_type == 3 && pk->icmp_code == 4;
		if (!number_max(c, v6 ? UINT32_MAX : UINT16_MAX, &v))
			return false;
		if (known && (v6 ? pk->icmp_v6_ok : pk->icmp_v4_ok) && !ptb) {
			perr(c->sc, c->line, "an ICMP MTU is for %s only",
			     v6 ? "packet_too_big" : "unreachable frag_needed");
			return false;
		}
		pk->icmp_mtu = (uint32_t)v;
	}
	/* parser.y's opt_icmp_echo_id: an echo message's identifier. */
	if (eat(c, "id")) {
		if (!number_max(c, UINT16_MAX, &v))
			return false;
		unsup(c->sc, c->line, "ICMP echo id");
	}
	/* The quoted segment after the message, as nplab's packetdrill
	 * writes it: [seq:end(len)] */
	if (peek_is(c, "["))
		return parse_icmp_quoted(c, pk);
	return true;
}

static bool parse_packet(struct cur *c, struct pk_pkt *pk)
{
	long long v, w, len;
	pk->out = *c->p == '>';
	c->p++;
	pk->ttl = -1;
	pk->tos = -1;
	pk->flowlabel = -1;
	pk->df = -1;
	pk->ecn = PK_ECN_ANY;
	/* parser.y's packet_prefix: an outer header the packet travels in
	 * ("ipv4 A > B:", "ipv6 A > B:", "gre:", "mpls (label ...):"). */
	static const char *const encaps[] = {"ipv4", "ipv6", "gre", "mpls"};
	for (size_t i = 0; i < sizeof(encaps) / sizeof(encaps[0]); i++) {
		size_t n = strlen(encaps[i]);
		if (peek_is(c, encaps[i]) && c->p + n < c->end && !isalnum((unsigned char)c->p[n])) {
			unsup(c->sc, c->line, "encapsulation '%s' before the packet", encaps[i]);
			c->p = c->end;
			return true;
		}
	}
	if (peek_is(c, "[")) {
		/* "[" and a number: an ICMP message's quoted segment, in
		 * front of the word icmp (parse_icmp_quoted()). */
		const char *at = c->p;
		c->p++; /* peek_is() left it on the "[" */
		skip_ws(c);
		bool quoted = c->p < c->end && isdigit((unsigned char)*c->p);
		c->p = at;
		if (quoted) {
			if (!parse_icmp_quoted(c, pk) || !eat(c, "icmp"))
				return false;
			return parse_icmp(c, pk);
		}
	}
	if (eat(c, "[")) {
		/* The IP ECN field (RFC 3168 5), packetdrill's names; not
		 * written: any codepoint out, Not-ECT in. */
		static const struct {
			const char *name;
			enum pk_ecn v;
		} ecns[] = {{"noecn", PK_ECN_NOT_ECT}, {"ect1", PK_ECN_ECT1}, {"ect0", PK_ECN_ECT0},
			    {"ce", PK_ECN_CE}, {"ect01", PK_ECN_ECT01}};
		char name[16];
		if (!ident(c, name, sizeof(name)))
			return false;
		if (!strcmp(name, "tos") || !strcmp(name, "ttl") || !strcmp(name, "flowlabel") || peek_is(c, ",")) {
			/* parser.y's '[' ip_info ']': "[tos 0x2]", "[ttl 4]",
			 * "[flowlabel 0x1]", "[ect0, flowlabel 0x1]". */
			const char *q = memchr(c->p, ']', (size_t)(c->end - c->p));
			unsup(c->sc, c->line, "IP info '[%s ...]'", name);
			if (!q)
				return false;
			c->p = q;
			name[0] = 0;
		}
		if (!eat(c, "]"))
			return false;
		size_t i = 0;
		while (name[0] && i < sizeof(ecns) / sizeof(ecns[0]) && strcmp(ecns[i].name, name))
			i++;
		if (name[0] && i == sizeof(ecns) / sizeof(ecns[0])) {
			perr(c->sc, c->line, "unknown ECN codepoint [%s]", name);
			return false;
		}
		if (name[0])
			pk->ecn = ecns[i].v;
		if (!pk->out && pk->ecn == PK_ECN_ECT01) {
			perr(c->sc, c->line, "[ect01] matches a packet the stack sends, it is none to send");
			return false;
		}
	}
	if (eat(c, "(")) {
		/* IP header fields: "(ttl 4)", "(tos 0x2, ttl 64)"; in an
		 * IPv6 script also the IPv6 header's own names (RFC 8200 3),
		 * as the tcp-testsuite writes them: "(hlim 4)" the hop limit,
		 * "(class 0x28)" the traffic class, "(flowlabel N)" the 20-bit
		 * flow label. ttl and tos mean the hop limit and the traffic
		 * class there too. glasstcp's own "(df 0)" / "(df 1)": an IPv4
		 * packet's Don't Fragment bit (RFC 791 3.1), which Linux clears
		 * on a route locked at min_pmtu (ip_dont_fragment()). */
		bool v6 = c->sc->ipver == PK_IPV6;
		while (c->p < c->end && *c->p != ')') {
			char f[16];
			if (!ident(c, f, sizeof(f)))
				return false;
			bool flow = !strcmp(f, "flowlabel");
			if (!number_max(c, flow ? 0xfffff : UINT8_MAX, &v))
				return false;
			if (!strcmp(f, "ttl") || (v6 && !strcmp(f, "hlim")))
				pk->ttl = (int)v;
			else if (!strcmp(f, "tos") || (v6 && !strcmp(f, "class")))
				pk->tos = (int)v;
			else if (v6 && flow)
				pk->flowlabel = (int32_t)v;
			else if (!v6 && !strcmp(f, "df") && v <= 1)
				pk->df = (int)v;
			else if (!v6 && (!strcmp(f, "hlim") || !strcmp(f, "class") || flow))
				unsup(c->sc, c->line, "IPv6 header field '%s' in an IPv4 script", f);
			else
				unsup(c->sc, c->line, "IP header field '%s'", f);
			eat(c, ",");
		}
		if (!eat(c, ")"))
			return false;
	}
	if (peek_is(c, "icmp")) {
		c->p += 4;
		return parse_icmp(c, pk);
	}
	if (peek_is(c, "udp")) {
		unsup(c->sc, c->line, "UDP packets");
		c->p = c->end;
		return true;
	}
	/* parser.y's opt_port_info: "< 8080>9000 S 0:0(0)", the ports
	 * written out, where pktrun has its own (tuple N). */
	const char *at = c->p;
	if (number_max(c, UINT16_MAX, &v) && eat(c, ">") && number_max(c, UINT16_MAX, &w))
		unsup(c->sc, c->line, "ports '%lld>%lld' before the flags", v, w);
	else
		c->p = at;
	if (!parse_flags(c, &pk->flags, &pk->ae))
		return false;
	eat(c, "-");
	if (eat(c, "...")) {
		pk->seq_any = true;
	} else {
		if (!number_max(c, UINT32_MAX, &v) || !eat(c, ":") || !number_max(c, UINT32_MAX, &w))
			return false;
		pk->seq = (uint32_t)v;
	}
	if (!eat(c, "(") || !number_max(c, UINT32_MAX, &len) || !eat(c, ")"))
		return false;
	pk->len = (uint32_t)len;
	/* '!' (the FreeBSD suite's RSTs to a segment without ACK): the
	 * sequence number is absolute, not counted from the ISN (packetdrill's
	 * FLAG_ABSOLUTE_SEQ). */
	pk->seq_abs = eat(c, "!");
	if (!pk->seq_any && (uint32_t)(w - v) != pk->len)
		return false;
	for (;;) {
		if (eat(c, "ack")) {
			if (!number_max(c, UINT32_MAX, &v))
				return false;
			pk->has_ack = true;
			pk->ack = (uint32_t)v;
		} else if (eat(c, "win")) {
			if (!number_max(c, UINT16_MAX, &v))
				return false;
			pk->has_win = true;
			pk->win = (uint32_t)v;
		} else if (eat(c, "tuple")) {
			if (!number_max(c, PK_TUPLES - 1, &v))
				return false;
			pk->tuple = (uint8_t)v;
		} else if (eat(c, "urg")) {
			unsup(c->sc, c->line, "urgent pointer");
			number(c, &v);
		} else if (eat(c, "<")) {
			if (!parse_options(c, pk))
				return false;
		} else if (peek_is(c, "{")) {
			/* packetdrill's fuzzing annotation after the options
			 * (parser.y opt_fuzz_info: "{ mut tcp mss; trun ipv4
			 * 12-15; ins ... }", and newer packetdrills' "{rep ipv4
			 * version_ihl 0x35}"): the packet is changed after it is
			 * built or before it is matched, which pktrun does not
			 * do. The braces are balanced (pk_parse() joined them). */
			const char *q = memchr(c->p, '}', (size_t)(c->end - c->p));
			unsup(c->sc, c->line, "packetdrill fuzzing annotation '%.*s'",
			      q && q - c->p < 60 ? (int)(q - c->p + 1) : 40, c->p);
			c->p = q ? q + 1 : c->end;
		} else if (eat(c, "/")) {
			/* packetdrill's "/udp(SPORT > DPORT)": the segment in a
			 * UDP datagram, with --udp_encapsulation=tcp only. */
			if (!c->sc->udp_encaps_tcp || !eat(c, "udp") || !eat(c, "(") ||
			    !number_max(c, UINT16_MAX, &v) || !eat(c, ">") ||
			    !number_max(c, UINT16_MAX, &w) || !eat(c, ")")) {
				unsup(c->sc, c->line, "encapsulation '/%.20s'", c->p);
				c->p = c->end;
			} else {
				pk->udp = true;
				pk->udp_sport = (uint16_t)v;
				pk->udp_dport = (uint16_t)w;
			}
		} else {
			break;
		}
	}
	return true;
}

/* ---- system calls ---- */

static bool parse_value(struct cur *c, struct pk_val *v, int depth);
static void free_val(struct pk_val *v);

static bool parse_items(struct cur *c, struct pk_val *v, const char *close, int depth)
{
	int cap = 0;
	v->items = NULL;
	v->n = 0;
	if (eat(c, close))
		return true;
	for (;;) {
		if (v->n == cap) {
			cap = cap ? cap * 2 : 4;
			if (cap > 64)
				return false;
			struct pk_val *ni = realloc(v->items, (size_t)cap * sizeof(*ni));
			if (!ni)
				return false;
			v->items = ni;
		}
		struct pk_val *it = &v->items[v->n];
		memset(it, 0, sizeof(*it));
		v->n++;
		/* Struct fields: name=value. */
		const char *save = c->p;
		char fname[32];
		if (ident(c, fname, sizeof(fname)) && eat(c, "(")) {
			/* packetdrill's msghdr fields with a count or a length
			 * in parentheses: "msg_name(...)=...", "msg_iov(N)=[...]"
			 * (its parser.y): the count goes in the item's count. */
			struct pk_val cnt;
			memset(&cnt, 0, sizeof(cnt));
			bool ok = parse_value(c, &cnt, depth + 1) && eat(c, ")") && eat(c, "=") &&
				  parse_value(c, it, depth + 1);
			if (ok && cnt.kind == PV_INT) {
				it->has_count = true;
				it->count = cnt.i;
				if (it->kind == PV_LIST && it->n != cnt.i) {
					perr(c->sc, c->line, "%s(%lld) has %d entries", fname, cnt.i, it->n);
					ok = false;
				}
			} else if (ok && cnt.kind != PV_ELLIPSIS) {
				ok = false;
			}
			free_val(&cnt);
			if (!ok)
				return false;
			snprintf(it->name, sizeof(it->name), "%s", fname);
		} else if ((c->p = save, ident(c, fname, sizeof(fname))) && eat(c, "=")) {
			if (!parse_value(c, it, depth + 1))
				return false;
			snprintf(it->name, sizeof(it->name), "%s", fname);
		} else {
			c->p = save;
			if (!parse_value(c, it, depth + 1))
				return false;
		}
		if (eat(c, close))
			return true;
		if (!eat(c, ","))
			return false;
	}
}

static void free_val(struct pk_val *v)
{
	for (int i = 0; i < v->n; i++)
		free_val(&v->items[i]);
	free(v->items);
	v->items = NULL;
	v->n = 0;
}

static bool parse_value(struct cur *c, struct pk_val *v, int depth)
{
	if (depth > 8)
		return false;
	skip_ws(c);
	if (eat(c, "...")) {
		v->kind = PV_ELLIPSIS;
		return true;
	}
	if (eat(c, "[")) {
		v->kind = PV_LIST;
		return parse_items(c, v, "]", depth);
	}
	if (eat(c, "{")) {
		v->kind = PV_STRUCT;
		return parse_items(c, v, "}", depth);
	}
	if (eat(c, "\"")) {
		v->kind = PV_STR;
		size_t n = 0;
		while (c->p < c->end && *c->p != '"') {
			/* C's escapes, as packetdrill's lexer takes them: \xHH
			 * (the Linux selftests' TCP_FASTOPEN_KEY bytes), \\,
			 * \", \t, \n, \r and \0 ("reno\0", a NUL kept in
			 * str; name and what strlen() reads stop at it). */
			char ch = *c->p++;
			if (ch == '\\' && c->p < c->end) {
				ch = *c->p++;
				ch = ch == 't' ? '\t' : ch == 'n' ? '\n' : ch == 'r' ? '\r' : ch == '0' ? 0 : ch;
				if (ch == 'x' && c->end - c->p >= 2 && isxdigit((unsigned char)c->p[0]) &&
				    isxdigit((unsigned char)c->p[1])) {
					char hx[3] = {c->p[0], c->p[1], 0};
					ch = (char)strtoul(hx, NULL, 16);
					c->p += 2;
				}
			}
			if (n + 1 < sizeof(v->str))
				v->str[n] = ch;
			if (n + 1 < sizeof(v->name))
				v->name[n] = ch;
			n++;
		}
		v->str[n < sizeof(v->str) ? n : sizeof(v->str) - 1] = 0;
		v->slen = (int)(n < sizeof(v->str) ? n : sizeof(v->str) - 1);
		v->name[n < sizeof(v->name) ? n : sizeof(v->name) - 1] = 0;
		return eat(c, "\"");
	}
	/* An integer expression: terms joined by '|'. */
	v->kind = PV_INT;
	v->i = 0;
	for (;;) {
		long long t;
		char name[32];
		if (number(c, &t)) {
			v->i |= t;
		} else if (ident(c, name, sizeof(name))) {
			if (!v->name[0])
				snprintf(v->name, sizeof(v->name), "%s", name);
			if (eat(c, "(")) {
				/* parser.y's inet_addr("..."), inet6_addr("...")
				 * and htons(N) (in a sockaddr): not evaluated. */
				struct pk_val arg;
				memset(&arg, 0, sizeof(arg));
				bool ok = parse_value(c, &arg, depth + 1) && eat(c, ")");
				free_val(&arg);
				if (!ok)
					return false;
				unsup(c->sc, c->line, "'%s(...)'", name);
			} else if (pk_symbol(name, &t)) {
				v->i |= t;
			} else if (!strcmp(name, "TCP_MD5SIG")) {
				/* FreeBSD's form (an int flag, keys from setkey),
				 * or Linux's (struct tcp_md5sig), by the profile. */
				v->i |= c->sc->tcp_md5sig_ok ? GT_TCP_MD5SIG : GT_TCP_MD5SIG_LINUX;
			} else if (is_unsupported_sym(name)) {
				unsup(c->sc, c->line, "'%s'", name);
			} else {
				unsup(c->sc, c->line, "unknown symbol '%s'", name);
			}
		} else {
			return false;
		}
		if (!eat(c, "|"))
			return true;
	}
}

bool pk_af_unspec_arg(const struct pk_call *c, int i)
{
	return i < c->nargs && c->args[i].kind == PV_INT && c->args[i].i == GT_AF_UNSPEC &&
	       !strcmp(c->args[i].name, "AF_UNSPEC");
}

static const char *const known_calls[] = {
	"socket", "bind", "listen", "accept", "connect", "close", "shutdown", "read", "write",
	"send", "recv", "sendto", "recvfrom", "readv", "writev", "setsockopt", "getsockopt",
	"fcntl", "poll", "ioctl", "sendmsg", "recvmsg", "epoll_create", "epoll_create1",
	"epoll_ctl", "epoll_wait",
};

static bool parse_call(struct cur *c, struct pk_call *call)
{
	if (!ident(c, call->name, sizeof(call->name)) || !eat(c, "("))
		return false;
	bool known = false;
	for (size_t i = 0; i < sizeof(known_calls) / sizeof(known_calls[0]); i++)
		known |= !strcmp(known_calls[i], call->name);
	if (!known)
		unsup(c->sc, c->line, "system call %s()", call->name);
	if (!eat(c, ")")) {
		for (;;) {
			if (call->nargs == PK_MAX_ARGS)
				return false;
			struct pk_val *a = &call->args[call->nargs++];
			if (!parse_value(c, a, 0))
				return false;
			if (eat(c, ")"))
				break;
			if (!eat(c, ","))
				return false;
		}
	}
	if (!eat(c, "="))
		return false;
	char name[24];
	if (!number(c, &call->ret)) {
		long long t;
		if (!ident(c, name, sizeof(name)) || !pk_symbol(name, &t))
			return false;
		call->ret = t;
	}
	if (call->ret == -1) {
		/* packetdrill's opt_errno may be left out ("= -1 // EINPROGRESS"
		 * in tcp-testsuite's ecn scripts): any error then (err 0). */
		skip_ws(c);
		if (c->p >= c->end || !strncmp(c->p, "//", 2) || *c->p == '(') {
			/* "= -1 (Invalid Argument)": the note alone, no errno
			 * (packetdrill's opt_errno empty, opt_note after it; the
			 * Linux selftests' sockopt-fastopen-key.pkt). */
			call->err = 0;
			snprintf(call->err_name, sizeof(call->err_name), "(any errno)");
			return true;
		}
		long long e;
		if (!ident(c, call->err_name, sizeof(call->err_name)) || !pk_symbol(call->err_name, &e))
			return false;
		call->err = (int)e;
	}
	/* The rest, "(Operation now in progress)" or "(flags O_RDWR)", is a comment. */
	return true;
}

/* ---- statements ---- */

static struct pk_event *new_event(struct pk_script *sc)
{
	if (sc->nev == sc->cap) {
		int ncap = sc->cap ? sc->cap * 2 : 64;
		if (ncap > 100000)
			return NULL;
		struct pk_event *ne = realloc(sc->ev, (size_t)ncap * sizeof(*ne));
		if (!ne)
			return NULL;
		sc->ev = ne;
		sc->cap = ncap;
	}
	struct pk_event *e = &sc->ev[sc->nev++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* An option's number, whole and within [lo, hi]: a parse error if not. */
static bool option_number(struct pk_script *sc, int line, const char *opt, const char *v,
			  long long lo, long long hi, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(v, &end, 10);
	if (end == v || *end || errno || *out < lo || *out > hi) {
		perr(sc, line, "%s wants a whole number from %lld to %lld, not '%.30s'", opt, lo, hi, v);
		return false;
	}
	return true;
}

static void parse_option_line(struct pk_script *sc, int line, const char *s)
{
	long long v;
	if (!strncmp(s, "--tolerance_usecs=", 18)) {
		if (option_number(sc, line, "--tolerance_usecs", s + 18, 0, PK_TIME_MAX_US, &v))
			sc->tolerance_us = sc->tolerance_script_us = v, sc->tolerance_script = true;
	} else if (!strncmp(s, "--tcp_ts_tick_usecs=", 20)) {
		if (option_number(sc, line, "--tcp_ts_tick_usecs", s + 20, 0, 1000000, &v))
			sc->ts_tick_us = v, sc->ts_tick_script = true;
	} else if (!strncmp(s, "--tcp_md5_secret=", 17)) {
		size_t n = strlen(s + 17);
		if (n < 1 || n >= sizeof(sc->md5_secret))
			perr(sc, line, "--tcp_md5_secret wants 1 to 80 bytes");
		else
			memcpy(sc->md5_secret, s + 17, n + 1);
	} else if (!strncmp(s, "--mtu=", 6)) {
		if (option_number(sc, line, "--mtu", s + 6, 68, 65535, &v))
			sc->mtu = (int)v;
	} else if (!strncmp(s, "--mss=", 6)) {
		if (option_number(sc, line, "--mss", s + 6, 1, 65535, &v))
			sc->gso_mss = (int)v;
	} else if (!strncmp(s, "--ip_version=", 13)) {
		/* google/packetdrill's names (ipv4-mapped-ipv6, ipv4_mapped_ipv6,
		 * config.c's OPT_IP_VERSION), maybe in quotes as its lexer takes
		 * them (inet-diag-ipv4-mapped-ipv6.pkt); ipv4-mapped-v6 too. */
		char ver[32] = "";
		size_t vl = strlen(s + 13);
		bool quoted = vl >= 2 && s[13] == '"' && s[13 + vl - 1] == '"';
		if (quoted)
			vl -= 2;
		if (vl < sizeof(ver))
			memcpy(ver, s + 13 + quoted, vl);
		ver[vl < sizeof(ver) ? vl : 0] = 0;
		if (pk_ipver_from_name(ver, &sc->ipver))
			sc->ipver_script = true;
		else
			unsup(sc, line, "IP version %s", ver);
	} else if (!strncmp(s, "--non_fatal=", 12)) {
		/* packetdrill's list: syscall and packet. A packet mismatch
		 * let through would pass what failed: not run. */
		for (const char *tok = s + 12; *tok;) {
			size_t n = strcspn(tok, ",");
			if (n == 7 && !strncmp(tok, "syscall", 7))
				sc->non_fatal_syscall = true;
			else
				unsup(sc, line, "option --non_fatal=%.*s", (int)n, tok);
			tok += n + (tok[n] == ',');
		}
	} else if (!strcmp(s, "--strict_segments")) {
		/* packetdrill: each outbound packet judged alone, none taken
		 * as a GSO/TSO burst to split. What both back-ends do: the
		 * kernel's TUN has no offload (TUNSETOFFLOAD is not set), and
		 * glasstcp hands the device each segment. */
	} else if (!strcmp(s, "--udp_encapsulation=tcp")) {
		sc->udp_encaps_tcp = true; /* packetdrill's udp_encaps = IPPROTO_TCP */
	} else if (!strncmp(s, "--udp_encapsulation", 19)) {
		unsup(sc, line, "option %s (only TCP in UDP, =tcp)", s);
	} else if (!strncmp(s, "--tolerance_percent=", 20)) {
		if (option_number(sc, line, "--tolerance_percent", s + 20, 0, 100, &v))
			sc->tolerance_pct = (int)v;
	} else if (!strncmp(s, "--bind_port=", 12)) {
		if (option_number(sc, line, "--bind_port", s + 12, 1, 65535, &v))
			sc->bind_port = (uint16_t)v;
	} else if (!strncmp(s, "--tolerance_percent", 19) || !strncmp(s, "--bind_port", 11) ||
		   !strncmp(s, "--connect_port", 14)) {
		unsup(sc, line, "option %s", s);
	}
	/* Other options (addresses, device names) mean nothing in-process. */
}

static void parse_statement(struct pk_script *sc, int line, const char *s, size_t len,
			    int64_t *last_us)
{
	struct cur c = {s, s + len, line, sc};
	struct pk_event *e = new_event(sc);
	if (!e) {
		perr(sc, line, "too many events");
		return;
	}
	e->line = line;
	/* Time; a backtick command or a code block may stand without one. */
	int64_t t;
	skip_ws(&c);
	if (c.p < c.end && (*c.p == '`' || peek_is(&c, "%{"))) {
		e->t_us = *last_us;
	} else if (eat(&c, "*")) {
		e->any_time = true;
		e->rel_time = true; /* whenever after the event before */
		e->t_us = *last_us;
	} else {
		bool rel = eat(&c, "+");
		if (!seconds(&c, &t)) {
			perr(sc, line, "expected a time at the start of the line");
			return;
		}
		e->t_us = rel ? *last_us + t : t;
		e->rel_time = rel;
		if (e->t_us > PK_TIME_MAX_US) {
			perr(sc, line, "time beyond %lld s", PK_TIME_MAX_US / 1000000);
			return;
		}
		if (eat(&c, "~")) {
			bool rel2 = eat(&c, "+");
			int64_t t2;
			if (!seconds(&c, &t2)) {
				perr(sc, line, "bad time range");
				return;
			}
			e->has_range = true;
			e->t_end_us = rel2 ? *last_us + t2 : t2;
			if (e->t_end_us > PK_TIME_MAX_US) {
				perr(sc, line, "time beyond %lld s", PK_TIME_MAX_US / 1000000);
				return;
			}
		}
	}
	if (eat(&c, "...")) {
		int64_t t2;
		bool rel2 = eat(&c, "+");
		if (!seconds(&c, &t2)) {
			perr(sc, line, "bad blocking time after '...'");
			return;
		}
		e->blocking = true;
		/* "+0.1...0.3": packetdrill's adjust_relative_event_times()
		 * adds the offset of a relative call (the event before's time)
		 * to its end as well: 0.3 after the event before, not at 0.3.
		 * "...+0.3" (glasstcp's): 0.3 after the call starts. */
		e->t_end_us = rel2 ? e->t_us + t2 : e->rel_time ? *last_us + t2 : t2;
		if (e->t_end_us > PK_TIME_MAX_US) {
			perr(sc, line, "time beyond %lld s", PK_TIME_MAX_US / 1000000);
			return;
		}
	}
	*last_us = e->t_us;
	skip_ws(&c);
	if (c.p >= c.end) {
		perr(sc, line, "a time with no action");
		return;
	}
	if (*c.p == '<' || *c.p == '>') {
		e->kind = PE_PACKET;
		if (!parse_packet(&c, &e->pkt))
			perr(sc, line, "cannot parse the packet near '%.30s'", c.p);
	} else if (*c.p == '`') {
		e->kind = PE_SHELL;
		const char *q = memchr(c.p + 1, '`', (size_t)(c.end - c.p - 1));
		if (!q) {
			perr(sc, line, "unterminated backtick command");
			return;
		}
		e->text = strndup(c.p + 1, (size_t)(q - c.p - 1));
		c.p = q + 1;
	} else if (peek_is(&c, "%{")) {
		e->kind = PE_CODE;
		const char *q = strstr(c.p, "}%");
		if (!q || q > c.end) {
			perr(sc, line, "unterminated %%{ block");
			return;
		}
		e->text = strndup(c.p + 2, (size_t)(q - c.p - 2));
		c.p = q + 2;
	} else {
		e->kind = PE_CALL;
		if (!parse_call(&c, &e->call))
			perr(sc, line, "cannot parse the system call near '%.30s'", c.p);
		return; /* the trailing comment is free text */
	}
	skip_ws(&c);
	if (c.p < c.end && !sc->err_line)
		perr(sc, line, "unexpected text '%.30s'", c.p);
}

/* ---- the preprocessor and statement splitter ---- */

static bool defined(const char *name, enum gt_profile profile)
{
	if (profile == GT_PROFILE_FREEBSD)
		return !strcmp(name, "FreeBSD") || !strcmp(name, "__FreeBSD__");
	return !strcmp(name, "Linux") || !strcmp(name, "linux") || !strcmp(name, "__linux__");
}

/* sc->remote_rel (pk_internal.h) and each inbound SYN's risn: a TCP
 * segment of the peer's numbered below the SYN (above 0) that named its
 * ISN. */
static void remote_numbering(struct pk_script *sc)
{
	uint32_t isn[PK_TUPLES] = {0};
	bool known[PK_TUPLES] = {false};
	for (int i = 0; i < sc->nev; i++) {
		struct pk_event *e = &sc->ev[i];
		struct pk_pkt *p = &e->pkt;
		if (e->kind == PE_CALL && (!strcmp(e->call.name, "socket") ||
					   !strcmp(e->call.name, "listen") ||
					   !strcmp(e->call.name, "connect")))
			memset(known, 0, sizeof(known));
		if (e->kind != PE_PACKET || p->out || p->icmp || p->seq_abs || p->tuple >= PK_TUPLES)
			continue;
		if ((p->flags & TH_SYN) && !known[p->tuple]) {
			p->risn = true;
			isn[p->tuple] = p->seq;
			known[p->tuple] = true;
		} else if (!(p->flags & TH_SYN) && p->seq < isn[p->tuple]) {
			sc->remote_rel = true;
		}
	}
}

bool pk_ipver_from_name(const char *name, enum pk_ipver *out)
{
	if (!strcmp(name, "ipv4"))
		*out = PK_IPV4;
	else if (!strcmp(name, "ipv6"))
		*out = PK_IPV6;
	else if (!strcmp(name, "ipv4-mapped-ipv6") || !strcmp(name, "ipv4_mapped_ipv6") ||
		 !strcmp(name, "ipv4-mapped-v6"))
		*out = PK_IPV4_MAPPED;
	else
		return false;
	return true;
}

const char *pk_ipver_name(enum pk_ipver v)
{
	return v == PK_IPV6 ? "ipv6" : v == PK_IPV4_MAPPED ? "ipv4-mapped-ipv6" : "ipv4";
}

/* "// pktrun-ip-versions: V [V...] -- WHY" at the start of a line: the
 * IP versions a script has a meaning in (an IPv4 option, a TTL, an IPv4
 * ICMP message), for runs of a whole suite in another (pktrun
 * --ip-version), which skip it with WHY. A name it does not know, none,
 * or no WHY, is a parse error: a mark nobody can read would skip in
 * silence. */
static void ip_versions_mark(struct pk_script *sc, const char *text, size_t len)
{
	static const char mark[] = "// pktrun-ip-versions:";
	const size_t ml = sizeof(mark) - 1;
	int line = 1;
	for (size_t i = 0; i < len; line++) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		if (e - i > ml && !memcmp(text + i, mark, ml)) {
			char buf[256];
			size_t n = e - i - ml < sizeof(buf) - 1 ? e - i - ml : sizeof(buf) - 1;
			memcpy(buf, text + i + ml, n);
			buf[n] = 0;
			char *why = strstr(buf, " -- ");
			if (why)
				*why = 0, why += 4;
			while (why && *why == ' ')
				why++;
			if (!why || !*why) {
				perr(sc, line, "pktrun-ip-versions: wants 'V... -- WHY' (the reason)");
				return;
			}
			for (char *save, *tok = strtok_r(buf, " ,", &save); tok;
			     tok = strtok_r(NULL, " ,", &save)) {
				enum pk_ipver v;
				if (!pk_ipver_from_name(tok, &v)) {
					perr(sc, line,
					     "pktrun-ip-versions: '%.30s' is no IP version (ipv4, ipv6, "
					     "ipv4-mapped-ipv6)",
					     tok);
					return;
				}
				sc->ipver_only |= PK_IPVER_BIT(v);
			}
			if (!sc->ipver_only) {
				perr(sc, line, "pktrun-ip-versions: names no IP version");
				return;
			}
			snprintf(sc->ipver_only_why, sizeof(sc->ipver_only_why), "%s", why);
		}
		i = e + 1;
	}
}

void pk_parse(struct pk_script *sc, const char *text, size_t len, enum gt_profile profile)
{
	ip_versions_mark(sc, text, len);
	sc->tolerance_us = sc->tolerance_script_us = 4000; /* packetdrill's default */
	sc->bind_port = PK_BIND_PORT;
	sc->tcp_md5sig_ok = profile == GT_PROFILE_FREEBSD;
	/* Copy with comments blanked (newlines kept for line numbers). */
	char *buf = malloc(len + 1);
	if (!buf) {
		perr(sc, 1, "out of memory");
		return;
	}
	size_t o = 0;
	bool in_block = false, in_tick = false, in_code = false;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (ch == 0) {
			perr(sc, 1, "NUL byte in the script");
			free(buf);
			return;
		}
		if (in_block) {
			if (ch == '*' && i + 1 < len && text[i + 1] == '/') {
				in_block = false;
				buf[o++] = ' ';
				buf[o++] = ' ';
				i++;
			} else {
				buf[o++] = ch == '\n' ? '\n' : ' ';
			}
			continue;
		}
		if (!in_tick && !in_code && ch == '/' && i + 1 < len && text[i + 1] == '/') {
			while (i < len && text[i] != '\n')
				i++;
			if (i < len)
				buf[o++] = '\n';
			continue;
		}
		if (!in_tick && !in_code && ch == '/' && i + 1 < len && text[i + 1] == '*') {
			in_block = true;
			buf[o++] = ' ';
			continue;
		}
		if (!in_code && ch == '`')
			in_tick = !in_tick;
		if (!in_tick && ch == '%' && i + 1 < len && text[i + 1] == '{')
			in_code = true;
		if (in_code && ch == '}' && i + 1 < len && text[i + 1] == '%')
			in_code = false;
		buf[o++] = ch;
	}
	buf[o] = 0;

	/* Walk lines: #ifdef stack, option lines, statements joined while
	 * brackets are open or a %{ block is not closed. */
	bool active[32] = {true};
	bool taken[32] = {true};
	int depth = 0;
	int64_t last_us = 0;
	char *stmt = NULL;
	size_t stmt_len = 0, stmt_cap = 0;
	int stmt_line = 0, nest = 0;
	bool code_open = false, tick_open = false;
	int line = 0;
	for (char *p = buf; *p && !sc->err_line;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		line++;
		char *s = p;
		p = nl ? nl + 1 : p + n;
		while (n && isspace((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		if (!stmt_len && n && *s == '#') {
			char word[16] = {0}, arg[64] = {0};
			sscanf(s, "#%15s %63s", word, arg);
			if (!strcmp(word, "ifdef") || !strcmp(word, "ifndef")) {
				if (depth == 31) {
					perr(sc, line, "#ifdef nested too deep");
					break;
				}
				bool d = defined(arg, profile);
				bool on = !strcmp(word, "ifdef") ? d : !d;
				depth++;
				active[depth] = active[depth - 1] && on;
				taken[depth] = on;
			} else if (!strcmp(word, "else")) {
				if (!depth) {
					perr(sc, line, "#else without #ifdef");
					break;
				}
				active[depth] = active[depth - 1] && !taken[depth];
			} else if (!strcmp(word, "endif")) {
				if (!depth) {
					perr(sc, line, "#endif without #ifdef");
					break;
				}
				depth--;
			} else if (active[depth] && strcmp(word, "define") != 0) {
				unsup(sc, line, "preprocessor directive #%s", word);
			}
			continue;
		}
		if (!active[depth] || !n)
			continue;
		if (!stmt_len && n >= 2 && s[0] == '-' && s[1] == '-') {
			char opt[128];
			snprintf(opt, sizeof(opt), "%.*s", (int)n, s);
			parse_option_line(sc, line, opt);
			continue;
		}
		if (stmt_len + n + 2 > stmt_cap) {
			stmt_cap = (stmt_len + n + 2) * 2;
			char *ns = realloc(stmt, stmt_cap);
			if (!ns) {
				perr(sc, line, "out of memory");
				break;
			}
			stmt = ns;
		}
		if (!stmt_len)
			stmt_line = line;
		else
			stmt[stmt_len++] = '\n';
		memcpy(stmt + stmt_len, s, n);
		stmt_len += n;
		stmt[stmt_len] = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '`' && !code_open) {
				tick_open = !tick_open;
				continue;
			}
			if (tick_open)
				continue;
			if (s[i] == '%' && i + 1 < n && s[i + 1] == '{')
				code_open = true;
			else if (s[i] == '}' && i + 1 < n && s[i + 1] == '%')
				code_open = false;
			else if (!code_open && (s[i] == '(' || s[i] == '[' || s[i] == '{'))
				nest++;
			else if (!code_open && (s[i] == ')' || s[i] == ']' || s[i] == '}'))
				nest--;
		}
		if (nest > 0 || code_open || tick_open)
			continue;
		nest = 0;
		parse_statement(sc, stmt_line, stmt, stmt_len, &last_us);
		stmt_len = 0;
	}
	if (!sc->err_line && stmt_len)
		perr(sc, stmt_line, "statement not closed at the end of the script");
	if (!sc->err_line && depth)
		perr(sc, line, "#ifdef without #endif");
	remote_numbering(sc);
	free(stmt);
	free(buf);
}


void pk_script_free(struct pk_script *sc)
{
	for (int i = 0; i < sc->nev; i++) {
		free(sc->ev[i].text);
		for (int a = 0; a < sc->ev[i].call.nargs; a++)
			free_val(&sc->ev[i].call.args[a]);
	}
	free(sc->ev);
	sc->ev = NULL;
	sc->nev = 0;
}

int64_t pk_script_end_us(const struct pk_script *sc)
{
	int64_t end = 0;
	for (int i = 0; i < sc->nev; i++) {
		const struct pk_event *e = &sc->ev[i];
		if (e->t_us > end)
			end = e->t_us;
		if ((e->has_range || e->blocking) && e->t_end_us > end)
			end = e->t_end_us;
	}
	return end;
}

/* A FreeBSD sysctl name (net.inet.*, net.inet6.*, kern.ipc.*) at p: Linux
 * names its TCP settings net.ipv4.* / net.core.*, so the name alone says
 * which kernel the script was written for. */
static bool bsd_sysctl_at(const char *p)
{
	if (!strncmp(p, "kern.ipc.", 9))
		return true;
	return !strncmp(p, "net.inet", 8) && (p[8] == '.' || p[8] == '6');
}

/* The profile a script asks for when the command line names none: FreeBSD
 * where a backtick command, outside comments, names a FreeBSD sysctl (every
 * script of the community FreeBSD suite sets net.inet.tcp.* and kern.ipc.*
 * this way, and FreeBSD's packetdrill runs the command), Linux otherwise.
 * Never the file's path: a script runs the same wherever it is kept. */
enum gt_profile pk_guess_profile(const char *text)
{
	bool in_tick = false;
	for (const char *p = text; p && *p; p++) {
		if (!in_tick && p[0] == '/' && p[1] == '/') {
			p = strchr(p, '\n');
			if (!p)
				break;
			continue;
		}
		if (!in_tick && p[0] == '/' && p[1] == '*') {
			p = strstr(p + 2, "*/");
			if (!p)
				break;
			p++;
			continue;
		}
		if (*p == '`')
			in_tick = !in_tick;
		else if (*p == '\n')
			in_tick = false; /* a backtick command ends with its line */
		else if (in_tick && bsd_sysctl_at(p))
			return GT_PROFILE_FREEBSD;
	}
	return GT_PROFILE_LINUX;
}
