#include "security/audit_chain.h"

#include <gtest/gtest.h>

namespace ts::security {
namespace {

std::vector<AuditRecord> Log(int n) {
  std::vector<AuditRecord> log;
  for (int i = 0; i < n; ++i) {
    AuditRecord r;
    r.time = "2026-11-22T01:00:0" + std::to_string(i) + "Z";
    r.tenant = 1;
    r.actor = "user:7";
    r.source = "127.0.0.1";
    r.action = i % 2 ? "entry.update" : "sign-in";
    r.target = "entry:" + std::to_string(i);
    r.result = "ok";
    ChainAfter(log.empty() ? nullptr : &log.back(), &r);
    log.push_back(r);
  }
  return log;
}

TEST(AuditChain, IntactLogVerifies) {
  auto log = Log(5);
  EXPECT_TRUE(VerifyAuditChain(log).ok());
  EXPECT_EQ(log[3].seq, 4);
  // A tail of the log verifies against the hash of the record before it.
  std::vector<AuditRecord> tail(log.begin() + 2, log.end());
  EXPECT_TRUE(VerifyAuditChain(tail, log[1].hash).ok());
}

TEST(AuditChain, EditedRecordIsFound) {
  auto log = Log(5);
  log[2].result = "denied";  // someone rewrites history
  Status s = VerifyAuditChain(log);
  EXPECT_EQ(s.code(), ErrorCode::kCorruption);
  EXPECT_NE(s.message().find("audit record 3: was edited"), std::string::npos) << s.message();
  // Recomputing the edited record's hash does not help: the next record points at the old one.
  log[2].hash = AuditHash(log[2]);
  s = VerifyAuditChain(log);
  EXPECT_NE(s.message().find("audit record 4: does not follow"), std::string::npos) << s.message();
}

TEST(AuditChain, DeletedRecordIsFound) {
  auto log = Log(5);
  log.erase(log.begin() + 1);
  Status s = VerifyAuditChain(log);
  EXPECT_NE(s.message().find("audit record 3: follows record 1"), std::string::npos) << s.message();
  auto truncated_head = Log(5);
  truncated_head.erase(truncated_head.begin());
  EXPECT_FALSE(VerifyAuditChain(truncated_head).ok());  // the first record is gone
}

}  // namespace
}  // namespace ts::security
