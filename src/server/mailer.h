// Outgoing e-mail for invitations and password-reset links. Mailer is the seam (tests use a
// fake); SmtpMailer speaks plain SMTP (RFC 5321) to a relay on a loopback address — the local
// MTA, which relays onward with TLS — so no link ever crosses a network in the clear. Each
// Send opens its own connection: thread-safe.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

namespace ts::server {

struct Mail {
  std::string to;       // one address, already validated
  std::string subject;  // UTF-8
  std::string body;     // UTF-8 plain text
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Delivers `mail` to the relay. Unavailable with the relay's words when it refuses.
  virtual Status Send(const Mail& mail) = 0;
};

inline constexpr int kSmtpTimeoutSeconds = 10;  // connect, and each reply

// "HOST:PORT" (IPv6 in brackets) of a loopback relay and the From address. InvalidArgument
// for a malformed option or a relay that is not on a loopback address.
Result<std::unique_ptr<Mailer>> MakeSmtpMailer(const std::string& relay, const std::string& from);

// The message as sent after DATA (headers, base64 body, CRLF line ends, no final dot); for
// tests and the relay's sake. `date` and `message_id` are given so the result is stable.
std::string FormatMail(const std::string& from, const Mail& mail, const std::string& date,
                       const std::string& message_id);

}  // namespace ts::server
