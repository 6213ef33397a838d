#include "security/audit_chain.h"

#include <sodium.h>

#include "security/digest.h"

namespace ts::security {
namespace {

// Length-prefixed fields: no two different records encode the same.
void Put(std::string* out, std::string_view field) {
  *out += std::to_string(field.size());
  *out += ':';
  *out += field;
  *out += ';';
}


}  // namespace

std::string AuditHash(const AuditRecord& r) {
  std::string enc = "trustsheet-audit/v1;";
  Put(&enc, std::to_string(r.seq));
  Put(&enc, r.time);
  Put(&enc, std::to_string(r.tenant));
  Put(&enc, r.actor);
  Put(&enc, r.source);
  Put(&enc, r.action);
  Put(&enc, r.target);
  Put(&enc, r.result);
  Put(&enc, r.prev_hash);
  return Sha256Hex(enc);
}

void ChainAfter(const AuditRecord* last, AuditRecord* next) {
  next->seq = last == nullptr ? 1 : last->seq + 1;
  next->prev_hash = last == nullptr ? "" : last->hash;
  next->hash = AuditHash(*next);
}

Status VerifyAuditChain(const std::vector<AuditRecord>& records, const std::string& anchor_hash) {
  std::string prev = anchor_hash;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const AuditRecord& r = records[i];
    const std::string where = "audit record " + std::to_string(r.seq);
    if (i > 0 && r.seq != records[i - 1].seq + 1) {
      return Corruption(where + ": follows record " + std::to_string(records[i - 1].seq) +
                        " (records between them were deleted, or the log was reordered)");
    }
    if (r.prev_hash != prev) {
      return Corruption(where + ": does not follow the record before it (that record was edited or deleted)");
    }
    if (AuditHash(r) != r.hash) return Corruption(where + ": was edited after it was written");
    prev = r.hash;
  }
  return Status();
}

}  // namespace ts::security
