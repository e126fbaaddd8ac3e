/* pktrun's insides: the parsed script (parse.c) and the runner (run.c). */
#ifndef GT_PK_INTERNAL_H
#define GT_PK_INTERNAL_H

#include <stdint.h>

#include "pktrun/pktrun.h"

/* Every time in a script, option or shift is bounded by this (about 3.2
 * years), so that sums of two or three of them never overflow. */
#define PK_TIME_MAX_US 100000000000000LL

#define PK_MAX_OPTS 24
#define PK_MAX_ARGS 8
#define PK_MAX_SACK 4

enum pk_optkind { PO_NOP, PO_EOL, PO_MSS, PO_WSCALE, PO_SACKOK, PO_SACK, PO_TS };

struct pk_opt {
	enum pk_optkind kind;
	uint32_t a, b;          /* mss / wscale / TS val, ecr */
	uint8_t nsack;
	uint32_t sack[PK_MAX_SACK][2];
};

enum pk_optmode { PK_OPTS_NONE, PK_OPTS_ANY, PK_OPTS_LIST };

struct pk_pkt {
	bool out;               /* '>': the stack must send it */
	bool icmp;
	uint8_t flags;          /* TH_* */
	bool seq_any;           /* '...' in place of start:end */
	uint32_t seq, len;
	bool has_ack, has_win;
	uint32_t ack, win;
	enum pk_optmode optmode;
	struct pk_opt opt[PK_MAX_OPTS];
	int nopt;
	int ttl;                /* -1 when not written */
	uint8_t icmp_type, icmp_code;
	uint32_t icmp_mtu;
};

enum pk_vkind { PV_ELLIPSIS, PV_INT, PV_STR, PV_LIST, PV_STRUCT };

struct pk_val {
	enum pk_vkind kind;
	long long i;
	char name[32];          /* field name inside a struct, or the symbol */
	struct pk_val *items;   /* list or struct members */
	int n;
};

struct pk_call {
	char name[24];
	struct pk_val args[PK_MAX_ARGS];
	int nargs;
	long long ret;
	int err;                /* expected errno (positive) when ret == -1, else 0 */
	char err_name[24];
};

enum pk_evkind { PE_PACKET, PE_CALL, PE_SHELL, PE_CODE };

struct pk_event {
	int line;
	enum pk_evkind kind;
	bool any_time;          /* '*' */
	bool rel_time;          /* written relative ('+') to the event before */
	int64_t t_us;           /* absolute script time of the event (its start) */
	int64_t t_end_us;       /* range end ('~') or blocking return time ('...') */
	bool has_range, blocking;
	struct pk_pkt pkt;
	struct pk_call call;
	char *text;             /* shell line or code block */
};

struct pk_script {
	const char *name;
	struct pk_event *ev;
	int nev, cap;
	int64_t tolerance_us;
	int64_t ts_tick_us;     /* --tcp_ts_tick_usecs: 0 = TS val not checked */
	int mtu;
	bool ipv4_only_ok;      /* --ip_version absent or ipv4 */
	/* First construct the runner cannot run, found while parsing. */
	int unsup_line;
	char unsup[160];
	/* Parse error. */
	int err_line;
	char err[200];
};

/* Parses text; the script owns what it allocates (pk_script_free). */
void pk_parse(struct pk_script *sc, const char *text, size_t len, enum gt_profile profile);
void pk_script_free(struct pk_script *sc);
/* Symbols of the packetdrill language: constants, errno names. */
bool pk_symbol(const char *name, long long *out);
const char *pk_errno_name(int err);
/* Guesses the profile from a script's path and text. */
enum gt_profile pk_guess_profile(const char *path, const char *text);

#endif
