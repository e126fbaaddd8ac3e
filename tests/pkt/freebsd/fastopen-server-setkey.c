/* A helper of the fastopen-server-*.pkt scripts, as FreeBSD's tcp-testsuite
 * fast-open/server/ scripts use theirs: installs the all-zero key of TCP
 * Fast Open's server (sysctl_net_inet_tcp_fastopen_setkey(), 16 bytes).
 * pktrun builds and runs it without a shell (pktrun/judge.c,
 * run_cc_helper()). */
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/sysctl.h>

int main(void)
{
	uint8_t key[16] = {0};
	int error = sysctlbyname("net.inet.tcp.fastopen.setkey", NULL, NULL, key, sizeof(key));
	printf("error: %d\n", error);
	return error != 0;
}
