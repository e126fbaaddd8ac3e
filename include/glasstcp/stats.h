/* glasstcp: counters and trace events.
 *
 * Counter names follow RFC 4022 (TCP-MIB), RFC 4293 (IP-MIB) and Linux's
 * TcpExt where one exists, so a network engineer recognises them.
 */
#ifndef GLASSTCP_STATS_H
#define GLASSTCP_STATS_H

#include <glasstcp/stack.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: name, description. The struct below and the printer use it. */
#define GT_STATS_FIELDS(X)                                                        \
	X(IpInReceives, "IP packets received")                                    \
	X(IpInHdrErrors, "IP packets with a bad header or checksum")              \
	X(IpInAddrErrors, "IP packets not for one of our addresses")              \
	X(IpInUnknownProtos, "IP packets of an unknown protocol")                 \
	X(IpReasmReqds, "IP fragments received for reassembly")                  \
	X(IpReasmOKs, "IP datagrams reassembled")                                 \
	X(IpReasmFails, "IP reassembly failures (datagrams or fragments dropped)") \
	X(IpReasmTimeout, "IP datagrams dropped unfinished at their deadline")    \
	X(IpReasmOverlaps, "IP datagrams dropped for overlapping fragments")      \
	X(ReasmOverLimit, "fragments dropped: no free context or byte budget")    \
	X(ReasmEvicted, "datagrams in reassembly ended to make room for a new one") \
	X(IcmpOutTimeExcds, "ICMP time exceeded sent (reassembly timeout)")       \
	X(IpInDelivers, "IP packets delivered to TCP or ICMP")                    \
	X(IpOutRequests, "IP packets sent")                                       \
	X(IpOutDiscards, "IP packets the device refused")                         \
	X(IpOutQueueFull, "IPv4 and IPv6 packets the device refused with its queue full (-ENOBUFS, -EAGAIN: local congestion; Linux counts them in the qdisc's drops)") \
	X(IpPmtuCacheEvicted, "path MTUs learnt that gave way to another destination's (the cache was full)") \
	X(IcmpInMsgs, "ICMP messages received")                                   \
	X(IcmpInErrors, "ICMP messages malformed or with a bad checksum")         \
	X(IcmpInEchos, "ICMP echo requests received")                             \
	X(IcmpOutEchoReps, "ICMP echo replies sent")                              \
	X(IcmpInDestUnreachs, "ICMP destination-unreachable received")            \
	X(TcpActiveOpens, "connections from CLOSED to SYN-SENT")                  \
	X(TcpPassiveOpens, "connections from LISTEN to SYN-RECEIVED")             \
	X(TcpAttemptFails, "SYN-SENT/SYN-RECEIVED to CLOSED or LISTEN")           \
	X(TcpEstabResets, "ESTABLISHED/CLOSE-WAIT to CLOSED by RST")              \
	X(TcpCurrEstab, "connections in ESTABLISHED or CLOSE-WAIT now")           \
	X(TcpInSegs, "segments received")                                         \
	X(TcpOutSegs, "segments sent, retransmissions excluded")                  \
	X(TcpRetransSegs, "segments retransmitted")                               \
	X(TcpRetransFail, "retransmissions the device refused, queue full (TCPRetransFail)") \
	X(TcpTxRefused, "data or FIN segments the device refused, queue full: not sent") \
	X(TcpInErrs, "segments with a bad checksum, length or data offset")       \
	X(TcpInBadOpts, "malformed options ignored (wrong size, or ending the parse)") \
	X(TcpOutRsts, "segments sent with RST")                                   \
	X(TcpInRsts, "segments received with RST")                                \
	X(TcpNoPort, "segments for no connection or listener")                    \
	X(TcpUdpTunIn, "UDP datagrams to the tunneling port decapsulated (tcps_tunneled_pkts)") \
	X(TcpUdpTunErrs, "tunneled datagrams dropped: short, bad length or checksum (tcps_tunneled_errs)") \
	X(TcpUdpTunPortRst, "segments refused: UDP port not the connection's (RST)") \
	X(TcpUdpTunFull, "tunneled connections refused: udp_tun_max_conns reached") \
	X(TcpBlackholed, "segments to a closed port dropped unanswered (blackhole)") \
	X(TcpMd5Good, "segments with a right MD5 signature (RFC 2385)")           \
	X(TcpMd5Bad, "segments dropped: a wrong MD5 signature")                   \
	X(TcpMd5Missing, "segments dropped: unsigned where a signature is due")   \
	X(TcpMd5NoKey, "segments dropped, in or out: no MD5 key for the pair")    \
	X(TcpMd5KeysFull, "MD5 keys refused: the key table is full")             \
	X(TcpMd5Unexpected, "segments dropped: signed where no key is (Linux)")   \
	X(TcpFastRetrans, "fast retransmits")                                     \
	X(TcpTimeouts, "retransmission timeouts")                                 \
	X(TcpProgDrops, "connections dropped for no progress (maxunacktime; tcps_progdrops)") \
	X(TcpPmtudBlackholeActivated, "MSS lowered to the black-hole MSS after timeouts (tcps_pmtud_blackhole_activated)") \
	X(TcpPmtudBlackholeActivatedMinMss, "MSS lowered to the default MSS after timeouts (tcps_pmtud_blackhole_activated_min_mss)") \
	X(TcpPmtudBlackholeFailed, "MSS restored: timeouts went on with it lowered (tcps_pmtud_blackhole_failed)") \
	X(TcpMtupSuccess, "Linux MTU probe acknowledged: the MSS grew (TcpExtTCPMTUPSuccess)") \
	X(TcpMtupFail, "Linux MTU probe lost: the search range lowered (TcpExtTCPMTUPFail)") \
	X(TcpMtupBlackhole, "Linux MTU probing turned on or lowered by retransmission timeouts (tcp_mtu_probing())") \
	X(TcpMtupNoMem, "Linux MTU probing state not allocated: no probing for the connection") \
	X(TcpSpuriousRTOs, "timeouts found spurious by F-RTO and undone")         \
	X(TcpSndRexmitBad, "first timeouts undone by an early ACK: FreeBSD's CC_RTO_ERR (tcps_sndrexmitbad)") \
	X(TcpWinProbes, "zero-window probes sent (Linux TCPWinProbe)")         \
	X(TcpDelayedAcks, "ACKs sent by the delayed-ACK timer")                   \
	X(TcpAckDeferred, "ACKs due that waited for the end of an input batch")  \
	X(TcpAckDeferredSent, "ACKs sent at the end of an input batch")          \
	X(TcpAckCompressed, "ACKs SACK compression left out (TCPAckCompressed)") \
	X(TcpOfoQueue, "segments queued out of order")                            \
	X(TcpOfoDrop, "out-of-order segments dropped (range limit, receive memory: TCPOFODrop)") \
	X(TcpReassFinBeforeEnd, "FIN segments ending before the last range held out of order, dropped whole (cfg.reass_fin_before_end_drops; FreeBSD's tcp_reass() counts none)") \
	X(TcpOfoPurgedAtFin, "FINs taken with data held out of order past them, which was dropped (Linux's tcp_fin(): skb_rbtree_purge(), counted nowhere)") \
	X(TcpReassLastDrop, "segments FreeBSD's tcp_reass() freed whole against the last entry held: data past the FIN it holds (cfg.reass_fin_before_end_drops), or in a simultaneous open's SYN_RECEIVED a repeat of it too (complete overlap, tcps_rcvduppack; cfg.synrcvd_simopen_bsd)") \
	X(TcpOfoPruned, "out-of-order queue prunes for receive memory (OfoPruned)") \
	X(TcpOfoSkbsMerged, "held out-of-order skbs past TCP_LX_OFO, merged into a neighbour") \
	X(TcpPruneCalled, "receive-memory prunes begun (PruneCalled)")             \
	X(TcpRcvCollapsed, "skbs copied into compact ones under receive-memory pressure (TCPRcvCollapsed)") \
	X(TcpRcvPruned, "prunes that left no room for the segment (RcvPruned)")   \
	X(TcpRcvQDrop, "in-order segments dropped, no receive memory with data unread (TCPRcvQDrop)") \
	X(TcpRcvBufClamped, "receive buffers grown to the memory held at a prune (tcp_clamp_window())") \
	X(TcpChallengeAcks, "RFC 5961 challenge ACKs sent")                       \
	X(TcpChallengeAckLimited, "challenge ACKs suppressed by the rate limit")  \
	X(TcpPAWSDrop, "segments dropped by PAWS (RFC 7323 5)")                   \
	X(TcpPAWSActiveRejected, "SYN-ACKs refused for a TS echo never sent (PAWSActiveRejected)") \
	X(TcpOutOfWindow, "segments outside the receive window")                  \
	X(TcpBeyondWindow, "segments whose data ends past the receive window's right edge, dropped (Linux's tcp_validate_incoming(): BeyondWindow)") \
	X(TcpOverWindowDrop, "data at the receive window's right edge dropped, ACKed in quick-ACK mode (Linux: tcp_data_queue()'s out_of_window)") \
	X(TcpAckSkipped, "ACKs to unacceptable segments not sent (rate limit; TCPACKSkipped*)") \
	X(TcpAckSkippedSynRecv, "SYN-ACKs not resent for duplicate SYNs (rate limit; TCPACKSkippedSynRecv)") \
	X(TcpSyncacheDupSyn, "duplicate SYNs for a FreeBSD SYN cache entry (cfg.dupsyn_bsd; tcps_sc_dupsyn)") \
	X(TcpSimOpenSynIgnored, "bare SYNs above the IRS in a simultaneous open's SYN_RECEIVED, dropped at step6 (cfg.synrcvd_syn_bsd; FreeBSD counts none)") \
	X(TcpSyncacheNoSyn, "segments without SYN, ACK or RST for a FreeBSD SYN cache entry, dropped (cfg.syncache_expand_bsd; tcps_badsyn)") \
	X(TcpSynDrops, "SYNs and cookie ACKs dropped (listener queue or connection limit)") \
	X(TcpSyncookiesSent, "SYN-ACKs sent with a SYN cookie")                   \
	X(TcpSyncookiesRecv, "connections rebuilt from a valid SYN cookie")       \
	X(TcpSyncookiesFailed, "ACKs to a listener with no valid cookie")         \
	X(TcpSyncookiesAfterRst, "valid cookie ACKs refused: sent before the tuple's RST or end") \
	X(TcpSyncookiesOptsOff, "valid cookie ACKs refused: an option they echo is now off") \
	X(TcpSyncookiesRstEvicted, "remembered cookie RSTs overwritten (table full)") \
	X(TcpListenOverflows, "completed connections dropped (accept queue full)") \
	X(TcpReqQFullDoCookies, "SYNs answered with a cookie: SYN queue past the backlog or syncookies 2 (Linux)") \
	X(TcpReqQFullDrop, "SYNs dropped: SYN queue past the backlog, syncookies 0 (Linux)") \
	X(TcpDeferAcceptDrop, "bare handshake ACKs dropped under TCP_DEFER_ACCEPT (TCPDeferAcceptDrop)") \
	X(TcpFastOpenPassive, "TFO children made from a SYN (TCPFastOpenPassive)") \
	X(TcpFastOpenPassiveFail, "SYNs with a bad TFO cookie, or no child made (TCPFastOpenPassiveFail)") \
	X(TcpFastOpenListenOverflow, "TFO SYNs past the listener's TCP_FASTOPEN queue (TCPFastOpenListenOverflow)") \
	X(TcpFastOpenCookieReqd, "SYNs asking for a TFO cookie (TCPFastOpenCookieReqd)") \
	X(TcpFastOpenActive, "SYNs whose data the SYN-ACK acknowledged (TCPFastOpenActive)") \
	X(TcpFastOpenActiveFail, "TFO SYN data not acknowledged by the SYN-ACK, or a TFO SYN timed out twice (TCPFastOpenActiveFail)") \
	X(TcpFastOpenBsdCookieValid, "FreeBSD TFO server: SYNs whose cookie tcp_fastopen_check_cookie() took (or acceptany), a child made at once") \
	X(TcpFastOpenBsdCookieInvalid, "FreeBSD TFO server: SYNs with an 8-byte cookie no key made, answered by the SYN cache with the newest key's cookie") \
	X(TcpFastOpenBsdCookieReqd, "FreeBSD TFO server: SYNs with a Fast Open option of another length than 8 (an empty one asks for a cookie), answered with the newest key's cookie") \
	X(TcpFastOpenBsdNoKey, "FreeBSD TFO server: TFO SYNs while no key is installed (the SYN-ACK gives no cookie)") \
	X(TcpFastOpenBsdPendingLimit, "FreeBSD TFO server: TFO SYNs past the listener's pending limit (more than qlimit / 2 TFO children waiting for their handshake)") \
	X(TcpFastOpenChildClosedPending, "TFO children closed by their application before their handshake ended, counted out of the listener's TFO queue when the handshake or the child ended (reqsk_fastopen_remove(); FreeBSD: tcp_fastopen_decrement_counter())") \
	X(TcpFastOpenCacheEvicted, "TFO client cookies dropped for a new peer (cache full)") \
	X(TcpFastOpenSynCopyEvicted, "FreeBSD profile: an active Fast Open's copy of its cookie dropped for a newer one (GT_TFO_SYN_COPIES full); a SYN it sends again after a frag-needed reads the cache") \
	X(TcpFastOpenSimOpenDropped, "FreeBSD profile: bare SYNs crossing an active open whose SYN carried Fast Open data, dropped unanswered: FreeBSD's simultaneous open with SYN data (SYN_RECEIVED, TF_NEEDSYN, the data queued) is not modelled (docs/fastopen.md)") \
	X(TcpFastOpenSimOpen, "Linux (and default) profile: bare SYNs crossing an active open whose SYN carried Fast Open data, taken to SYN_RECEIVED and answered with a SYN-ACK without data, the SYN's data in flight behind it (tcp_rcv_synsent_state_process(); docs/fastopen.md)") \
	X(TcpConnLimit, "connections refused by max_conns")                       \
	X(TcpTableMemFreed, "bytes of TCB slabs, hash and timer heap given back after a peak") \
	X(TcpBufLimit, "buffer allocations refused by max_buffer_bytes")          \
	X(TcpBufClamped, "buffer sizes cut to half of max_buffer_bytes")          \
	X(TcpBufForced, "receive buffers granted past max_buffer_bytes to an empty queue's next segment") \
	X(TcpRcvRingWhole, "receive rings grown past the buffer to take an empty queue's in-order segment whole (Linux: tcp_data_queue())") \
	X(TcpRcvRingWholeRefused, "such growths refused (budget, 64 KiB, no memory): the segment was cut to the ring") \
	X(TcpBufCacheExpired, "emptied buffers freed after buffer_cache_hold_us")  \
	X(TcpRcvBufGrown, "receive buffers grown by autotuning (rcvbuf_autotune)") \
	X(TcpRcvWndSlack, "receive rings given a slack past the buffer for the rounded-up window (rcv_wnd_roundup, tcp_rcv_slack())") \
	X(TcpRcvWndOver, "bytes taken past the receive buffer into that slack, as FreeBSD appends past sb_hiwat") \
	X(TcpRcvWndSlackGrown, "receive ring slacks doubled, the rounded-up edge past the ring (rcv_wnd_roundup)") \
	X(TcpRcvWndRoundCut, "rounded-up edges past the receive ring, its slack refused by the budget or the window's ceiling (rcv_wnd_roundup)") \
	X(TcpSndBufGrown, "send buffers grown by autotuning (sndbuf_autotune)") \
	X(TcpSndBufHeld, "send-buffer growths withheld: buffers past half of max_buffer_bytes") \
	X(TcpLossProbes, "tail loss probes sent (RFC 8985 7, Linux TCPLossProbes)") \
	X(TcpLossProbeRecovery, "losses repaired by a tail loss probe")         \
	X(TcpLostRetransmit, "retransmissions RACK found lost (TCPLostRetransmit)") \
	X(TcpSACKReorder, "reordering seen by RACK; per ACK with cfg.sack_reordering (TCPSACKReorder)") \
	X(TcpTSReorder, "reordering shown by a timestamp echo at a partial ACK (tcp_try_undo_partial(), TCPTSReorder)") \
	X(TcpRenoReorder, "reordering seen without SACK: more duplicates than segments out (cfg.reno_reordering, TCPRenoReorder)") \
	X(TcpDSACKRecv, "ACKs received with a D-SACK block (RFC 2883)")          \
	X(TcpDSACKUndo, "recoveries undone: every retransmission was a duplicate") \
	X(TcpDSACKIgnoredDubious, "D-SACKs ignored: more duplicates reported than segments ever retransmitted (Linux TCPDSACKIgnoredDubious)") \
	X(TcpDSACKIgnoredNoUndo, "D-SACKs below SND.UNA with no recovery or timeout to undo (Linux TCPDSACKIgnoredNoUndo)") \
	X(TcpDSACKIgnoredOld, "D-SACKs below SND.UNA ignored with a recovery or timeout to undo: wholly below its undo_marker, or across SND.UNA (Linux TCPDSACKIgnoredOld)") \
	X(TcpSACKDiscard, "dubious D-SACK blocks at or below SND.UNA, discarded as SACK blocks (Linux TCPSACKDiscard)") \
	X(TcpRenoUndo, "recoveries without SACK undone: a late original filled the hole (timestamps)") \
	X(TcpFullUndo, "SACK recoveries undone at their end: a late original filled the hole (timestamps, TCPFullUndo)") \
	X(TcpLossUndo, "timeouts undone (TCPLossUndo): an echo older than the retransmission, D-SACKs of every retransmission, or F-RTO (also TcpSpuriousRTOs)") \
	X(TcpPartialUndo, "SACK recoveries undone at a partial ACK: a late original filled the hole (timestamps, TCPPartialUndo)") \
	X(TcpRackNoMem, "RACK transmit logs not allocated or grown (RFC 6675 used)") \
	X(TcpSACKReneging, "RTOs that found SND.UNA SACKed: the peer reneged, the scoreboard forgotten (TCPSACKReneging)") \
	X(TcpSACKBlockDropped, "SACK blocks dropped whole: from at or below SEG.ACK to past it, or outside what was sent (sack_doack_bsd, tcp_sack_doack())") \
	X(TcpHystartTrainDetect, "slow starts HyStart ended by an ACK train (Linux's TCPHystartTrainDetect)") \
	X(TcpHystartTrainCwnd, "cwnd, in segments, summed over those (TCPHystartTrainCwnd)") \
	X(TcpHystartDelayDetect, "slow starts HyStart ended by a growing RTT (TCPHystartDelayDetect)") \
	X(TcpHystartDelayCwnd, "cwnd, in segments, summed over those (TCPHystartDelayCwnd)") \
	X(TcpHystartNoMem, "slow starts without HyStart for want of memory") \
	X(TcpCubicLxNoMem, "Linux or FreeBSD CUBIC states not allocated for want of memory: NewReno's rules meanwhile (cfg.cubic_linux_hz, cfg.cubic_bsd_hz)") \
	X(TcpHystartLogMerged, "HyStart send-log records merged: more than 4096 send times in flight") \
	X(TcpECNNegotiated, "connections that agreed on ECN (RFC 3168 6.1.1)")     \
	X(TcpECNCeRecv, "segments received with the CE mark (TCPECN CE-style)")  \
	X(TcpECNEceRecv, "ACKs received with ECE on an ECN connection")           \
	X(TcpECNReduce, "cwnd reductions for ECE, at most one per window")        \
	X(TcpECNCwrSent, "segments sent with CWR (RFC 3168 6.1.2)")               \
	X(TcpECNDupSynOff, "RFC 3168 agreements a duplicate SYN without ECE|CWR undid (FreeBSD's syncache_add())") \
	X(TcpAccECNSynNotECT, "AccECN handshakes, the SYN Not-ECT (tcps_ace_nect)") \
	X(TcpAccECNSynECT0, "AccECN handshakes, the SYN ECT(0) (tcps_ace_ect0)")    \
	X(TcpAccECNSynECT1, "AccECN handshakes, the SYN ECT(1) (tcps_ace_ect1)")    \
	X(TcpAccECNSynCE, "AccECN handshakes, the SYN CE-marked (tcps_ace_ce)")    \
	X(TcpAccECNCeReported, "CE marks the peer's ACE fields newly reported")    \
	X(TcpCwndRestarts, "cwnd shrunk by a restart after idle (RFC 5681 4.1)") \
	X(TcpPshMarksDropped, "Linux PSH marks dropped: more than 16 unacknowledged") \
	X(TcpPshSkbsDropped, "Linux skb ends not kept: more than 32 in flight")    \
	X(TcpEorEndsDropped, "MSG_EOR skb ends not kept: more than 16 unacknowledged") \
	X(TcpPshNoMem, "Linux PSH state not allocated: marks, skb ends lost")      \
	X(TcpLxShrunk, "Linux PSH state given back: all sent acknowledged")        \
	X(TcpTsMissingDrop, "segments dropped for a missing timestamp (ts_required)") \
	X(TcpAbortOnData, "RSTs sent for data after close or unread data")        \
	X(TcpAbortOnLinger, "RSTs sent by close with SO_LINGER {1,0}")             \
	X(TcpAbortOnTimeout, "connections aborted after too many retransmits")   \
	X(TcpAbortOnMemory, "orphans ended past tcp_max_orphans (max_orphans)")   \
	X(TcpAbortOnClose, "RSTs sent by close with unread data")                 \
	X(TcpDisconnects, "connections ended by connect(AF_UNSPEC)")              \
	X(TcpZerocopyNoBufs, "MSG_ZEROCOPY sends refused: zerocopy_pending_max awaiting (ENOBUFS)") \
	X(TcpErrqueueDrops, "SO_TIMESTAMPING stamps dropped: error queue (32) or marks (32) full") \
	X(TcpIcmpAborts, "connections aborted by ICMP")                           \
	X(TcpOutOfWindowIcmps, "ICMP errors about no data in flight, ignored (OutOfWindowIcmps)") \
	X(TcpPmtuIgnoredBySocket, "ICMP fragmentation-needed not acted on at once: the socket's IP_MTU_DISCOVER is DONT, INTERFACE or OMIT (the MSS is lowered, nothing is resent until the next send)") \
	X(TcpFinWait2Timeouts, "orphaned FIN_WAIT_2 connections timed out")       \
	X(TcpKeepAliveProbes, "keepalive probes sent")                            \
	X(TcpKeepAliveAborts, "connections dropped after unanswered keepalives") \
	X(TcpEphemeralExhausted, "connect() found no free ephemeral port")        \
	X(TW, "connections that entered TIME_WAIT")                               \
	X(TWExpired, "TIME_WAIT entries that expired after 2MSL")                 \
	X(TWRecycled, "TIME_WAIT entries reused by a new SYN (RFC 6191)")         \
	X(TWKilledRst, "TIME_WAIT entries closed by RST (rfc1337 off)")           \
	X(TWRstIgnored, "RSTs ignored in TIME_WAIT (RFC 1337, or not at RCV.NXT)") \
	X(TWFinReacked, "retransmitted FINs re-ACKed in TIME_WAIT")               \
	X(TWSynDropped, "SYNs TIME_WAIT dropped, not above its sequence (FreeBSD)") \
	X(TWRestartFailed, "TIME_WAIT timers not restarted, no memory (entry kept)") \
	X(TWOverflow, "connections that found the TIME_WAIT table full")                \
	X(TWKilled, "TIME_WAIT entries ended by the operator (tcpdrop)")          \
	GT_IP6_STATS_FIELDS(X)

