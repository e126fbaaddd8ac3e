/* RFC 5961 challenge ACKs against the per-connection limit on answers to
 * unacceptable segments, per profile. Linux's tcp_send_challenge_ack()
 * checks the connection's last_oow_ack_time first, whatever the segment
 * carried, so an in-window RST just after an out-of-window ACK draws no
 * challenge (swarm seed 73137590: the handshake's last ACK arrived late,
 * was answered, and the client's abort RST 457 ms later found the server
 * silent: a half-open server). FreeBSD's tcp_send_challenge_ack() counts
 * challenges apart (t_challenge_ack_cnt). */
#include "dlg.h"

#define MS 1000ull

static struct dlg *established(bool freebsd)
{
	struct gt_config cfg;
	dlg_config(&cfg);
	struct gt_config prof;
	gt_config_default(&prof, freebsd ? GT_PROFILE_FREEBSD : GT_PROFILE_LINUX);
	cfg.oow_ack_window_ms = prof.oow_ack_window_ms;
	cfg.oow_ack_burst = prof.oow_ack_burst;
	cfg.oow_ack_limit_data = prof.oow_ack_limit_data;
	cfg.chack_own_limit = prof.chack_own_limit;
	cfg.rfc5961 = true;
	struct dlg *d = dlg_new(&cfg);
	dlg_established_passive(d);
	/* Three bytes from the peer, ACKed: RCV.NXT is past the handshake. */
	dlg_peer_data(d, "abc", 3);
	dlg_advance(d, d->cfg.delack_us);
	dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	return d;
}

/* A bare ACK below RCV.NXT (a reordered old ACK): unacceptable, answered
 * with an ACK when the connection's limit allows. */
static bool old_ack_answered(struct dlg *d)
{
	dlg_send(d, TH_ACK, d->peer_nxt - 3, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
	if (!dlg_pending(d))
		return false;
	dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	return true;
}

/* An RST in the window, not at RCV.NXT (RFC 5961 3.2): the peer aborted
 * with data of its own still unacknowledged. */
static void rst_in_window(struct dlg *d)
{
	dlg_send(d, TH_RST | TH_ACK, d->peer_nxt + 100, d->snd_nxt, DLG_WIN, NULL, 0, NULL);
}

TEST(challenge_profiles_set_their_limits)
{
	struct gt_config c;
	gt_config_default(&c, GT_PROFILE_LINUX);
	ASSERT_EQ(c.chack_own_limit, false);
	gt_config_default(&c, GT_PROFILE_FREEBSD);
	ASSERT_EQ(c.chack_own_limit, true);
}

/* Linux: the out-of-window ACK took the connection's one answer per
 * 500 ms; the RST 457 ms later is counted (TCPACKSkippedChallenge) and
 * unanswered. The next one after the period is challenged, and the peer's
 * answer, an RST at RCV.NXT, ends the connection. */
TEST(challenge_rst_after_oow_ack_held_linux)
{
	struct dlg *d = established(false);
	ASSERT(old_ack_answered(d));
	dlg_advance(d, 457 * MS);
	rst_in_window(d);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 0);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 1);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_advance(d, 50 * MS);
	rst_in_window(d);
	dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 1);
	dlg_peer_rst(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

/* Linux's tcp_send_challenge_ack() uses __tcp_oow_rate_limited(), which
 * exempts no segment: an old ACK (RFC 5961 5.2) riding on data is held
 * like a bare one, where a plain out-of-window data segment would be
 * answered (tcp_oow_rate_limited()). */
TEST(challenge_on_data_shares_the_limit_linux)
{
	struct dlg *d = established(false);
	ASSERT(old_ack_answered(d));
	dlg_advance(d, 100 * MS);
	uint32_t too_old = d->snd_nxt - DLG_WIN - 10;
	dlg_send(d, TH_PSH | TH_ACK, d->peer_nxt, too_old, DLG_WIN, "xyz", 3, NULL);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 0);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 1);
	dlg_free(d);
}

/* FreeBSD: five dupACKs spend the ACK-war budget (ack_war_cnt), yet the
 * RST is challenged from its own (t_challenge_ack_cnt), and the peer's
 * RST at RCV.NXT resets. Five challenges a second, then silence. */
TEST(challenge_rst_after_oow_acks_sent_freebsd)
{
	struct dlg *d = established(true);
	for (int i = 0; i < 5; i++)
		ASSERT(old_ack_answered(d));
	ASSERT(!old_ack_answered(d));
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 1);
	dlg_advance(d, 100 * MS);
	for (int i = 0; i < 7; i++)
		rst_in_window(d);
	for (int i = 0; i < 5; i++)
		dlg_expect(d, TH_ACK, d->snd_nxt, d->peer_nxt);
	dlg_expect_none(d);
	ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 5);
	ASSERT_EQ(dlg_stats(d)->TcpAckSkipped, 3);
	ASSERT_EQ(dlg_conns(d), 1);
	dlg_peer_rst(d);
	ASSERT_EQ(dlg_conns(d), 0);
	dlg_free(d);
}

/* A SYN out of the window is challenged as one in it (Linux's
 * syn_challenge; FreeBSD checks SYNs before the window): counted, and
 * under RFC 5961 7's stack-wide limit. */
TEST(challenge_syn_out_of_window_is_a_challenge)
{
	for (int p = 0; p < 2; p++) {
		struct dlg *d = established(p == 1);
		d->cfg.challenge_ack_per_s = 1;
		gt_stack_set_config(d->s, &d->cfg);
		dlg_send(d, TH_SYN, d->peer_nxt + 10 * DLG_WIN, 0, DLG_WIN, NULL, 0, NULL);
		dlg_expect_only(d, TH_ACK, d->snd_nxt, d->peer_nxt);
		ASSERT_EQ(dlg_stats(d)->TcpChallengeAcks, 1);
		/* The stack's one challenge this second is spent. */
		dlg_advance(d, 600 * MS);
		dlg_send(d, TH_SYN, d->peer_nxt + 10 * DLG_WIN, 0, DLG_WIN, NULL, 0, NULL);
		dlg_expect_none(d);
		ASSERT_EQ(dlg_stats(d)->TcpChallengeAckLimited, 1);
		ASSERT_EQ(dlg_conns(d), 1);
		dlg_free(d);
	}
}
