/*
 * srv_fhir.c — the answer to a FHIR submission: each decided claim as an
 * HL7 FHIR R4 ClaimResponse, in a Bundle of type collection.
 *
 * Mapping (docs/server.md): outcome "complete" for a final decision,
 * "queued" while the claim waits for a reviewer or an appeal; disposition
 * the decision in words; total[] the submitted / eligible / benefit /
 * copay amounts in VND; payment the fund's amount; item[] one per
 * decided line in the order of the decision's lines (itemSequence from
 * 1), with the same four adjudications; processNote[] one per flag
 * ("RULE: message").
 */
#include "server/srv.h"

#include <stdio.h>
#include <string.h>

static json_object *coding(const char *system, const char *code)
{
    json_object *c = json_object_new_object(), *list = json_object_new_array(), *o = json_object_new_object();
    if (system) json_object_object_add(c, "system", json_object_new_string(system));
    json_object_object_add(c, "code", json_object_new_string(code));
    json_object_array_add(list, c);
    json_object_object_add(o, "coding", list);
    return o;
}

static json_object *money(int64_t v)
{
    json_object *m = json_object_new_object();
    json_object_object_add(m, "value", json_object_new_int64(v));
    json_object_object_add(m, "currency", json_object_new_string("VND"));
    return m;
}

static int64_t member_int(json_object *o, const char *name)
{
    json_object *v;
    return json_object_object_get_ex(o, name, &v) ? json_object_get_int64(v) : 0;
}

static const char *member_str(json_object *o, const char *name)
{
    json_object *v;
    return json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v) : "";
}

#define ADJ_SYSTEM "http://terminology.hl7.org/CodeSystem/adjudication"

/* submitted / eligible / benefit / copay of an object with claimed, allowed,
 * fund_pays and patient_pays members; name = "adjudication" or "total". */
static json_object *amounts(json_object *src, bool total)
{
    static const char *const cats[][2] = {{"submitted", "claimed"}, {"eligible", "allowed"},
                                          {"benefit", "fund_pays"}, {"copay", "patient_pays"}};
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < 4; i++) {
        json_object *a = json_object_new_object();
        json_object_object_add(a, "category", coding(ADJ_SYSTEM, cats[i][0]));
        json_object_object_add(a, total ? "amount" : "amount", money(member_int(src, cats[i][1])));
        json_object_array_add(list, a);
    }
    return list;
}

static json_object *items_of(json_object *summary)
{
    json_object *lines, *items = json_object_new_array();
    if (!json_object_object_get_ex(summary, "lines", &lines)) return items;
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        json_object *line = json_object_array_get_idx(lines, i), *it = json_object_new_object();
        json_object_object_add(it, "itemSequence", json_object_new_int((int)i + 1));
        json_object_object_add(it, "adjudication", amounts(line, false));
        json_object_array_add(items, it);
    }
    return items;
}

static json_object *notes_of(json_object *summary)
{
    json_object *flags, *notes = json_object_new_array();
    if (!json_object_object_get_ex(summary, "flags", &flags)) return notes;
    for (size_t i = 0; i < json_object_array_length(flags); i++) {
        json_object *f = json_object_array_get_idx(flags, i), *n = json_object_new_object();
        char text[700];
        snprintf(text, sizeof text, "%s: %s", member_str(f, "rule"), member_str(f, "message"));
        json_object_object_add(n, "number", json_object_new_int((int)i + 1));
        json_object_object_add(n, "type", json_object_new_string("display"));
        json_object_object_add(n, "text", json_object_new_string(text));
        json_object_array_add(notes, n);
    }
    return notes;
}

static json_object *identifier(const char *system, const char *value)
{
    json_object *ref = json_object_new_object(), *id = json_object_new_object();
    json_object_object_add(id, "system", json_object_new_string(system));
    json_object_object_add(id, "value", json_object_new_string(value));
    json_object_object_add(ref, "identifier", id);
    return ref;
}

static json_object *claim_response(json_object *s)
{
    json_object *o = json_object_new_object();
    char id[160], disp[200];
    snprintf(id, sizeof id, "%s-%s-r%lld", member_str(s, "facility"), member_str(s, "claim_key"),
             (long long)member_int(s, "revision"));
    bool final = strcmp(member_str(s, "workflow"), "final") == 0;
    snprintf(disp, sizeof disp, "%s (%s); revision %lld, %s", member_str(s, "outcome"), member_str(s, "workflow"),
             (long long)member_int(s, "revision"), member_str(s, "status"));
    json_object_object_add(o, "resourceType", json_object_new_string("ClaimResponse"));
    json_object_object_add(o, "id", json_object_new_string(id));
    json_object_object_add(o, "status", json_object_new_string("active"));
    json_object_object_add(o, "type", coding("http://terminology.hl7.org/CodeSystem/claim-type",
                                             strcmp(member_str(s, "visit_class"), "inpatient") == 0
                                                 ? "institutional" : "professional"));
    json_object_object_add(o, "use", json_object_new_string("claim"));
    json_object_object_add(o, "patient", identifier("urn:vn:bhyt:card", member_str(s, "card")));
    json_object_object_add(o, "created", json_object_new_string(member_str(s, "decided_at")));
    json_object_object_add(o, "request", identifier("urn:vn:bhyt:claim", member_str(s, "claim_id")));
    json_object_object_add(o, "outcome", json_object_new_string(final ? "complete" : "queued"));
    json_object_object_add(o, "disposition", json_object_new_string(disp));
    json_object_object_add(o, "item", items_of(s));
    json_object_object_add(o, "total", amounts(s, true));
    json_object *pay = json_object_new_object();
    json_object_object_add(pay, "amount", money(member_int(s, "fund_pays")));
    json_object_object_add(o, "payment", pay);
    json_object_object_add(o, "processNote", notes_of(s));
    return o;
}

json_object *srv_fhir_claim_responses(json_object *answer)
{
    json_object *claims, *entries = json_object_new_array();
    if (json_object_object_get_ex(answer, "claims", &claims))
        for (size_t i = 0; i < json_object_array_length(claims); i++) {
            json_object *e = json_object_new_object();
            json_object_object_add(e, "resource", claim_response(json_object_array_get_idx(claims, i)));
            json_object_array_add(entries, e);
        }
    json_object *b = json_object_new_object();
    json_object_object_add(b, "resourceType", json_object_new_string("Bundle"));
    json_object_object_add(b, "type", json_object_new_string("collection"));
    json_object_object_add(b, "entry", entries);
    json_object_put(answer);
    return b;
}