/* IPv6 and ICMPv6 (RFC 4293's IPv6 rows, Linux's Ip6* and Icmp6* names). */
#define GT_IP6_STATS_FIELDS(X)                                                      \
	X(Ip6InReceives, "IPv6 packets received")                                   \
	X(Ip6InHdrErrors, "IPv6 packets with a bad header, option or address")      \
	X(Ip6InTruncatedPkts, "IPv6 packets shorter than their payload length")     \
	X(Ip6InAddrErrors, "IPv6 packets for an invalid or foreign destination")    \
	X(Ip6InUnknownProtos, "IPv6 packets of an unknown next header")             \
	X(Ip6InDiscards, "IPv6 packets past the walk's limits (headers, options)")  \
	X(Ip6InDelivers, "IPv6 packets delivered to TCP or ICMPv6")                 \
	X(Ip6OutRequests, "IPv6 packets sent")                                      \
	X(Ip6OutDiscards, "IPv6 packets the device refused")                        \
	X(Ip6ReasmReqds, "IPv6 packets with a Fragment header")                     \
	X(Ip6ReasmOKs, "IPv6 datagrams reassembled, atomic fragments included")    \
	X(Ip6ReasmFails, "IPv6 reassembly failures (datagrams or fragments dropped)") \
	X(Ip6ReasmTimeout, "IPv6 datagrams dropped unfinished at their deadline")   \
	X(Ip6ReasmOverlaps, "IPv6 datagrams dropped for overlapping fragments")     \
	X(Icmp6InMsgs, "ICMPv6 messages received")                                  \
	X(Icmp6InErrors, "ICMPv6 messages malformed or with a bad checksum")        \
	X(Icmp6InCsumErrors, "ICMPv6 messages with a bad checksum")                 \
	X(Icmp6InDestUnreachs, "ICMPv6 destination unreachable received")           \
	X(Icmp6InPktTooBigs, "ICMPv6 packet too big received")                      \
	X(Icmp6InTimeExcds, "ICMPv6 time exceeded received")                        \
	X(Icmp6InParmProblems, "ICMPv6 parameter problem received")                 \
	X(Icmp6InEchos, "ICMPv6 echo requests received")                            \
	X(Icmp6InEchoReplies, "ICMPv6 echo replies received")                       \
	X(Icmp6OutMsgs, "ICMPv6 messages sent")                                     \
	X(Icmp6OutErrors, "ICMPv6 messages the device refused")                     \
	X(Icmp6OutDestUnreachs, "ICMPv6 destination unreachable sent")              \
	X(Icmp6OutParmProblems, "ICMPv6 parameter problem sent")                    \
	X(Icmp6OutTimeExcds, "ICMPv6 time exceeded sent (reassembly timeout)")      \
	X(Icmp6OutEchoReplies, "ICMPv6 echo replies sent")                          \
	X(Icmp6OutRateLimitGlobal, "ICMPv6 errors held back by the rate limit")

