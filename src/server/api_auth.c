/*
 * api_auth.c — the endpoints of identity and accountability: health,
 * login/logout/me (browser sessions), users and API tokens (admin), and
 * reading the audit log.
 *
 * Login answers the same 401 for an unknown login, a wrong password and a
 * deactivated user, and checks a password even for an unknown login (a
 * dummy hash), so the answer time does not tell which logins exist.
 */
#include "server/srv_int.h"

#include "registry/registry.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static json_object *user_json(const gd_user *u)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", srv_jint(u->id));
    json_object_object_add(o, "login", srv_jstr(u->login));
    json_object_object_add(o, "name", srv_jstr(u->name));
    json_object_object_add(o, "role", srv_jstr(gd_role_name(u->role)));
    json_object_object_add(o, "facility", srv_jstr(u->facility));
    json_object_object_add(o, "province", srv_jstr(u->province));
    json_object_object_add(o, "active", json_object_new_boolean(u->active));
    return o;
}

/* Liveness for load balancers and scripts: no store access, so it stays
 * cheap whatever the store's size. */
static void get_health(srv_req *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "status", srv_jstr("ok"));
    json_object_object_add(o, "registry_version", srv_jint((int64_t)gd_registry_version(r->srv->engine.reg)));
    json_object_object_add(o, "risk_model", json_object_new_boolean(r->srv->risk != NULL));
    srv_json(r, 200, o);
}

/* ---- sessions ---------------------------------------------------------------------- */

static bool check_login(srv_req *r, const char *login, const char *password, gd_user *u)
{
    static char dummy[GD_PASSWORD_HASH_SIZE];
    char hash[GD_PASSWORD_HASH_SIZE] = "";
    bool found = false;
    gd_err err;
    if (gd_store_user_by_login(r->db, login, u, hash, sizeof hash, &found, &err) != GD_OK) {
        srv_fail(r, &err);
        return false;
    }
    if (!found) {
        if (!dummy[0]) gd_password_hash("not a password of anyone", false, dummy, &err);
        gd_password_check(dummy, password);
    }
    if (!found || !u->active || !gd_password_check(hash, password))
        return srv_error(r, 401, "wrong login or password");
    return true;
}

static bool open_session(srv_req *r, const gd_user *u, char *csrf, size_t size)
{
    char sid[65];
    unsigned char hash[32];
    srv_random_hex(sid, 32);
    srv_random_hex(csrf, size >= 33 ? 16 : (size - 1) / 2);
    srv_secret_hash(sid, hash);
    int64_t now = (int64_t)time(NULL), life = (int64_t)r->srv->opts.session_minutes * 60;
    gd_err err;
    if (gd_store_session_add(r->db, hash, u->id, csrf, now, now + life, &err) != GD_OK) {
        srv_fail(r, &err);
        return false;
    }
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "gd_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld", sid, (long long)life);
    return true;
}

static void post_login(srv_req *r)
{
    json_object *in = srv_body_object(r);
    const char *login, *password;
    gd_user u;
    char csrf[40];
    char client[64];
    srv_client_address(r, client, sizeof client);
    bool fields = in && srv_field_str(r, in, "login", true, &login) && srv_field_str(r, in, "password", true, &password);
    int64_t wait = fields ? srv_login_throttled(login, client) : 0;
    if (wait) srv_error(r, 429, "too many failed logins; try again in %lld minutes", (long long)(wait + 59) / 60);
    bool ok = fields && !wait && check_login(r, login, password, &u);
    if (fields && !wait) srv_login_result(login, client, ok);
    if (ok && open_session(r, &u, csrf, sizeof csrf)) {
        r->user = u;
        gd_err err;
        if (srv_audit(r, "auth.login", "user", NULL, NULL, &err) != GD_OK) fprintf(stderr, "audit: %s\n", err.msg);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "user", user_json(&u));
        json_object_object_add(o, "csrf", srv_jstr(csrf));
        srv_json(r, 200, o);
    }
    if (in) json_object_put(in);
}

