#include "evaluate/followup.h"

#include <map>

#include "text/utf8.h"

namespace ts::evaluate {
namespace {

std::string AskFor(const Assessment& a) {
  switch (a.verdict) {
    case Verdict::kRisk:
      return a.reason + "。現在の対応状況と、対応の予定(時期)または代替策をご記載ください。";
    case Verdict::kCaveat:
      return a.reason + "。条件・対象範囲・時期を具体的にご記載ください。";
    case Verdict::kUnclear:
      return a.reason + "。回答欄にご回答ください。";
    case Verdict::kOk:
    case Verdict::kInfo: break;
  }
  return "";
}

}  // namespace

std::vector<FollowUpRow> FollowUpRows(const sheet::Checksheet& sheet, const SheetAssessment& assessment) {
  std::vector<FollowUpRow> rows;
  ForEachAssessed(sheet, assessment, [&](const sheet::Item& it, const Assessment& a) {
    if (!AsksMore(a.verdict)) return;
    FollowUpRow r;
    r.id = it.id;
    r.number = it.number;
    for (const std::string& s : it.section) r.section += (r.section.empty() ? "" : " / ") + s;
    r.question = it.question;
    const std::string& answer = sheet::PrintedAnswer(it);
    const std::string& remarks = sheet::PrintedRemarks(it);
    r.previous = answer.empty() ? "(回答なし)" : answer;
    if (!remarks.empty()) r.previous += "\n" + remarks;
    r.ask = AskFor(a);
    rows.push_back(std::move(r));
  });
  return rows;
}

int MergeFollowUp(sheet::Checksheet* sheet, const sheet::Checksheet& returned, std::vector<std::string>* unknown) {
  std::map<std::string, sheet::Item*> by_id;
  for (sheet::Part& p : sheet->parts) {
    for (sheet::Item& it : p.items) by_id[it.id] = &it;
  }
  int merged = 0;
  for (const sheet::Part& p : returned.parts) {
    for (const sheet::Item& back : p.items) {
      if (back.answer.mark == sheet::Mark::kNone && text::Trim(back.remarks).empty()) continue;
      auto it = by_id.find(back.number);
      // The follow-up sheet carries the question: a row of another sheet's follow-up (ids are
      // only p1/3 and the like) does not match it.
      if (it == by_id.end() || text::Trim(it->second->question) != text::Trim(back.question)) {
        if (unknown) unknown->push_back(back.number + (it == by_id.end() ? "" : " (質問が一致しません)"));
        continue;
      }
      sheet::Item& item = *it->second;
      if (back.answer.mark != sheet::Mark::kNone) {
        item.answer = back.answer;
        item.printed_answer = sheet::PrintedAnswer(back);
      }
      item.remarks = back.remarks;
      item.printed_remarks = sheet::PrintedRemarks(back);
      ++merged;
    }
  }
  return merged;
}

}  // namespace ts::evaluate