struct gt_stats {
#define GT_STATS_MEMBER(name, desc) uint64_t name;
	GT_STATS_FIELDS(GT_STATS_MEMBER)
#undef GT_STATS_MEMBER
};

/* Gauges, read at the moment of the call. */
struct gt_gauges {
	uint32_t sockets;
	uint32_t conns;          /* full TCBs */
	uint32_t conns_peak;
	uint32_t timewait;       /* compact TIME_WAIT entries */
	uint32_t timewait_peak;
	uint64_t timewait_bytes; /* memory held by TIME_WAIT entries */
	uint64_t buffer_bytes;   /* send + receive buffers allocated */
	uint64_t buffer_cache_bytes; /* emptied buffers kept for reuse (cfg.buffer_cache_bytes) */
	uint32_t conns_by_state[11];
	uint32_t reasm_datagrams; /* datagrams in fragment reassembly (cfg.reasm_max_datagrams) */
	uint64_t reasm_bytes;     /* fragment data they hold (cfg.reasm_max_bytes) */
	/* TCBs the application closed that go on alone (cfg.max_orphans;
	 * Linux's "orphan" in /proc/net/sockstat). */
	uint32_t orphans;
};

const struct gt_stats *gt_stack_stats(const gt_stack *stack);
/* Ends every TIME_WAIT entry at once (an operator's tool, like FreeBSD's
 * `tcpdrop -s TIME_WAIT`); returns how many there were. Counted in TWKilled. */
