/* The Linux kernel's TCP over loopback, as the anchor the glasstcp figures
 * are set beside. Loopback only: 127.0.0.1 for listeners, 127.0.0.x for
 * clients. */
#ifndef GT_BENCH_KERN_H
#define GT_BENCH_KERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A connected pair over 127.0.0.1:port. mss > 0 sets TCP_MAXSEG on both
 * ends before the handshake. nonblock: O_NONBLOCK on both. Returns 0 or -1
 * (with a message on stderr). */
int kern_pair(int *cli, int *srv, uint16_t port, int mss, bool nonblock, bool nodelay);
/* The listener of kern_pair's kind, bound to 127.0.0.1:port. */
int kern_listener(uint16_t port, int backlog);
/* TCP_MAXSEG as the kernel reports it for a connected socket. */
int kern_mss(int fd);
/* Reads or writes exactly n bytes on a blocking socket; 0 or -1. */
int kern_read_full(int fd, void *buf, size_t n);
int kern_write_full(int fd, const void *buf, size_t n);

#endif
