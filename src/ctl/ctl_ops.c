/*
 * Operations of the control socket: dispatch a parsed request to the show
 * builders or act on neighbours (admin up/down with an RFC 8203 message,
 * hard and soft clear) or reload the configuration.
 */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "mrt/mrt.h"
#include "session/sess.h"

static json_t *
dump_mrt(struct ctl_env *env, const struct ctl_req *r, char *err,
    size_t errlen)
{
	struct mrt_dump_info di;
	json_t *o;

	if (env->mrt == NULL) {
		snprintf(err, errlen, "MRT dumps are not available in this "
		    "role");
		return NULL;
	}
	if (mrt_dump_table(env->mrt, r->path, r->ctx, &di, err, errlen) == -1)
		return NULL;
	o = json_object();
	json_object_set_new(o, "schemaVersion",
	    json_integer(CTL_SCHEMA_VERSION));
	json_object_set_new(o, "path", json_string(di.path));
	json_object_set_new(o, "format", json_string("TABLE_DUMP_V2"));
	json_object_set_new(o, "contexts", json_integer((json_int_t)di.contexts));
	json_object_set_new(o, "prefixes", json_integer((json_int_t)di.prefixes));
	json_object_set_new(o, "paths", json_integer((json_int_t)di.paths));
	return o;
}

static json_t *
nbr_action(struct ctl_env *env, const struct ctl_req *r, char *err,
    size_t errlen)
{
	static const char *const names[] = { [CTL_OP_NBR_UP] = "up",
	    [CTL_OP_NBR_DOWN] = "down", [CTL_OP_NBR_CLEAR] = "clear" };
	json_t *top, *ctxs = json_array();
	struct sess *s;
	char a[ADDR_STRLEN];

	addr_ntop(&r->nbr, a, sizeof(a));
	for (s = sess_next(env->sm, NULL); s != NULL; s = sess_next(env->sm, s)) {
		if (addr_cmp(&sess_conf(s)->remote, &r->nbr) != 0)
			continue;
		if (r->op == CTL_OP_NBR_CLEAR && r->soft &&
		    sess_state(s) != SESS_ESTABLISHED) {
			snprintf(err, errlen, "neighbor %s (context %s) is %s: "
			    "a soft clear needs an Established session", a,
			    sess_conf(s)->ctx, sess_state_name(sess_state(s)));
			json_decref(ctxs);
			return NULL;
		}
		json_array_append_new(ctxs, json_string(sess_conf(s)->ctx));
	}
	if (json_array_size(ctxs) == 0) {
		snprintf(err, errlen, "no neighbor %s is configured", a);
		json_decref(ctxs);
		return NULL;
	}
	for (s = sess_next(env->sm, NULL); s != NULL; s = sess_next(env->sm, s)) {
		if (addr_cmp(&sess_conf(s)->remote, &r->nbr) != 0)
			continue;
		if (r->op == CTL_OP_NBR_UP)
			sess_admin_up(s);
		else if (r->op == CTL_OP_NBR_DOWN)
			sess_admin_down(s, r->reason);
		else if (r->soft)
			sess_clear_soft(s);
		else
			sess_clear(s, r->reason);
	}
	top = json_object();
	json_object_set_new(top, "schemaVersion",
	    json_integer(CTL_SCHEMA_VERSION));
	json_object_set_new(top, "neighbor", json_string(a));
	json_object_set_new(top, "action", json_string(names[r->op]));
	json_object_set_new(top, "soft", json_boolean(r->soft));
	json_object_set_new(top, "message", json_string(r->reason));
	json_object_set_new(top, "contexts", ctxs);
	return top;
}

json_t *
ctl_exec(struct ctl_env *env, const struct ctl_req *r, char *err,
    size_t errlen)
{
	json_t *o;

	switch (r->op) {
	case CTL_OP_SUMMARY:
		return ctl_show_summary(env);
	case CTL_OP_ROUTE:
		return ctl_show_routes(env, r, err, errlen);
	case CTL_OP_NEIGHBOR:
		return ctl_show_neighbors(env, r, err, errlen);
	case CTL_OP_NBR_UP:
	case CTL_OP_NBR_DOWN:
	case CTL_OP_NBR_CLEAR:
		return nbr_action(env, r, err, errlen);
	case CTL_OP_DUMP_MRT:
		return dump_mrt(env, r, err, errlen);
	case CTL_OP_RELOAD:
		if (env->reload == NULL) {
			snprintf(err, errlen, "reload is not available");
			return NULL;
		}
		if (env->reload(env->arg, err, errlen) == -1)
			return NULL;
		o = json_object();
		json_object_set_new(o, "schemaVersion",
		    json_integer(CTL_SCHEMA_VERSION));
		json_object_set_new(o, "reloaded", json_true());
		return o;
	}
	snprintf(err, errlen, "unknown operation");
	return NULL;
}