static void post_logout(srv_req *r)
{
    const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "gd_session");
    if (r->by_session && sid) {
        unsigned char hash[32];
        srv_secret_hash(sid, hash);
        srv_auth_forget(hash);
        gd_err err;
        if (gd_store_session_delete(r->db, hash, &err) != GD_OK) { srv_fail(r, &err); return; }
    }
    snprintf(r->set_cookie, sizeof r->set_cookie, "gd_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ok", json_object_new_boolean(1));
    srv_json(r, 200, o);
}

static void get_me(srv_req *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "user", user_json(&r->user));
    json_object_object_add(o, "csrf", r->by_session ? srv_jstr(r->csrf) : NULL);
    srv_json(r, 200, o);
}

/* ---- users and tokens (admin) ------------------------------------------------------ */

static int add_user_json(void *ctx, const gd_user *u)
{
    json_object_array_add(ctx, user_json(u));
    return 0;
}

static void get_users(srv_req *r)
{
    json_object *list = json_object_new_array();
    gd_err err;
    if (gd_store_users_scan(r->db, add_user_json, list, &err) != GD_OK) {
        json_object_put(list);
        srv_fail(r, &err);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "users", list);
    srv_json(r, 200, o);
}

/* Fills u from the body; answers 400 and returns false when a field is bad. */
static bool user_from_body(srv_req *r, json_object *in, gd_user *u, const char **password)
{
    const char *login, *name, *role, *facility = "", *province = "";
    if (!srv_field_str(r, in, "login", true, &login) || !srv_field_str(r, in, "name", true, &name) ||
        !srv_field_str(r, in, "role", true, &role) || !srv_field_str(r, in, "password", true, password) ||
        !srv_field_str(r, in, "facility", false, &facility) || !srv_field_str(r, in, "province", false, &province))
        return false;
    int rl = gd_role_parse(role);
    if (rl < 0) return srv_error(r, 400, "field 'role' must be facility, reviewer, manager or admin");
    if (strlen(login) >= sizeof u->login || strlen(name) >= sizeof u->name)
        return srv_error(r, 400, "field 'login' or 'name' is too long");
    if ((facility && strlen(facility) >= sizeof u->facility) || (province && strlen(province) >= sizeof u->province))
        return srv_error(r, 400, "field 'facility' or 'province' is too long");
    memset(u, 0, sizeof *u);
    snprintf(u->login, sizeof u->login, "%s", login);
    snprintf(u->name, sizeof u->name, "%s", name);
    snprintf(u->facility, sizeof u->facility, "%s", facility ? facility : "");
    snprintf(u->province, sizeof u->province, "%s", province ? province : "");
    u->role = (gd_role)rl;
    u->active = true;
    return true;
}

static void post_users(srv_req *r)
{
    json_object *in = srv_body_object(r);
    gd_user u;
    const char *password;
    if (!in) return;
    if (!user_from_body(r, in, &u, &password)) { json_object_put(in); return; }
    gd_err err;
    gd_err_clear(&err);
    gd_status st = gd_store_tx_begin(r->db, &err);
    if (st == GD_OK) st = gd_server_add_user(r->db, &u, password, false, &u.id, &err);
    json_object *out = user_json(&u);
    if (st == GD_OK) {
        char object[40];
        snprintf(object, sizeof object, "user:%lld", (long long)u.id);
        st = srv_audit(r, "user.add", object, NULL, json_object_to_json_string(out), &err);
    }
    gd_err ignored;
    if (st == GD_OK) st = gd_store_tx_end(r->db, true, &err);
    else gd_store_tx_end(r->db, false, &ignored);
    json_object_put(in);
    if (st == GD_EINPUT) {
        json_object_put(out);
        srv_error(r, strstr(err.msg, "already taken") ? 409 : 400, "%s", err.msg);
        return;
    }
    if (st != GD_OK) { json_object_put(out); srv_fail(r, &err); return; }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "user", out);
    srv_json(r, 201, o);
}

