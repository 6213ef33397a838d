#include "security/password.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "security/digest.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::security {
namespace {

constexpr std::string_view kCommonPasswords =
#include "security/common_passwords_txt.inc"
    ;

// Interactive-grade Argon2id: 64 MiB, 2 passes (libsodium's INTERACTIVE preset).
constexpr unsigned long long kOps = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

const std::unordered_set<std::string>& Common() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> out;
    for (std::string_view line : text::SplitLines(kCommonPasswords)) {
      line = text::Trim(line);
      if (!line.empty() && line[0] != '#') out.insert(text::AsciiLower(line));
    }
    return out;
  }();
  return set;
}

// "Password2024!" -> "password": the word under the decoration people add.
std::string Core(const std::string& lower) {
  std::size_t b = 0, e = lower.size();
  while (e > b && !std::isalpha(static_cast<unsigned char>(lower[e - 1]))) --e;
  while (b < e && !std::isalpha(static_cast<unsigned char>(lower[b]))) ++b;
  return lower.substr(b, e - b);
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOps, kMem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhausted("password hashing: out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  EnsureSodium();
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string h(encoded_hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view encoded_hash) {
  EnsureSodium();
  const std::string h(encoded_hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), kOps, kMem) != 0;
}

std::vector<std::string> CheckPassword(const PasswordPolicy& policy, std::string_view password,
                                       const std::vector<std::string>& context,
                                       const std::vector<std::string>& recent_hashes) {
  std::vector<std::string> why;
  const std::size_t length = text::CodePointCount(password);
  if (length < static_cast<std::size_t>(policy.min_length)) {
    why.push_back("use at least " + std::to_string(policy.min_length) + " characters (this has " +
                  std::to_string(length) + ")");
  }
  if (length > static_cast<std::size_t>(policy.max_length)) {
    why.push_back("use at most " + std::to_string(policy.max_length) + " characters");
  }
  bool lower = false, upper = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    lower = lower || std::islower(c);
    upper = upper || std::isupper(c);
    digit = digit || std::isdigit(c);
    symbol = symbol || (!std::isalnum(c) && c != ' ');
  }
  const int classes = lower + upper + digit + symbol;
  if (classes < policy.min_classes) {
    why.push_back("mix at least " + std::to_string(policy.min_classes) +
                  " of: lower-case letters, upper-case letters, digits, symbols");
  }
  const std::string low = text::AsciiLower(text::NormalizeText(password));
  if (policy.reject_common && (Common().contains(low) || Common().contains(Core(low)))) {
    why.push_back("this password is among the most commonly used ones");
  }
  for (const std::string& word : context) {
    const std::string w = text::AsciiLower(text::NormalizeText(word));
    if (w.size() >= 3 && low.find(w) != std::string::npos) {
      why.push_back("do not use your name, e-mail address or organization in the password");
      break;
    }
  }
  const std::size_t check = std::min<std::size_t>(recent_hashes.size(), static_cast<std::size_t>(std::max(0, policy.history)));
  for (std::size_t i = 0; i < check; ++i) {
    if (VerifyPassword(recent_hashes[i], password)) {
      why.push_back("do not reuse any of your last " + std::to_string(policy.history) + " passwords");
      break;
    }
  }
  return why;
}

bool PasswordExpired(const PasswordPolicy& policy, std::int64_t age_days) {
  return policy.max_age_days > 0 && age_days >= policy.max_age_days;
}

bool PasswordTooNewToChange(const PasswordPolicy& policy, std::int64_t age_days) {
  return policy.min_age_days > 0 && age_days < policy.min_age_days;
}

}  // namespace ts::security
