/* recvmsg(..., MSG_ERRQUEUE) in a script: the msghdr packetdrill writes
 * for it, an IP_RECVERR control message carrying a struct
 * sock_extended_err (Linux's ip_recv_error(): put_cmsg(SOL_IP,
 * IP_RECVERR, ...)), and the verdict on what a back-end read, field by
 * field as packetdrill's syscall_recvmsg() compares them. */
#include <string.h>

#include <glasstcp/socket.h>

#include "pktrun/pk_internal.h"

static const char *const ee_names[PK_EE_N] = {"ee_errno", "ee_origin", "ee_type",
					      "ee_code",  "ee_info",   "ee_data"};

/* {cmsg_level=SOL_SOCKET, cmsg_type=SCM_TIMESTAMPING,
 * cmsg_data={scm_sec=S, scm_nsec=N}}. */
static bool ts_cmsg_of(const struct pk_val *cm, struct pk_errq_cmsg *out)
{
	if (cm->kind != PV_STRUCT || cm->n != 3)
		return false;
	const struct pk_val *lv = &cm->items[0], *ty = &cm->items[1], *da = &cm->items[2];
	if (strcmp(lv->name, "cmsg_level") || lv->kind != PV_INT || lv->i != GT_SOL_SOCKET ||
	    strcmp(ty->name, "cmsg_type") || ty->kind != PV_INT || ty->i != PK_SCM_TIMESTAMPING ||
	    strcmp(da->name, "cmsg_data") || da->kind != PV_STRUCT || da->n != 2 ||
	    strcmp(da->items[0].name, "scm_sec") || strcmp(da->items[1].name, "scm_nsec") ||
	    da->items[0].kind != PV_INT || da->items[1].kind != PV_INT)
		return false;
	out->level = GT_SOL_SOCKET;
	out->type = PK_SCM_TIMESTAMPING;
	out->is_ts = true;
	out->scm_sec = da->items[0].i;
	out->scm_nsec = da->items[1].i;
	return true;
}

/* One {cmsg_level=L, cmsg_type=T, cmsg_data={ee_...=N, ...}}. */
static bool cmsg_of(const struct pk_val *cm, struct pk_errq_cmsg *out, char *why, size_t n)
{
	if (ts_cmsg_of(cm, out))
		return true;
	bool lv = false, ty = false, da = false;
	for (int g = 0; cm->kind == PV_STRUCT && g < cm->n; g++) {
		const struct pk_val *gv = &cm->items[g];
		if (!strcmp(gv->name, "cmsg_level") && gv->kind == PV_INT) {
			out->level = (int)gv->i;
			lv = true;
		} else if (!strcmp(gv->name, "cmsg_type") && gv->kind == PV_INT) {
			out->type = (int)gv->i;
			ty = true;
		} else if (!strcmp(gv->name, "cmsg_data") && gv->kind == PV_STRUCT) {
			da = true;
			for (int f = 0; f < gv->n; f++) {
				const struct pk_val *fv = &gv->items[f];
				int k = 0;
				while (k < PK_EE_N && strcmp(fv->name, ee_names[k]))
					k++;
				if (k == PK_EE_N || fv->kind != PV_INT) {
					snprintf(why, n, "cmsg_data field '%s'", fv->name[0] ? fv->name : "?");
					return false;
				}
				out->ee[k] = fv->i;
				out->have |= 1u << k;
			}
		} else {
			break;
		}
	}
	if (!lv || !ty || !da || cm->n != 3 || out->level != PK_CMSG_LEVEL_IP ||
	    out->type != PK_CMSG_TYPE_RECVERR) {
		snprintf(why, n, "a control message other than {cmsg_level=CMSG_LEVEL_IP, "
				 "cmsg_type=CMSG_TYPE_RECVERR, cmsg_data={ee_...}} or SCM_TIMESTAMPING's "
				 "{scm_sec, scm_nsec}");
		return false;
	}
	return true;
}

