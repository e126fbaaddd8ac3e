/* libFuzzer target: arbitrary IP packets into a stack that has a listener
 * (port 80) and one established connection (10.0.0.2:40000 -> 10.0.0.1:80),
 * with time advancing between packets and gt_stack_poll() running the
 * timers. After every packet the gauges must stay within the configured
 * limits and every TCB must be consistent (fuzz_peer.h); every packet the
 * stack sends must parse. At the end every descriptor is closed and every
 * connection must end.
 *
 * Input: records of
 *   2 bytes  big-endian: bit 15 = make the IPv4 total length and the IPv4,
 *            TCP and ICMP checksums right; bit 14 = the device refuses
 *            every packet the stack offers during this record (-ENOBUFS,
 *            a full queue), the timers run first included; bits 13-0 =
 *            packet length
 *   1 byte   before the packet: bits 5-0 = time step (0, else 2^(n-1) us),
 *            bit 6 = the application sends 1000 bytes, bit 7 = it reads
 *   packet bytes
 * The application accepts what the listener queues (fz_si_step()).
 * fuzz/gen_corpus.c writes the seeds.
 */
#include "fuzz_peer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_si si;
	if (size > 1 << 17)
		return 0;
	fz_si_setup(&si);
	const uint8_t *p = data, *end = data + size;
	while (end - p >= 3) {
		uint16_t hdr = (uint16_t)(p[0] << 8 | p[1]);
		uint8_t t = p[2];
		p += 3;
		size_t len = hdr & 0x3fff;
		si.f.refuse_mask = hdr & 0x4000 ? 0xff : 0;
		if (len > (size_t)(end - p))
			len = (size_t)(end - p);
		fz_si_step(&si, t, hdr & 0x8000, p, len);
		p += len;
		si.f.refuse_mask = 0;
		fz_check(&si.f, NULL);
	}
	fz_finish(&si.f, true);
	fz_fini(&si.f);
	return 0;
}
