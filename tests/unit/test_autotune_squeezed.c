/* tcp_autotune_lx_squeezed(), Linux's __tcp_select_window() ending quick-ACK
 * mode ("icsk->icsk_ack.quick = 0" where free_space < full_space / 2):
 * with net.ipv4.tcp_shrink_window and a window scale, the
 * shrink_window_allowed path rounds the free space down to the scale
 * before it compares (Linux 6.18 net/ipv4/tcp_output.c); without the
 * sysctl (or without a scale) it compares first and rounds after. */
#include <string.h>

#include "harness.h"
#include "null_device.h"

#include <glasstcp/glasstcp.h>

#include "stack_internal.h"
#include "tcp/tcp.h"

/* A 32,768-byte buffer at the ratio 200/256: full space 25,600 (half
 * 12,800, not a multiple of 1 << 10); 16,128 bytes held leave 13,000 of
 * window, over half the full space, 12 << 10 = 12,288 rounded down. */
static void squeezed_conn(struct tcp_conn *c, uint8_t wscale)
{
	memset(c, 0, sizeof(*c));
	c->rcv.cap = 32768;
	c->rcv.mem = 16128;
	c->rcv_ratio = 200;
	c->ws_ok = wscale != 0;
	c->rcv_wscale = wscale & 15u;
}

TEST(autotune_lx_squeezed_rounds_down_under_shrink_window)
{
	gt_stack *s = null_device_stack(GT_PROFILE_LINUX);
	struct tcp_conn c;
	squeezed_conn(&c, 10);
	s->cfg.rcv_wnd_shrink = false;
	ASSERT(!tcp_autotune_lx_squeezed(s, &c)); /* 13,000 >= 12,800 */
	s->cfg.rcv_wnd_shrink = true;
	ASSERT(tcp_autotune_lx_squeezed(s, &c)); /* 12,288 < 12,800 */
	/* No scale: the never-shrink path whatever the sysctl. */
	squeezed_conn(&c, 0);
	ASSERT(!tcp_autotune_lx_squeezed(s, &c));
	/* Well under half: squeezed either way. */
	squeezed_conn(&c, 10);
	c.rcv.mem = 20000;
	s->cfg.rcv_wnd_shrink = false;
	ASSERT(tcp_autotune_lx_squeezed(s, &c));
	gt_stack_free(s);
}
