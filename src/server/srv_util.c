/*
 * srv_util.c — the small tools every handler uses: query arguments, JSON
 * bodies and fields (with 400 answers naming what is wrong), the caller's
 * scope, audit entries and JSON value builders.
 */
#include "server/srv_int.h"

#include "base/date.h"
#include "base/text.h"
#include "registry/registry.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- query arguments ------------------------------------------------------- */

const char *srv_query(srv_req *r, const char *name)
{
    const char *v = NULL;
    if (r->conn)
        v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    else
        for (const char *const *a = r->args; a && a[0] && !v; a += 2)
            if (strcmp(a[0], name) == 0) v = a[1];
    return v && *v ? v : NULL;
}

bool srv_query_int(srv_req *r, const char *name, int64_t min, int64_t max, int64_t dflt, int64_t *out)
{
    const char *v = srv_query(r, name);
    *out = dflt;
    if (!v) return true;
    errno = 0;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || n < min || n > max)
        return srv_error(r, 400, "query parameter '%s' must be an integer from %lld to %lld", name, (long long)min,
                         (long long)max);
    *out = n;
    return true;
}

bool srv_query_date(srv_req *r, const char *name, int32_t dflt, int32_t *out)
{
    const char *v = srv_query(r, name);
    *out = dflt;
    if (!v) return true;
    gd_date d;
    if (strlen(v) != 10 || gd_date_parse(v, &d) != 0)
        return srv_error(r, 400, "query parameter '%s' must be a date YYYY-MM-DD", name);
    *out = d;
    return true;
}

/* ---- JSON bodies ------------------------------------------------------------- */

json_object *srv_body_object(srv_req *r)
{
    if (r->body_len == 0) { srv_error(r, 400, "a JSON object body is required"); return NULL; }
    size_t valid = gd_utf8_valid_prefix(r->body, r->body_len);
    if (valid != r->body_len) {
        srv_error(r, 400, "body is not valid UTF-8 at byte %zu", valid);
        return NULL;
    }
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok) { srv_error(r, 500, "out of memory"); return NULL; }
    json_object *o = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t at = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (e != json_tokener_success || at != r->body_len) {
        if (o) json_object_put(o);
        srv_error(r, 400, "body is not valid JSON at byte %zu: %s", at,
                  e == json_tokener_success ? "trailing data" : json_tokener_error_desc(e));
        return NULL;
    }
    if (!json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        srv_error(r, 400, "body must be a JSON object");
        return NULL;
    }
    return o;
}

bool srv_field_str(srv_req *r, json_object *o, const char *name, bool required, const char **out)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
        return required ? srv_error(r, 400, "field '%s' is required", name) : true;
    if (!json_object_is_type(v, json_type_string)) return srv_error(r, 400, "field '%s' must be a string", name);
    *out = json_object_get_string(v);
    return true;
}

bool srv_field_int(srv_req *r, json_object *o, const char *name, bool required, int64_t *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
        return required ? srv_error(r, 400, "field '%s' is required", name) : true;
    if (!json_object_is_type(v, json_type_int)) return srv_error(r, 400, "field '%s' must be an integer", name);
    *out = json_object_get_int64(v);
    return true;
}

/* ---- scope -------------------------------------------------------------------- */

const char *srv_facility_province(const gd_server *s, const char *facility)
{
    const gd_facility *f = gd_registry_find_facility(s->engine.reg, facility);
    return f ? f->province : "";
}

bool srv_can_see_facility(srv_req *r, const char *facility)
{
    const gd_user *u = &r->user;
    bool ok = true;
    if (u->role == GD_ROLE_FACILITY) ok = strcmp(u->facility, facility) == 0;
    else if (u->role == GD_ROLE_REVIEWER && u->province[0])
        ok = strcmp(srv_facility_province(r->srv, facility), u->province) == 0;
    if (!ok) srv_error(r, 404, "no such claim or facility visible to you");
    return ok;
}

/* ---- audit ----------------------------------------------------------------------- */

void srv_now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

gd_status srv_audit(srv_req *r, const char *action, const char *object, const char *before, const char *after,
                    gd_err *err)
{
    char at[32];
    srv_now_iso(at, sizeof at);
    gd_audit_entry e = {.at = at, .user_id = r->user.id, .login = r->user.login,
                        .role = gd_role_name(r->user.role), .action = action, .object = object,
                        .before = before, .after = after};
    /* The store's write lock orders the chain: the append reads the last
     * hash inside the writing transaction. */
    return gd_store_audit_append(r->db, &e, err);
}

/* ---- JSON values ------------------------------------------------------------------ */

json_object *srv_jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }
json_object *srv_jint(int64_t v) { return json_object_new_int64(v); }

json_object *srv_jscore(int32_t e4)
{
    char text[16];
    snprintf(text, sizeof text, "%d.%04d", e4 / 10000, e4 % 10000);
    return json_object_new_double_s(e4 / 10000.0, text);
}

json_object *srv_jdate(int32_t d)
{
    if (d == GD_DATE_NONE) return NULL;
    char buf[16];
    return json_object_new_string(gd_date_format(d, buf));
}

json_object *srv_jtime(int64_t t)
{
    if (t == GD_TIME_NONE) return NULL;
    char day[16], buf[24];
    gd_date_format(gd_time_date(t), day);
    int64_t m = t - (int64_t)gd_time_date(t) * 1440;
    snprintf(buf, sizeof buf, "%sT%02d:%02d", day, (int)(m / 60), (int)(m % 60));
    return json_object_new_string(buf);
}
