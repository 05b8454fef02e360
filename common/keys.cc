#include "common/keys.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lianxin {
namespace {

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Basename(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// Created with its final mode, so a private key is never readable by others,
// not even for a moment.
absl::Status WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  ::unlink(path.c_str());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot create ", path));
  bool ok = ::fchmod(fd, mode) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s may be read by its group or others (mode %04o); a secret must be readable by its owner only "
        "(chmod 600 %s)",
        path, st.st_mode & 07777, path));
  }
  return ReadWhole(path);
}

std::string IssuerOfKid(absl::string_view kid) {
  auto dash = kid.rfind('-');
  if (dash == absl::string_view::npos || dash == 0 || dash + 1 == kid.size()) return "";
  for (char ch : kid.substr(0, dash)) {
    if (!absl::ascii_islower(ch)) return "";
  }
  for (char ch : kid.substr(dash + 1)) {
    if (!absl::ascii_isalnum(ch)) return "";
  }
  return std::string(kid.substr(0, dash));
}

absl::StatusOr<SigningKey> ReadSigningKey(const std::string& path) {
  std::string name = Basename(path);
  if (!absl::EndsWith(name, ".key")) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": a signing key file is named KID.key, e.g. org-1.key"));
  }
  SigningKey key;
  key.kid = name.substr(0, name.size() - 4);
  key.issuer = IssuerOfKid(key.kid);
  if (key.issuer.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": the key id '", key.kid, "' is not ISSUER-VERSION"));
  }
  auto pem = ReadSecretFile(path);
  if (!pem.ok()) return pem.status();
  key.pem = *std::move(pem);
  if (!absl::StrContains(key.pem, "PRIVATE KEY")) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a PEM private key"));
  }
  return key;
}

absl::StatusOr<TrustedKeys> ReadTrustDir(const std::string& dir) {
  TrustedKeys keys;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!absl::EndsWith(name, ".pub")) continue;
    std::string kid = name.substr(0, name.size() - 4);
    std::string issuer = IssuerOfKid(kid);
    if (issuer.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(entry.path().string(), ": the key id is not ISSUER-VERSION"));
    }
    auto pem = ReadWhole(entry.path().string());
    if (!pem.ok()) return pem.status();
    if (!absl::StrContains(*pem, "PUBLIC KEY")) {
      return absl::InvalidArgumentError(absl::StrCat(entry.path().string(), ": not a PEM public key"));
    }
    keys[kid] = {issuer, *std::move(pem)};
  }
  if (ec) return absl::InvalidArgumentError(absl::StrCat("cannot read directory ", dir, ": ", ec.message()));
  if (keys.empty()) return absl::InvalidArgumentError(absl::StrCat(dir, " holds no public key (KID.pub)"));
  return keys;
}

absl::Status MakeKeyPair(const std::string& dir, const std::string& kid) {
  if (IssuerOfKid(kid).empty()) return absl::InvalidArgumentError(absl::StrCat("key id '", kid, "' is not ISSUER-N"));
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (key == nullptr) return absl::InternalError("cannot generate a P-256 key");
  std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), BIO_free), pub(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    return absl::InternalError("cannot write the key pair as PEM");
  }
  auto text = [](BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(n));
  };
  if (auto s = WriteFile(absl::StrCat(dir, "/", kid, ".key"), text(priv.get()), 0600); !s.ok()) return s;
  return WriteFile(absl::StrCat(dir, "/", kid, ".pub"), text(pub.get()), 0644);
}

}  // namespace lianxin
