// GatewayLogic: app backends and government systems, as operators manage them.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/access.h"
#include "common/auth.h"
#include "common/field_mask.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/gateway/gateway_logic.h"
#include "services/gateway/secrets.h"

namespace lianxin::gateway {
namespace {

HistoryEntry Event(const std::string& resource, const char* action, ChangeSet changes) {
  return HistoryEntry{"", "gateway", resource, action, std::move(changes)};
}

// The rules of a client's fields, by kind; `prefix` is "client.".
void CheckClient(Validator& v, const v1::Client& c, const std::vector<std::string>& paths) {
  auto named = [&](absl::string_view f) { return paths.empty() || Masks(paths, f); };
  if (named("display_name")) v.Text("client.display_name", c.display_name(), 1, 100);
  if (named("allowed_roles")) {
    for (const auto& r : c.allowed_roles()) {
      v.Check(r == kRoleResident || r == kRoleMember, "client.allowed_roles", "each must be resident or member");
    }
    if (c.kind() == v1::CLIENT_KIND_APP_BACKEND) {
      v.Check(!c.allowed_roles().empty(), "client.allowed_roles", "an app backend needs resident, member or both");
    }
  }
  if (named("methods")) {
    const std::vector<std::string> known = AccessTable::Builtin().Methods();
    for (const auto& m : c.methods()) {
      v.Check(std::find(known.begin(), known.end(), m) != known.end(), "client.methods",
              absl::StrCat("each must be a method of the platform (package.Service/Method); '", m, "' is not"));
    }
    if (c.kind() == v1::CLIENT_KIND_SYSTEM) {
      v.Check(!c.methods().empty(), "client.methods", "a system needs the list of methods it may call");
    }
  }
  if (named("certificate_subject")) {
    v.Check(c.certificate_subject().size() <= 400 && IsValidUtf8(c.certificate_subject()), "client.certificate_subject",
            "must be at most 400 bytes of UTF-8");
  }
}

bool Covers(const CallContext& c, const store::ClientRecord& rec) { return c.principal.CoversPath(rec.org_path); }

}  // namespace

absl::Status GatewayLogic::CreateClient(const CallContext& c, const v1::CreateClientRequest& req,
                                        v1::ClientWithSecret* out) {
  const v1::Client& cl = req.client();
  Validator v;
  v.Check(cl.kind() == v1::CLIENT_KIND_APP_BACKEND || cl.kind() == v1::CLIENT_KIND_SYSTEM, "client.kind",
          "must be CLIENT_KIND_APP_BACKEND or CLIENT_KIND_SYSTEM");
  v.Check(!cl.org_unit().empty(), "client.org_unit", "must be orgUnits/{id} or *");
  v.RequestId(req.request_id());
  CheckClient(v, cl, {});
  if (cl.kind() == v1::CLIENT_KIND_APP_BACKEND) {
    v.Check(cl.methods().empty(), "client.methods", "an app backend's reach is its end users' roles, not a list");
  }
  if (cl.kind() == v1::CLIENT_KIND_SYSTEM) {
    v.Check(cl.allowed_roles().empty(), "client.allowed_roles", "a system calls with the role system alone");
  }
  RETURN_IF_ERROR(v.status());
  store::ClientRecord rec;
  ASSIGN_OR_RETURN(rec.org_path, OrgPath(c, cl.org_unit(), "client.org_unit", &rec.org_scope));
  const std::string secret = NewBearerToken("");
  ASSIGN_OR_RETURN(rec.secret_hash, Hash(secret));
  rec.id = NewId();
  rec.display_name = cl.display_name();
  rec.kind = cl.kind();
  rec.allowed_roles.assign(cl.allowed_roles().begin(), cl.allowed_roles().end());
  rec.methods.assign(cl.methods().begin(), cl.methods().end());
  rec.certificate_subject = cl.certificate_subject();
  rec.version = 1;
  rec.created_us = rec.updated_us = NowUs();
  return CreateOnce(
      db_, c, req.request_id(), "CreateClient", rec.created_us,
      [&](Db&, const std::string&) -> absl::StatusOr<bool> {
        // The secret was answered once and is kept only as a hash.
        return absl::FailedPreconditionError(
            "this request_id created a client already; its secret was answered then (ResetClientSecret for another)");
      },
      [&](Db& db, RememberCreated remember) -> absl::Status {
        if (!rec.certificate_subject.empty()) {
          ASSIGN_OR_RETURN(auto taken, store::GetClientBySubject(db, rec.certificate_subject));
          if (taken.has_value()) {
            return FieldStatus(absl::StatusCode::kAlreadyExists, "client.certificate_subject",
                               "signs in another client already", "SUBJECT_TAKEN");
          }
        }
        RETURN_IF_ERROR(remember("", kClients.Name(rec.id)));
        RETURN_IF_ERROR(store::InsertClient(db, rec));
        ChangeSet changes;
        changes.Set("kind", v1::ClientKind_Name(rec.kind));
        changes.Set("org_unit", cl.org_unit());
        changes.Set("allowed_roles", absl::StrJoin(rec.allowed_roles, ","));
        changes.Set("methods", absl::StrJoin(rec.methods, ","));
        RETURN_IF_ERROR(RecordHistory(db, c, Event(kClients.Name(rec.id), "create", changes), rec.created_us));
        *out->mutable_client() = rec.ToProto();
        out->set_client_secret(secret);
        return absl::OkStatus();
      });
}

absl::Status GatewayLogic::ListClients(const CallContext& c, const v1::ListClientsRequest& req,
                                       v1::ListClientsResponse* out) {
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size()));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), "clients"));
  return db_.Run([&](Db& db) -> absl::Status {
    // Few clients exist; those outside the caller's subtree are skipped.
    ASSIGN_OR_RETURN(auto rows, store::ListClients(db, after, size + 1));
    EmitPage(
        rows, size, tokens_, "clients",
        [&](const store::ClientRecord& r) {
          if (Covers(c, r)) *out->add_clients() = r.ToProto();
        },
        [](const store::ClientRecord& r) { return r.id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::UpdateClient(const CallContext& c, const v1::UpdateClientRequest& req, v1::Client* out) {
  const v1::Client& cl = req.client();
  Validator v;
  std::string id = v.Name("client.name", cl.name(), kClients);
  std::vector<std::string> paths = MaskPaths(
      v, req.update_mask(), {"display_name", "allowed_roles", "org_unit", "methods", "certificate_subject", "disabled"},
      "the kind stays");
  RETURN_IF_ERROR(v.status());
  std::string scope, path;
  if (Masks(paths, "org_unit")) {
    ASSIGN_OR_RETURN(path, OrgPath(c, cl.org_unit(), "client.org_unit", &scope));
  }
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetClient(db, id, true));
    if (!rec.has_value() || !Covers(c, *rec))
      return MissingIn(c.principal.IsPlatformWide(), kClients, id, "client.name");
    RETURN_IF_ERROR(CheckEtag("client.etag", cl.etag(), rec->version));
    v1::Client next = rec->ToProto();
    ApplyMask(cl, paths, &next);
    Validator v2;
    CheckClient(v2, next, paths);
    RETURN_IF_ERROR(v2.status());
    ChangeSet changes;
    changes.Changed("display_name", rec->display_name, next.display_name());
    rec->display_name = next.display_name();
    std::vector<std::string> roles(next.allowed_roles().begin(), next.allowed_roles().end());
    changes.Changed("allowed_roles", absl::StrJoin(rec->allowed_roles, ","), absl::StrJoin(roles, ","));
    rec->allowed_roles = roles;
    std::vector<std::string> methods(next.methods().begin(), next.methods().end());
    changes.Changed("methods", absl::StrJoin(rec->methods, ","), absl::StrJoin(methods, ","));
    rec->methods = methods;
    changes.Changed("certificate_subject", rec->certificate_subject, next.certificate_subject());
    rec->certificate_subject = next.certificate_subject();
    changes.Changed("disabled", rec->disabled ? "true" : "false", next.disabled() ? "true" : "false");
    rec->disabled = next.disabled();
    if (Masks(paths, "org_unit")) {
      changes.Changed("org_unit", rec->org_scope, scope);
      rec->org_scope = scope;
      rec->org_path = path;
    }
    if (!changes.empty()) RETURN_IF_ERROR(store::EndSessionsOf(db, kClients.Name(id), "", now));
    RETURN_IF_ERROR(SaveChange(db, c, now, *rec, store::UpdateClient, Event(kClients.Name(id), "update", changes)));
    *out = rec->ToProto();
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::ResetClientSecret(const CallContext& c, const v1::ResetClientSecretRequest& req,
                                             v1::ClientWithSecret* out) {
  ASSIGN_OR_RETURN(std::string id, kClients.Parse(req.name(), "name"));
  const std::string secret = NewBearerToken("");
  ASSIGN_OR_RETURN(std::string hash, Hash(secret));
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetClient(db, id, true));
    if (!rec.has_value() || !Covers(c, *rec)) return MissingIn(c.principal.IsPlatformWide(), kClients, id, "name");
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), rec->version));
    rec->secret_hash = hash;
    RETURN_IF_ERROR(store::EndSessionsOf(db, kClients.Name(id), "", now));
    ChangeSet changes;
    changes.Set("secret", "(reset)");
    RETURN_IF_ERROR(
        SaveChange(db, c, now, *rec, store::UpdateClient, Event(kClients.Name(id), "secret_reset", changes)));
    *out->mutable_client() = rec->ToProto();
    out->set_client_secret(secret);
    return absl::OkStatus();
  });
}

}  // namespace lianxin::gateway
