// Following up a vendor's answers: what to ask again (every risk, caveat and unanswered item,
// with what was answered and what to make clear), and, when the vendor sends the follow-up sheet
// back answered, its answers merged into the original sheet so that the assessment is computed
// anew. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "evaluate/assess.h"
#include "sheet/checksheet.h"

namespace ts::evaluate {

struct FollowUpRow {
  std::string id;        // the original item's id: what matches the answer back to it
  std::string number;    // as printed in the original
  std::string section;   // its section path, " / " between levels
  std::string question;
  std::string previous;  // what was answered: the answer and remarks as printed
  std::string ask;       // what the customer wants made clear, in Japanese
};

// One row per item judged risk, caveat or unclear, in sheet order.
std::vector<FollowUpRow> FollowUpRows(const sheet::Checksheet& sheet, const SheetAssessment& assessment);

// Writes into `sheet` the answers of the returned follow-up (`returned`, as imported: its
// items' numbers are the original ids): an item answered there takes the new answer and the
// new remarks (the previous ones stay in the follow-up sheet, which quotes them). Returns how
// many items were answered again; rows whose id the sheet does not have, or whose question is
// not that item's (the follow-up of another sheet), are listed in `unknown` and left out.
int MergeFollowUp(sheet::Checksheet* sheet, const sheet::Checksheet& returned, std::vector<std::string>* unknown);

}  // namespace ts::evaluate
