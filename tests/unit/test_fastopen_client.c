/* TCP Fast Open's client side (src/tcp/tcp_fastopen.c): the cookie cache
 * Linux keeps in tcp_metrics (tcp_fastopen_cache_set(), _get()) as
 * glasstcp bounds it, and what a SYN carries from it
 * (tcp_fastopen_cookie_check(), tcp_send_syn_data()'s room). */
#include <string.h>

#include "harness.h"
#include "null_device.h"

#include "tcp/tcp.h"

/* An active open to 192.0.2.n whose SYN asked for a cookie. */
static struct tcp_conn asking(uint32_t n)
{
	struct tcp_conn c;
	memset(&c, 0, sizeof c);
	c.laddr = ip_addr_v4(0xc0a80001);
	c.faddr = ip_addr_v4(0xc0000200 + n);
	c.rcv_mss = 1460;
	c.state = GT_TCP_SYN_SENT;
	c.defer_acked = true; /* tcp_tfo_syn() */
	return c;
}

static struct tcp_opts synack(uint8_t tag, uint16_t mss)
{
	struct tcp_opts o;
	memset(&o, 0, sizeof o);
	o.has_mss = true;
	o.mss = mss;
	o.has_fo = true;
	o.fo_len = 8;
	memset(o.fo, tag, 8);
	return o;
}

/* The SYN-ACK's cookie and MSS are cached; the next SYN to that peer
 * carries the cookie and min(cached MSS, ours) - 40 bytes; another peer
 * asks (an empty option, no data). */
TEST(fastopen_client_cache_gives_cookie_and_room)
{
	gt_stack *s = null_device_stack(GT_PROFILE_LINUX);
	struct tcp_conn c = asking(1);
	struct tcp_opts o = synack(0xab, 1000);
	ASSERT(!tcp_fastopen_synack(s, &c, &o, false, false));
	ASSERT(!c.defer_acked); /* no data: no syn_data_acked */
	struct tcp_conn next = asking(1);
	struct tcp_opts fo;
	uint32_t space;
	ASSERT(tcp_fastopen_client_plan(s, &next, false, &fo, &space));
	ASSERT(fo.has_fo && !fo.fo_exp);
	ASSERT_EQ(fo.fo_len, 8);
	ASSERT_EQ(fo.fo[0], 0xab);
	ASSERT_EQ(space, 960u);
	struct tcp_conn other = asking(2);
	ASSERT(!tcp_fastopen_client_plan(s, &other, false, &fo, &space));
	ASSERT(fo.has_fo && fo.fo_len == 0);
	ASSERT_EQ(space, 0u);
	/* No cookie needed (the socket's TCP_FASTOPEN_NO_COOKIE): data, no option. */
	ASSERT(tcp_fastopen_client_plan(s, &other, true, &fo, &space));
	ASSERT(!fo.has_fo);
	ASSERT_EQ(space, 1420u);
	gt_stack_free(s);
}

/* Bounded: a peer past GT_TFO_CACHE evicts the least recently used one,
 * counted; a SYN-ACK that leaves SYN data unacknowledged asks for its
 * resend and counts TcpFastOpenActiveFail, one that takes it all sets
 * syn_data_acked and counts TcpFastOpenActive. */
TEST(fastopen_client_cache_bounded_lru)
{
	gt_stack *s = null_device_stack(GT_PROFILE_LINUX);
	for (uint32_t i = 0; i < GT_TFO_CACHE; i++) {
		struct tcp_conn c = asking(i);
		struct tcp_opts o = synack((uint8_t)(i + 1), 1460);
		ASSERT(!tcp_fastopen_synack(s, &c, &o, false, false));
	}
	ASSERT_EQ(s->st.TcpFastOpenCacheEvicted, 0u);
	struct tcp_opts fo;
	uint32_t space;
	struct tcp_conn first = asking(0);
	ASSERT(tcp_fastopen_client_plan(s, &first, false, &fo, &space)); /* peer 0 used: peer 1 is oldest */
	struct tcp_conn c = asking(GT_TFO_CACHE);
	struct tcp_opts o = synack(0xee, 1460);
	c.snd_una = 1; /* its SYN carried data (tcp_tfo_syn_data()) */
	ASSERT(tcp_fastopen_synack(s, &c, &o, true, true));
	ASSERT_EQ(s->st.TcpFastOpenActiveFail, 1u);
	ASSERT_EQ(s->st.TcpFastOpenCacheEvicted, 1u);
	struct tcp_conn one = asking(1);
	ASSERT(!tcp_fastopen_client_plan(s, &one, false, &fo, &space));
	ASSERT(tcp_fastopen_client_plan(s, &first, false, &fo, &space));
	struct tcp_conn again = asking(GT_TFO_CACHE);
	ASSERT(!tcp_fastopen_synack(s, &again, &o, true, false));
	ASSERT(again.defer_acked);
	ASSERT_EQ(s->st.TcpFastOpenActive, 1u);
	gt_stack_free(s);
}
