#include "server/mailer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace ts::server {
namespace {

std::string Unbase64(const std::string& b64) {
  std::string out(b64.size(), '\0');
  std::size_t len = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), "\r\n",
                              &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  out.resize(len);
  return out;
}

// A one-connection SMTP relay on 127.0.0.1 that answers from a script and records what the
// client sent. `refuse_rcpt` makes it refuse the recipient.
class FakeRelay {
 public:
  explicit FakeRelay(bool refuse_rcpt) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, refuse_rcpt] { Serve(refuse_rcpt); });
  }
  ~FakeRelay() {
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
  }
  int port() const { return port_; }
  // Waits for the session to end; returns everything the client sent.
  std::string Transcript() {
    if (thread_.joinable()) thread_.join();
    return received_;
  }

 private:
  void Serve(bool refuse_rcpt) {
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto say = [&](const std::string& s) { (void)::send(fd, s.data(), s.size(), MSG_NOSIGNAL); };
    say("220 relay.test ESMTP\r\n");
    std::string pending;
    bool in_data = false;
    for (int guard = 0; guard < 1000; ++guard) {
      char buf[4096];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<std::size_t>(n));
      pending.append(buf, static_cast<std::size_t>(n));
      std::size_t eol;
      while ((eol = pending.find("\r\n")) != std::string::npos) {
        const std::string line = pending.substr(0, eol);
        pending.erase(0, eol + 2);
        if (in_data) {
          if (line == ".") {
            in_data = false;
            say("250 2.0.0 queued\r\n");
          }
          continue;
        }
        if (line.rfind("EHLO", 0) == 0) {
          say("250-relay.test\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n");
        } else if (line.rfind("MAIL FROM", 0) == 0) {
          say("250 2.1.0 ok\r\n");
        } else if (line.rfind("RCPT TO", 0) == 0) {
          say(refuse_rcpt ? "550 5.1.1 no such user here\r\n" : "250 2.1.5 ok\r\n");
        } else if (line == "DATA") {
          in_data = true;
          say("354 go ahead\r\n");
        } else if (line == "QUIT") {
          say("221 bye\r\n");
          ::close(fd);
          return;
        }
      }
    }
    ::close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string received_;
};

TEST(Mailer, FormatsUtf8SubjectAndBase64BodyWithCrlf) {
  const std::string m =
      FormatMail("ts@example.com", Mail{"a@example.com", "招待", "一行目\n二行目\n"}, "Tue, 01 Dec 2026 00:00:00 +0000", "x@ts");
  EXPECT_EQ(m.rfind("From: trustsheet <ts@example.com>\r\nTo: <a@example.com>\r\nSubject: =?UTF-8?B?5oub5b6F?=\r\n", 0), 0u)
      << m;
  EXPECT_NE(m.find("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"), std::string::npos);
  const std::string body = m.substr(m.find("\r\n\r\n") + 4);
  EXPECT_EQ(Unbase64(body), "一行目\r\n二行目\r\n");
}

TEST(Mailer, RefusesARelayOffThisMachineAndBadOptions) {
  auto remote = MakeSmtpMailer("192.0.2.10:25", "ts@example.com");
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.status().message(),
            "--smtp 192.0.2.10:25: trustsheet sends mail only to a relay on this machine (127.0.0.1, ::1 or localhost), "
            "which forwards it with TLS; links in mail must not cross a network in the clear");
  EXPECT_FALSE(MakeSmtpMailer("127.0.0.1", "ts@example.com").ok());
  EXPECT_FALSE(MakeSmtpMailer("127.0.0.1:25", "not an address").ok());
  EXPECT_TRUE(MakeSmtpMailer("[::1]:25", "ts@example.com").ok());
}

TEST(Mailer, DeliversThroughALoopbackRelay) {
  FakeRelay relay(false);
  auto mailer = MakeSmtpMailer("127.0.0.1:" + std::to_string(relay.port()), "ts@example.com");
  ASSERT_TRUE(mailer.ok()) << mailer.status().message();
  Status s = (*mailer)->Send(Mail{"new@example.com", "件名", "本文 https://trust.example.com/invite#token=abc\n"});
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string t = relay.Transcript();
  EXPECT_EQ(t.rfind("EHLO trustsheet\r\nMAIL FROM:<ts@example.com>\r\nRCPT TO:<new@example.com>\r\nDATA\r\n", 0), 0u) << t;
  EXPECT_NE(t.find("\r\n.\r\nQUIT\r\n"), std::string::npos) << t;
}

TEST(Mailer, ReportsTheRelaysRefusal) {
  FakeRelay relay(true);
  auto mailer = MakeSmtpMailer("127.0.0.1:" + std::to_string(relay.port()), "ts@example.com");
  ASSERT_TRUE(mailer.ok());
  Status s = (*mailer)->Send(Mail{"gone@example.com", "件名", "本文"});
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(s.message(), "mail: relay 127.0.0.1 refused RCPT: 550 5.1.1 no such user here");
  relay.Transcript();
}

TEST(Mailer, ReportsARelayThatIsNotThere) {
  // Bind a port and close it again: nothing listens there.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  auto mailer = MakeSmtpMailer("127.0.0.1:" + std::to_string(port), "ts@example.com");
  ASSERT_TRUE(mailer.ok());
  Status s = (*mailer)->Send(Mail{"a@example.com", "s", "b"});
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.message().find("cannot connect to relay 127.0.0.1:" + std::to_string(port)), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ts::server