bool pk_errq_msghdr_of(const struct pk_val *v, struct pk_errq_msg *out, char *why, size_t n)
{
	memset(out, 0, sizeof(*out));
	if (v->kind != PV_STRUCT) {
		snprintf(why, n, "a msghdr other than {...}");
		return false;
	}
	/* All but msg_control as any recvmsg(): the shared reader, on a
	 * copy without it. */
	struct pk_val rest = *v, items[16];
	const struct pk_val *ctl = NULL;
	rest.n = 0;
	rest.items = items;
	for (int f = 0; f < v->n; f++) {
		if (!strcmp(v->items[f].name, "msg_control"))
			ctl = &v->items[f];
		else if (rest.n < (int)(sizeof(items) / sizeof(items[0])))
			items[rest.n++] = v->items[f];
	}
	if (!pk_msghdr_of(&rest, &out->mh, why, n))
		return false;
	if (!ctl)
		return true;
	if (ctl->kind != PV_LIST || ctl->n > PK_MAX_CMSG) {
		snprintf(why, n, "msg_control other than a list of at most %d", PK_MAX_CMSG);
		return false;
	}
	out->mh.has_control = true;
	out->mh.ncmsg = ctl->n;
	for (int i = 0; i < ctl->n; i++)
		if (!cmsg_of(&ctl->items[i], &out->cm[i], why, n))
			return false;
	return true;
}

void pk_errq_judge(struct pk_judge *j, int line, const struct pk_errq_msg *want,
		   const struct pk_errq_got *got, bool v6)
{
	if (got->msg_flags != (int)want->mh.flags) {
		pk_fail(j, line, "recvmsg: msg_flags 0x%x, the script expects 0x%llx",
			(unsigned)got->msg_flags, want->mh.flags);
		return;
	}
	if (!want->mh.has_control)
		return;
	if (got->n != want->mh.ncmsg) {
		pk_fail(j, line, "recvmsg: %d control messages, the script expects %d", got->n,
			want->mh.ncmsg);
		return;
	}
	/* SOL_IP 0 / IP_RECVERR 11; SOL_IPV6 41 / IPV6_RECVERR 25. */
	int level = v6 ? 41 : 0, type = v6 ? 25 : 11;
	for (int i = 0; i < got->n; i++) {
		const struct pk_errq_cmsg *w = &want->cm[i];
		if (w->is_ts) {
			/* packetdrill: the stamp in script time, within the
			 * script's tolerance. */
			int64_t want_us = (int64_t)(w->scm_sec * 1000000 + w->scm_nsec / 1000);
			int64_t d = got->cm[i].ts_us - want_us;
			if (!got->cm[i].is_ts) {
				pk_fail(j, line, "recvmsg: cmsg %d level %d type %d, the script expects "
					"SCM_TIMESTAMPING", i, got->cm[i].level, got->cm[i].type);
				return;
			}
			if (d > j->sc->tolerance_us || -d > j->sc->tolerance_us) {
				pk_fail(j, line, "recvmsg: cmsg %d SCM_TIMESTAMPING at %.6f, the script "
					"expects %.6f", i, (double)got->cm[i].ts_us / 1e6, (double)want_us / 1e6);
				return;
			}
			continue;
		}
		if (got->cm[i].level != level || got->cm[i].type != type || !got->cm[i].is_ee) {
			pk_fail(j, line, "recvmsg: cmsg %d level %d type %d, the script expects %d %d", i,
				got->cm[i].level, got->cm[i].type, level, type);
			return;
		}
		for (int k = 0; k < PK_EE_N; k++)
			if ((w->have & (1u << k)) && (long long)got->cm[i].ee[k] != w->ee[k]) {
				pk_fail(j, line, "recvmsg: cmsg %d %s %u, the script expects %lld", i,
					ee_names[k], got->cm[i].ee[k], w->ee[k]);
				return;
			}
	}
}
