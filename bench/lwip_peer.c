/* lwIP as an anchor (see lwip_peer.h for why it runs in the tcpip thread).
 * Everything below runs in lwIP's tcpip thread except the two entry points,
 * which post a start callback and wait on a POSIX semaphore. */
#define _GNU_SOURCE
#include "lwip_peer.h"

#include <lwip/init.h>
#include <lwip/ip_addr.h>
#include <lwip/netif.h>
#include <lwip/tcp.h>
#include <lwip/tcpip.h>
#include <lwip/priv/tcp_priv.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LW_PORT 5001

static struct netif nif;
static bool started;
static sem_t sem;
static uint16_t nif_mtu = 1500;

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Packets to other hosts: there are none; everything goes to our own
 * address and takes the loopback path (ip4_output_if -> netif_loop_output). */
static err_t nif_output(struct netif *n, struct pbuf *p, const ip4_addr_t *dst)
{
	(void)n;
	(void)p;
	(void)dst;
	return ERR_RTE;
}

static err_t nif_init(struct netif *n)
{
	n->name[0] = 'b';
	n->name[1] = 'n';
	n->output = nif_output;
	n->mtu = nif_mtu;
	n->flags = NETIF_FLAG_BROADCAST;
	return ERR_OK;
}

static void init_done(void *arg)
{
	(void)arg;
	sem_post(&sem);
}

static ip_addr_t self_addr;

static bool start(struct lwip_result *r)
{
	if (started)
		return true;
	if (sem_init(&sem, 0, 0) < 0) {
		snprintf(r->why, sizeof(r->why), "sem_init failed");
		return false;
	}
	tcpip_init(init_done, NULL);
	sem_wait(&sem);
	ip4_addr_t ip, mask, gw;
	IP4_ADDR(&ip, 10, 9, 0, 1);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 0, 0, 0, 0);
	ip_addr_copy_from_ip4(self_addr, ip);
	LOCK_TCPIP_CORE();
	struct netif *ok = netif_add(&nif, &ip, &mask, &gw, NULL, nif_init, tcpip_input);
	if (ok) {
		netif_set_default(&nif);
		netif_set_up(&nif);
		netif_set_link_up(&nif);
	}
	UNLOCK_TCPIP_CORE();
	if (!ok) {
		snprintf(r->why, sizeof(r->why), "netif_add failed");
		return false;
	}
	started = true;
	return true;
}

static void set_mtu(uint16_t mtu)
{
	LOCK_TCPIP_CORE();
	nif_mtu = mtu;
	nif.mtu = mtu;
	UNLOCK_TCPIP_CORE();
}

/* ---- bulk ---- */

static struct {
	struct tcp_pcb *lis, *cli, *srv;
	uint64_t total, sent, rcvd;
	uint64_t t0, t1, c0, c1;
	bool failed;
	char why[128];
	uint8_t chunk[65535];
} bk;

static void bulk_push(struct tcp_pcb *pcb)
{
	while (bk.sent < bk.total) {
		uint32_t room = tcp_sndbuf(pcb);
		if (room > 65535)
			room = 65535;
		uint64_t left = bk.total - bk.sent;
		uint16_t n = (uint16_t)(left < room ? left : room);
		if (n == 0 || tcp_write(pcb, bk.chunk, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		bk.sent += n;
	}
	tcp_output(pcb);
}

static err_t bulk_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)arg;
	(void)len;
	bulk_push(pcb);
	return ERR_OK;
}

static err_t bulk_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)err;
	bk.t0 = mono_ns();
	bk.c0 = cpu_ns();
	bulk_push(pcb);
	return ERR_OK;
}

static err_t bulk_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)err;
	if (!p)
		return ERR_OK;
	bk.rcvd += p->tot_len;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	if (bk.rcvd >= bk.total && !bk.t1) {
		bk.t1 = mono_ns();
		bk.c1 = cpu_ns();
		sem_post(&sem);
	}
	return ERR_OK;
}

static err_t bulk_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)err;
	bk.srv = pcb;
	tcp_recv(pcb, bulk_recv);
	return ERR_OK;
}

static void bulk_err(void *arg, err_t err)
{
	(void)arg;
	bk.failed = true;
	snprintf(bk.why, sizeof(bk.why), "lwIP connection error %d", (int)err);
	bk.cli = NULL;
	sem_post(&sem);
}

static void bulk_start(void *arg)
{
	(void)arg;
	bk.lis = tcp_new();
	if (!bk.lis || tcp_bind(bk.lis, IP_ADDR_ANY, LW_PORT) != ERR_OK ||
	    !(bk.lis = tcp_listen(bk.lis))) {
		bk.failed = true;
		snprintf(bk.why, sizeof(bk.why), "lwIP listen failed");
		sem_post(&sem);
		return;
	}
	tcp_accept(bk.lis, bulk_accept);
	bk.cli = tcp_new();
	tcp_err(bk.cli, bulk_err);
	tcp_sent(bk.cli, bulk_sent);
	if (tcp_connect(bk.cli, &self_addr, LW_PORT, bulk_connected) != ERR_OK) {
		bk.failed = true;
		snprintf(bk.why, sizeof(bk.why), "lwIP connect failed");
		sem_post(&sem);
	}
}

static void bulk_stop(void *arg)
{
	struct lwip_result *r = arg;
	if (bk.cli) {
		r->mss = bk.cli->mss;
		tcp_err(bk.cli, NULL);
		tcp_abort(bk.cli);
	}
	if (bk.srv)
		tcp_abort(bk.srv);
	if (bk.lis)
		tcp_close(bk.lis);
	sem_post(&sem);
}

