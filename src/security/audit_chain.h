// The audit log's integrity: each record carries the hash of the record before it, so editing
// or deleting any record breaks the chain from there on. Pure functions over records; the
// store keeps them append-only. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace ts::security {

struct AuditRecord {
  std::int64_t seq = 0;      // 1, 2, 3 ... per log, no gaps
  std::string time;          // UTC, "2026-11-22T01:02:03Z"
  std::int64_t tenant = 0;   // 0: the service itself
  std::string actor;         // user id or "system"
  std::string source;        // client address
  std::string action;        // "sign-in", "sign-in.failed", "entry.update", "export", ...
  std::string target;        // what it acted on ("entry:42")
  std::string result;        // "ok", "denied", "error: ..."
  std::string prev_hash;     // hex SHA-256 of the previous record; "" for the first
  std::string hash;          // hex SHA-256 of this record's fields and prev_hash
};

// The hash a record must carry: SHA-256 over an unambiguous encoding of every field but `hash`.
std::string AuditHash(const AuditRecord& r);

// Fills seq, prev_hash and hash of `next` to follow `last` (nullptr for the first record).
void ChainAfter(const AuditRecord* last, AuditRecord* next);

// Checks a run of records in order. `anchor_hash` is the hash of the record before the first
// one ("" when `records` start the log). Errors (Corruption) name the first record that breaks:
// an edited record (its hash no longer matches), a deleted one (a gap in seq, or prev_hash not
// the hash before it), or a reordering.
Status VerifyAuditChain(const std::vector<AuditRecord>& records, const std::string& anchor_hash = "");

}  // namespace ts::security
