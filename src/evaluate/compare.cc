#include "evaluate/compare.h"

#include <algorithm>
#include <array>
#include <map>

#include "catalog/catalog.h"

namespace ts::evaluate {
namespace {

struct DomainName {
  std::string_view id, label;
};
// In the order a report lists them.
constexpr std::array<DomainName, 19> kDomains = {{
    {"GOV", "方針・組織"},         {"RISK", "リスク管理"},       {"CMP", "法令・契約の順守"},
    {"HR", "人的セキュリティ"},    {"ASSET", "資産管理"},        {"IAM", "アクセス制御・認証"},
    {"CRY", "暗号"},               {"DATA", "データの取扱い"},   {"PHY", "物理的セキュリティ"},
    {"OPS", "運用"},               {"LOG", "ログ・監視"},        {"VUL", "脆弱性管理"},
    {"NET", "ネットワーク"},       {"DEV", "開発"},              {"SUP", "委託先管理"},
    {"INC", "インシデント対応"},   {"BCP", "事業継続"},          {"CLD", "クラウド固有"},
    {"SLA", "サービスレベル"},
}};

std::size_t DomainRank(std::string_view id) {
  for (std::size_t i = 0; i < kDomains.size(); ++i) {
    if (kDomains[i].id == id) return i;
  }
  return kDomains.size();
}

}  // namespace

std::string DomainOf(std::string_view question) {
  const catalog::Catalog& cat = catalog::Catalog::Builtin();
  const std::vector<catalog::ConceptHit> hits = cat.FindConcepts(question);
  if (hits.empty()) return "";
  const std::string& id = cat.controls()[hits.front().control].id;
  return id.substr(0, id.find('-'));
}

std::string_view DomainLabel(std::string_view domain) {
  const std::size_t i = DomainRank(domain);
  return i < kDomains.size() ? kDomains[i].label : "その他";
}

Comparison Compare(const std::vector<std::pair<std::string, const sheet::Checksheet*>>& sheets) {
  Comparison out;
  // Each item's domain, per vendor, in item order.
  std::vector<std::vector<std::string>> item_domains;
  std::vector<std::string> seen;
  for (const auto& [name, sheet] : sheets) {
    VendorResult v;
    v.name = name;
    v.sheet = sheet;
    v.assessment = AssessSheet(*sheet);
    std::vector<std::string>& doms = item_domains.emplace_back();
    for (const sheet::Part& part : sheet->parts) {
      for (const sheet::Item& item : part.items) {
        doms.push_back(DomainOf(item.question));
        if (std::find(seen.begin(), seen.end(), doms.back()) == seen.end()) seen.push_back(doms.back());
      }
    }
    out.vendors.push_back(std::move(v));
  }
  std::sort(seen.begin(), seen.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(DomainRank(a), a) < std::make_pair(DomainRank(b), b);
  });
  out.domains = seen;
  for (std::size_t vi = 0; vi < out.vendors.size(); ++vi) {
    VendorResult& v = out.vendors[vi];
    v.domains.assign(out.domains.size(), {});
    std::vector<Tally> tallies(out.domains.size());
    std::size_t k = 0;
    for (const std::vector<Assessment>& part : v.assessment.items) {
      for (const Assessment& a : part) {
        const std::size_t d = static_cast<std::size_t>(
            std::find(out.domains.begin(), out.domains.end(), item_domains[vi][k++]) - out.domains.begin());
        v.domains[d].items++;
        tallies[d].Add(a.verdict);
      }
    }
    for (std::size_t d = 0; d < out.domains.size(); ++d) v.domains[d].summary = tallies[d].Done();
  }
  return out;
}

}  // namespace ts::evaluate
