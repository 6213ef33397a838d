// `trustsheet serve`, `trustsheet audit verify` and `trustsheet keys rotate`.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <pthread.h>
#include <thread>

#include "cli/commands.h"
#include "server/server.h"

namespace ts::cli {
namespace {

struct ServeArgs {
  server::ServerConfig config;
  std::string listen = "127.0.0.1:8080";
  std::string demo_dir;
};

Status ParseListen(const std::string& listen, server::ServerConfig* config) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    return InvalidArgument("usage: --listen takes HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) > 65535) {
    return InvalidArgument("usage: --listen port must be a number from 0 to 65535");
  }
  config->host = host;
  config->port = std::stoi(port);
  return Status();
}

int RunServe(ServeArgs& a) {
  Status s = ParseListen(a.listen, &a.config);
  if (!s.ok()) return Fail("serve", s);
  a.config.log = &std::cout;
  // SIGTERM and SIGINT are taken by a waiting thread (not a handler), which stops the server:
  // running requests finish, then the database is closed and its WAL checkpointed.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto srv = server::Server::Create(a.config);
  if (!srv.ok()) return Fail("serve", srv.status());
  if (!a.demo_dir.empty()) {
    Status d = (*srv)->LoadDemo(a.demo_dir);
    if (!d.ok()) return Fail("serve", d);
  }
  auto port = (*srv)->Bind();
  if (!port.ok()) return Fail("serve", port.status());
  server::Server* raw = srv->get();
  std::thread waiter([raw, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::cout << "trustsheet serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ", finishing requests\n";
    raw->Stop();
  });
  Status l = (*srv)->Listen();
  if (waiter.joinable()) {
    // Listen returned on its own (not by a signal): wake the waiter.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  }
  srv->reset();
  if (!l.ok()) return Fail("serve", l);
  std::cout << "trustsheet serve: stopped\n";
  return kExitOk;
}

}  // namespace

void AddServerCommands(CLI::App& app, std::vector<Command>* commands) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* serve = app.add_subcommand("serve", "Run the multi-tenant service and its JSON API (docs/api.yaml)");
  serve->add_option("--data", a->config.data_dir, "data directory (database, master key)")->capture_default_str();
  serve->add_option("--listen", a->listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--tls-cert", a->config.tls_cert, "PEM certificate (chain) for HTTPS");
  serve->add_option("--tls-key", a->config.tls_key, "PEM private key for HTTPS");
  serve->add_flag("--behind-proxy", a->config.behind_proxy, "allow plain HTTP on a non-loopback address behind a TLS proxy");
  serve->add_option("--trusted-proxy", a->config.trusted_proxies, "address whose X-Forwarded-For is trusted (repeat)");
  serve->add_option("--master-key-file", a->config.master_key_file,
                    "master key (32 bytes; created 0600 if absent; default DATA/master.key)");
  serve->add_option("--audit-retention-days", a->config.audit_retention_days, "drop audit records older than this (0: keep)");
  serve->add_option("--threads", a->config.threads, "worker threads")->capture_default_str();
  serve->add_option("--lockout-failures", a->config.lockout.max_failures,
                    "consecutive failed sign-ins that lock an account")->capture_default_str();
  serve->add_option("--lockout-minutes", a->config.lockout.lock_minutes, "how long a locked account stays locked")
      ->capture_default_str();
  serve->add_option("--demo", a->demo_dir, "load the demo organization from this folder of sample checksheets");
  serve->add_option("--public-url", a->config.public_url,
                    "address users reach the service at, for links in mail (e.g. https://trust.example.com)");
  serve->add_option("--smtp", a->config.smtp_relay,
                    "mail relay on this machine (HOST:PORT, loopback only) for invitations and reset links");
  serve->add_option("--smtp-from", a->config.smtp_from, "From address of that mail");
  commands->push_back({serve, [a] { return RunServe(*a); }});

  auto audit_dir = std::make_shared<std::string>("data");
  CLI::App* audit = app.add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "Check the audit log's hash chain: any edited or deleted record");
  verify->add_option("--data", *audit_dir, "data directory")->capture_default_str();
  commands->push_back({verify, [audit_dir] {
                         std::int64_t n = 0;
                         Status s = server::VerifyAudit(*audit_dir, &n);
                         if (!s.ok()) return Fail("audit verify", s);
                         std::cout << "audit log intact: " << n << " records\n";
                         return kExitOk;
                       }});

  struct BackupArgs {
    std::string data = "data", out;
  };
  auto b = std::make_shared<BackupArgs>();
  CLI::App* backup = app.add_subcommand("backup", "Write a consistent copy of the database (the server may run)");
  backup->add_option("--data", b->data, "data directory")->capture_default_str();
  backup->add_option("-o,--output", b->out, "the backup file to write (must not exist; 0600)")->required();
  commands->push_back({backup, [b] {
                         auto r = server::BackupData(b->data, b->out);
                         if (!r.ok()) return Fail("backup", r.status());
                         std::cout << "backup written to " << b->out << ": " << r->bytes << " bytes, " << r->organizations
                                   << " organizations with encrypted data, audit log intact (" << r->audit_records
                                   << " records). The master key is not in it: keep a copy of the key apart.\n";
                         return kExitOk;
                       }});

  struct RestoreArgs {
    std::string data = "data", key, from;
  };
  auto rs = std::make_shared<RestoreArgs>();
  CLI::App* restore = app.add_subcommand("restore", "Replace the database by a checked backup (stop the server first)");
  restore->add_option("--data", rs->data, "data directory")->capture_default_str();
  restore->add_option("--from", rs->from, "the backup file")->required();
  restore->add_option("--master-key-file", rs->key, "the master key the backup's data opens with (default DATA/master.key)");
  commands->push_back({restore, [rs] {
                         auto r = server::RestoreData(rs->data, rs->key, rs->from);
                         if (!r.ok()) return Fail("restore", r.status());
                         std::cout << "restored " << rs->from << ": " << r->organizations
                                   << " organizations with encrypted data, audit log intact (" << r->audit_records
                                   << " records); the replaced database is kept as " << r->previous << "\n";
                         return kExitOk;
                       }});

  struct RotateArgs {
    std::string data = "data", key, new_key;
  };
  auto r = std::make_shared<RotateArgs>();
  CLI::App* keys = app.add_subcommand("keys", "Encryption keys");
  keys->require_subcommand(1);
  CLI::App* rotate = keys->add_subcommand("rotate", "Re-wrap every organization's data key under a new master key");
  rotate->add_option("--data", r->data, "data directory")->capture_default_str();
  rotate->add_option("--master-key-file", r->key, "the current master key (default DATA/master.key)");
  rotate->add_option("--new-key-file", r->new_key, "where to write the new master key (0600)")->required();
  commands->push_back({rotate, [r] {
                         auto n = server::RotateMasterKey(r->data, r->key, r->new_key);
                         if (!n.ok()) return Fail("keys rotate", n.status());
                         std::cout << "re-wrapped " << *n << " data keys under " << r->new_key
                                   << "; start the server with --master-key-file " << r->new_key
                                   << " and destroy the old key file\n";
                         return kExitOk;
                       }});
}

}  // namespace ts::cli