static void post_token(srv_req *r)
{
    json_object *in = r->body_len ? srv_body_object(r) : json_object_new_object();
    const char *label = NULL;
    if (!in || !srv_field_str(r, in, "label", false, &label)) { if (in) json_object_put(in); return; }
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    gd_user u;
    bool found = false;
    gd_err err;
    gd_err_clear(&err);
    char token[GD_TOKEN_SIZE], object[40];
    snprintf(object, sizeof object, "user:%lld", id);
    gd_status st = *end ? GD_EINPUT : gd_store_user_by_id(r->db, id, &u, &found, &err);
    if (st == GD_OK && !found) st = GD_EINPUT;
    if (st == GD_OK) st = gd_store_tx_begin(r->db, &err);
    json_object *after = json_object_new_object();
    json_object_object_add(after, "label", srv_jstr(label ? label : ""));
    if (st == GD_OK) {
        gd_err ignored;
        st = gd_server_issue_token(r->db, id, label ? label : "", token, &err);
        if (st == GD_OK) st = srv_audit(r, "token.issue", object, NULL, json_object_to_json_string(after), &err);
        if (st == GD_OK) st = gd_store_tx_end(r->db, true, &err);
        else gd_store_tx_end(r->db, false, &ignored);
    }
    json_object_put(in);                    /* label pointed into it: after holds a copy */
    if (st == GD_EINPUT) srv_error(r, 404, "no user %s", r->params[0]);
    else if (st != GD_OK) srv_fail(r, &err);
    if (st != GD_OK) { json_object_put(after); return; }
    json_object_object_add(after, "token", srv_jstr(token));
    srv_json(r, 201, after);
}

/* ---- the audit log ----------------------------------------------------------------- */

static int add_audit_json(void *ctx, const gd_audit_entry *e)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", srv_jint(e->id));
    json_object_object_add(o, "at", srv_jstr(e->at));
    json_object_object_add(o, "login", srv_jstr(e->login));
    json_object_object_add(o, "role", srv_jstr(e->role));
    json_object_object_add(o, "action", srv_jstr(e->action));
    json_object_object_add(o, "object", srv_jstr(e->object));
    json_object_object_add(o, "before", srv_jstr(e->before));
    json_object_object_add(o, "after", srv_jstr(e->after));
    json_object_array_add(ctx, o);
    return 0;
}

/* Reviewers read the entries of one claim they can see; managers and admins everything. */
static bool may_read_object(srv_req *r, const char *object)
{
    if (r->user.role == GD_ROLE_MANAGER || r->user.role == GD_ROLE_ADMIN) return true;
    if (!object || strncmp(object, "claim:", 6) != 0)
        return srv_error(r, 403, "reviewers read the audit entries of one claim (object=claim:FACILITY:KEY)");
    char facility[16];
    snprintf(facility, sizeof facility, "%.*s", (int)strcspn(object + 6, ":"), object + 6);
    return srv_can_see_facility(r, facility);
}

static void get_audit_log(srv_req *r)
{
    const char *object = srv_query(r, "object");
    int64_t limit;
    if (!srv_query_int(r, "limit", 1, 1000, 100, &limit) || !may_read_object(r, object)) return;
    json_object *list = json_object_new_array();
    int64_t bad = 0;
    uint64_t n = 0;
    gd_err err;
    gd_status st = gd_store_audit_scan(r->db, object, (size_t)limit, add_audit_json, list, &err);
    if (st == GD_OK && !object) st = gd_store_audit_verify(r->db, &bad, &n, &err);
    if (st != GD_OK) { json_object_put(list); srv_fail(r, &err); return; }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "entries", list);
    if (!object) json_object_object_add(o, "chain_ok", json_object_new_boolean(bad == 0));
    if (bad) json_object_object_add(o, "chain_broken_at", srv_jint(bad));
    srv_json(r, 200, o);
}

const srv_route srv_routes_auth[] = {
    {"GET", "/health", SRV_PUBLIC, get_health},
    {"POST", "/auth/login", SRV_PUBLIC, post_login},
    {"POST", "/auth/logout", SRV_ANY, post_logout},
    {"GET", "/auth/me", SRV_ANY, get_me},
    {"GET", "/users", SRV_ADMIN, get_users},
    {"POST", "/users", SRV_ADMIN, post_users},
    {"POST", "/users/*/tokens", SRV_ADMIN, post_token},
    {"GET", "/audit-log", SRV_STAFF, get_audit_log},
    {NULL, NULL, 0, NULL},
};