uint32_t gt_stack_timewait_drop_all(gt_stack *stack);
void gt_stack_gauges(const gt_stack *stack, struct gt_gauges *out);
/* Calls fn(name, value, desc) for each counter, in declaration order. */
void gt_stats_foreach(const struct gt_stats *st,
		      void (*fn)(void *ctx, const char *name, uint64_t v, const char *desc),
		      void *ctx);

/* Trace events: delivered synchronously to the callback, which must not call
 * back into the stack. */
enum gt_trace_type {
	GT_TRACE_STATE,   /* a connection changed state; a = old, b = new */
	GT_TRACE_SEG_IN,  /* a segment arrived for a connection */
	GT_TRACE_SEG_OUT, /* a segment was sent; b = 1 if a retransmission */
	GT_TRACE_RTO,     /* the retransmission timer fired; a = backoff */
	GT_TRACE_FAST_RETRANS, /* seq = the segment resent */
	GT_TRACE_TIMER_ARM,    /* a = enum gt_trace_timer, b = delay in us (capped) */
	GT_TRACE_TIMER_FIRE,   /* a = enum gt_trace_timer */
	GT_TRACE_WINDOW,       /* the peer's window changed; a = old, b = new (bytes) */
	GT_TRACE_CWND,         /* a = cwnd, b = ssthresh, c = bytes in flight */
	GT_TRACE_RTT,          /* an RTT sample: a = sample, b = srtt, c = rto (us) */
};
/* The timers named by GT_TRACE_TIMER_ARM and GT_TRACE_TIMER_FIRE. */
enum gt_trace_timer {
	GT_TIMER_RTX,          /* retransmission (RFC 6298) */
	GT_TIMER_DELACK,       /* delayed ACK */
	GT_TIMER_PERSIST,      /* zero-window probe */
	GT_TIMER_FIN_WAIT_2,   /* orphaned FIN_WAIT_2 */
	GT_TIMER_TIME_WAIT,    /* 2MSL */
	GT_TIMER_CORK,         /* TCP_CORK's limit on holding a partial segment */
	GT_TIMER_LINGER,       /* SO_LINGER's limit on a closing socket */
	GT_TIMER_KEEPALIVE,    /* keepalive idle time and probes (RFC 1122 4.2.3.6) */
	GT_TIMER_TLP,          /* tail loss probe timeout (RFC 8985 7) */
	GT_TIMER_REORDER,      /* RACK's reordering timer (RFC 8985 6.3) */
};
struct gt_trace_event {
	enum gt_trace_type type;
	uint64_t now_us;
	uint32_t laddr, faddr; /* IPv4, host order; 0 for an IPv6 connection */
	/* Either family (IPv4 as ::ffff:a.b.c.d): what the stack fills in. */
	struct gt_in6_addr laddr6, faddr6;
	uint16_t lport, fport;
	uint32_t a, b, c;
	const char *reason;    /* static string, may be NULL */
	/* Segment fields for SEG_IN / SEG_OUT. */
	uint32_t seq, ack, len, wnd;
	uint8_t flags;
};
typedef void (*gt_trace_fn)(void *ctx, const struct gt_trace_event *ev);
void gt_stack_set_trace(gt_stack *stack, gt_trace_fn fn, void *ctx);
/* Short lowercase names ("state", "seg_out", "rtx"...), for writers. */
const char *gt_trace_type_name(enum gt_trace_type t);
const char *gt_trace_timer_name(enum gt_trace_timer t);

#ifdef __cplusplus
}
#endif
#endif