void lwip_bench_bulk(uint64_t bytes, uint16_t mtu, struct lwip_result *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->version, sizeof(r->version), "%s", LWIP_VERSION_STRING);
	if (!start(r))
		return;
	set_mtu(mtu);
	memset(&bk, 0, sizeof(bk));
	for (size_t i = 0; i < sizeof(bk.chunk); i++)
		bk.chunk[i] = (uint8_t)i;
	bk.total = bytes;
	tcpip_callback(bulk_start, NULL);
	sem_wait(&sem);
	tcpip_callback(bulk_stop, r);
	sem_wait(&sem);
	if (bk.failed) {
		snprintf(r->why, sizeof(r->why), "%s", bk.why);
		return;
	}
	r->ok = true;
	r->bytes = bk.rcvd;
	r->wall_s = (double)(bk.t1 - bk.t0) / 1e9;
	r->cpu_s = (double)(bk.c1 - bk.c0) / 1e9;
}

/* ---- connection rate ---- */

static struct {
	struct tcp_pcb *lis;
	uint32_t n, done;
	uint32_t req_got, resp_got;
	uint64_t t0, t1, c0, c1;
	bool failed;
	char why[128];
	uint8_t req[100], resp[1024];
} cr;

static void cr_fail(const char *why)
{
	if (cr.failed)
		return;
	cr.failed = true;
	snprintf(cr.why, sizeof(cr.why), "%s (after %u connections)", why, cr.done);
	sem_post(&sem);
}

static void cr_start_one(void);

static err_t cr_cli_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)err;
	if (!p)
		return ERR_OK;
	cr.resp_got += p->tot_len;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	if (cr.resp_got >= sizeof(cr.resp)) {
		/* The client closes first and will hold TIME_WAIT. */
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_err(pcb, NULL);
		if (tcp_close(pcb) != ERR_OK)
			cr_fail("lwIP client close failed");
	}
	return ERR_OK;
}

static err_t cr_srv_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)err;
	if (!p) {
		/* The client's FIN: close our side, then start the next one. */
		tcp_recv(pcb, NULL);
		if (tcp_close(pcb) != ERR_OK)
			cr_fail("lwIP server close failed");
		cr.done++;
		if (cr.done == cr.n) {
			cr.t1 = mono_ns();
			cr.c1 = cpu_ns();
			sem_post(&sem);
		} else {
			cr_start_one();
		}
		return ERR_OK;
	}
	cr.req_got += p->tot_len;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	if (cr.req_got == sizeof(cr.req)) {
		if (tcp_write(pcb, cr.resp, sizeof(cr.resp), TCP_WRITE_FLAG_COPY) != ERR_OK)
			cr_fail("lwIP response write failed");
		tcp_output(pcb);
	}
	return ERR_OK;
}

static err_t cr_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb) {
		cr_fail("lwIP accept failed");
		return ERR_VAL;
	}
	tcp_recv(pcb, cr_srv_recv);
	return ERR_OK;
}

static err_t cr_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)err;
	if (tcp_write(pcb, cr.req, sizeof(cr.req), TCP_WRITE_FLAG_COPY) != ERR_OK)
		cr_fail("lwIP request write failed");
	tcp_output(pcb);
	return ERR_OK;
}

static void cr_err(void *arg, err_t err)
{
	(void)arg;
	char why[64];
	snprintf(why, sizeof(why), "lwIP connection error %d", (int)err);
	cr_fail(why);
}

static void cr_start_one(void)
{
	cr.req_got = cr.resp_got = 0;
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb) {
		cr_fail("lwIP tcp_new failed");
		return;
	}
	tcp_err(pcb, cr_err);
	tcp_recv(pcb, cr_cli_recv);
	err_t e = tcp_connect(pcb, &self_addr, LW_PORT, cr_connected);
	if (e != ERR_OK) {
		char why[64];
		snprintf(why, sizeof(why), "lwIP tcp_connect returned %d", (int)e);
		tcp_abort(pcb);
		cr_fail(why);
	}
}

static void cr_begin(void *arg)
{
	(void)arg;
	cr.lis = tcp_new();
	if (!cr.lis || tcp_bind(cr.lis, IP_ADDR_ANY, LW_PORT) != ERR_OK ||
	    !(cr.lis = tcp_listen_with_backlog(cr.lis, 255))) {
		cr_fail("lwIP listen failed");
		return;
	}
	tcp_accept(cr.lis, cr_accept);
	cr.t0 = mono_ns();
	cr.c0 = cpu_ns();
	cr_start_one();
}

static void cr_end(void *arg)
{
	struct lwip_result *r = arg;
	/* Count the TIME_WAIT pcbs: lwIP keeps them on tcp_tw_pcbs. */
	uint32_t tw = 0;
	for (struct tcp_pcb *p = tcp_tw_pcbs; p; p = p->next)
		tw++;
	r->timewait = tw;
	if (cr.lis)
		tcp_close(cr.lis);
	sem_post(&sem);
}

void lwip_bench_connrate(uint32_t n, struct lwip_result *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->version, sizeof(r->version), "%s", LWIP_VERSION_STRING);
	if (!start(r))
		return;
	set_mtu(1500);
	memset(&cr, 0, sizeof(cr));
	cr.n = n;
	tcpip_callback(cr_begin, NULL);
	sem_wait(&sem);
	tcpip_callback(cr_end, r);
	sem_wait(&sem);
	if (cr.failed) {
		snprintf(r->why, sizeof(r->why), "%s", cr.why);
		return;
	}
	r->ok = true;
	r->conns = cr.done;
	r->mss = 0;
	r->wall_s = (double)(cr.t1 - cr.t0) / 1e9;
	r->cpu_s = (double)(cr.c1 - cr.c0) / 1e9;
}
