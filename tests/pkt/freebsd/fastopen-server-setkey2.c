/* A helper of fastopen-server-two-keys.pkt: installs two keys of TCP Fast
 * Open's server, 0x01 x 16 and then the all-zero key, which is the newest
 * of the ring of two (tcp_fastopen_addkey_locked()). pktrun builds and
 * runs it without a shell (pktrun/judge.c, run_cc_helper()). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/sysctl.h>

int main(void)
{
	uint8_t key[16];
	memset(key, 1, sizeof(key));
	int error = sysctlbyname("net.inet.tcp.fastopen.setkey", NULL, NULL, key, sizeof(key));
	memset(key, 0, sizeof(key));
	if (!error)
		error = sysctlbyname("net.inet.tcp.fastopen.setkey", NULL, NULL, key, sizeof(key));
	printf("error: %d\n", error);
	return error != 0;
}
