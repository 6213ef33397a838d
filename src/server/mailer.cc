#include "server/mailer.h"

#include <netdb.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <random>

#include "security/ip_allowlist.h"

namespace ts::server {
namespace {

constexpr std::size_t kMaxReplyLine = 1024;
constexpr int kMaxReplyLines = 64;

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool SafeHeaderValue(std::string_view v) { return v.find_first_of("\r\n") == std::string_view::npos; }

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(std::string host, std::string port, std::string from)
      : host_(std::move(host)), port_(std::move(port)), from_(std::move(from)) {}

  Status Send(const Mail& mail) override {
    if (!SafeHeaderValue(mail.to) || !SafeHeaderValue(mail.subject) || mail.to.find_first_of("<> ") != std::string::npos) {
      return InvalidArgument("mail: recipient or subject holds characters not allowed in a header");
    }
    Connection conn;
    TS_RETURN_IF_ERROR(Connect(&conn));
    TS_RETURN_IF_ERROR(Expect(conn, 220, "greeting"));
    TS_RETURN_IF_ERROR(Command(conn, "EHLO trustsheet", 250));
    TS_RETURN_IF_ERROR(Command(conn, "MAIL FROM:<" + from_ + ">", 250));
    TS_RETURN_IF_ERROR(Command(conn, "RCPT TO:<" + mail.to + ">", 250, 251));
    TS_RETURN_IF_ERROR(Command(conn, "DATA", 354));
    char date[64];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::random_device rd;
    const std::string message_id = std::to_string(now) + "." + std::to_string(rd()) + std::to_string(rd());
    const std::string message = FormatMail(from_, mail, date, message_id + "@trustsheet");
    // Base64 lines never start with '.', so no dot-stuffing is needed.
    TS_RETURN_IF_ERROR(Write(conn, message + ".\r\n"));
    TS_RETURN_IF_ERROR(Expect(conn, 250, "end of data"));
    (void)Write(conn, "QUIT\r\n");
    return Status();
  }

 private:
  struct Connection {
    int fd = -1;
    std::string buffer;
    ~Connection() {
      if (fd >= 0) ::close(fd);
    }
  };

  Status Connect(Connection* c) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found); rc != 0) {
      return Unavailable("mail: cannot resolve relay " + host_ + ": " + gai_strerror(rc));
    }
    std::string error = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      timeval tv{kSmtpTimeoutSeconds, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // bounds connect() too
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        c->fd = fd;
        break;
      }
      error = std::strerror(errno);
      ::close(fd);
    }
    ::freeaddrinfo(found);
    if (c->fd < 0) return Unavailable("mail: cannot connect to relay " + host_ + ":" + port_ + ": " + error);
    return Status();
  }

  Status Write(Connection& c, std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(c.fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return Unavailable("mail: relay " + host_ + " closed the connection while sending");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return Status();
  }

  // Reads one reply (possibly multi-line) and checks its code.
  Status Expect(Connection& c, int want, const std::string& after, int also = 0) {
    for (int lines = 0; lines < kMaxReplyLines; ++lines) {
      std::size_t eol;
      while ((eol = c.buffer.find("\r\n")) == std::string::npos) {
        if (c.buffer.size() > kMaxReplyLine) return Unavailable("mail: relay " + host_ + " sent an overlong reply line");
        char chunk[512];
        const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, 0);
        if (n <= 0) return Unavailable("mail: relay " + host_ + " did not answer " + after + " (closed or timed out)");
        c.buffer.append(chunk, static_cast<std::size_t>(n));
      }
      const std::string line = c.buffer.substr(0, eol);
      c.buffer.erase(0, eol + 2);
      if (line.size() < 3) return Unavailable("mail: relay " + host_ + " sent a malformed reply: " + line);
      const int code = std::atoi(line.substr(0, 3).c_str());
      if (line.size() > 3 && line[3] == '-') continue;  // more lines follow
      if (code != want && (also == 0 || code != also)) {
        return Unavailable("mail: relay " + host_ + " refused " + after + ": " + line);
      }
      return Status();
    }
    return Unavailable("mail: relay " + host_ + " sent too many reply lines");
  }

  Status Command(Connection& c, const std::string& line, int want, int also = 0) {
    TS_RETURN_IF_ERROR(Write(c, line + "\r\n"));
    return Expect(c, want, line.substr(0, line.find(' ')), also);
  }

  std::string host_, port_, from_;
};

}  // namespace

std::string FormatMail(const std::string& from, const Mail& mail, const std::string& date,
                       const std::string& message_id) {
  std::string body = mail.body;
  std::string crlf;  // the body with CRLF line ends, as RFC 5322 wants
  for (char ch : body) {
    if (ch == '\n') crlf += '\r';
    if (ch != '\r') crlf += ch;
  }
  const std::string encoded = Base64(crlf);
  std::string out = "From: trustsheet <" + from + ">\r\nTo: <" + mail.to + ">\r\nSubject: =?UTF-8?B?" +
                    Base64(mail.subject) + "?=\r\nDate: " + date + "\r\nMessage-ID: <" + message_id +
                    ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n";
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

Result<std::unique_ptr<Mailer>> MakeSmtpMailer(const std::string& relay, const std::string& from) {
  const std::size_t colon = relay.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == relay.size() ||
      relay.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    return InvalidArgument("--smtp takes HOST:PORT of a mail relay, e.g. 127.0.0.1:25");
  }
  std::string host = relay.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!security::IsLoopbackHost(host)) {
    return InvalidArgument("--smtp " + relay +
                           ": trustsheet sends mail only to a relay on this machine (127.0.0.1, ::1 or localhost), "
                           "which forwards it with TLS; links in mail must not cross a network in the clear");
  }
  const std::size_t at = from.find('@');
  if (from.empty() || at == std::string::npos || at == 0 || at + 1 == from.size() ||
      from.find_first_of(" <>\r\n\"") != std::string::npos) {
    return InvalidArgument("--smtp-from must be an e-mail address, e.g. trustsheet@example.com");
  }
  return std::unique_ptr<Mailer>(new SmtpMailer(host, relay.substr(colon + 1), from));
}

}  // namespace ts::server
