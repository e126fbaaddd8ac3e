/* gt_stack_free() with sockets still open: the data a connection left
 * unread when it ended (the socket owns that ring, sock_conn_gone()) is
 * freed with the stack. Fails under ASan's leak checker (make check's ASan
 * build) without sock_fini(). */
#include "dlg.h"

TEST(stack_free_releases_unread_data_of_ended_connections)
{
	struct dlg *d = dlg_new(NULL);
	dlg_established_passive(d);
	ASSERT_EQ(gt_send(d->s, d->sd, "abc", 3, 0), 3);
	dlg_drain(d);
	d->snd_nxt += 3;
	dlg_peer_data(d, "xyz", 3); /* never read */
	dlg_advance(d, 200000);
	dlg_drain(d);
	ASSERT_EQ(gt_shutdown(d->s, d->sd, GT_SHUT_WR), 0);
	dlg_drain(d);
	d->snd_nxt++;
	dlg_peer_ack(d);
	dlg_peer_fin(d);
	dlg_drain(d);
	ASSERT_EQ(dlg_timewait(d), 1);
	ASSERT_EQ(dlg_conns(d), 0); /* the TCB is gone, the socket holds "xyz" */
	char buf[8];
	ASSERT_EQ(gt_recv(d->s, d->sd, buf, 2, GT_MSG_PEEK), 2);
	dlg_free(d); /* no close(): the stack frees what the socket holds */
}
