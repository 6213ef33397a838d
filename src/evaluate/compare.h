// Several vendors' answered checksheets side by side (general profile): each sheet judged item by
// item (AssessSheet), its items grouped by domain — the catalog control their question names
// (暗号, アクセス制御, バックアップと事業継続, …) — and a score per domain, so that sheets in
// different layouts and wordings meet on common ground. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evaluate/assess.h"
#include "sheet/checksheet.h"

namespace ts::evaluate {

// The domain of a question: the prefix of the first catalog control it names ("CRY" for
// 暗号化), or "" when it names none.
std::string DomainOf(std::string_view question);
// The domain's name in Japanese (「暗号」); "その他" for "".
std::string_view DomainLabel(std::string_view domain);

struct DomainScore {
  Summary summary;  // of the vendor's items in this domain
  int items = 0;
};

struct VendorResult {
  std::string name;  // the sheet's file name, or what the caller calls the vendor
  const sheet::Checksheet* sheet = nullptr;
  SheetAssessment assessment;
  std::vector<DomainScore> domains;  // aligned with Comparison::domains
};

struct Comparison {
  std::vector<std::string> domains;  // ids of the domains any sheet has items in, in catalog order; "" last
  std::vector<VendorResult> vendors;
};

// `sheets`: (vendor name, its sheet); the sheets must outlive the result.
Comparison Compare(const std::vector<std::pair<std::string, const sheet::Checksheet*>>& sheets);

}  // namespace ts::evaluate
