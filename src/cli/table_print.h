// Plain-text rendering of a checksheet for terminals: East Asian wide characters count as two
// columns so Japanese tables line up; headers in the sheet's language, items under the sheet's
// own numbers, answers in the sheet's own words. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "match/draft.h"
#include "sheet/checksheet.h"

namespace ts::cli {

// Display width in terminal columns (CJK and full-width forms are 2).
int DisplayWidth(std::string_view s);
// Cuts `s` to at most `width` columns, adding "…" when cut, and pads with spaces to `width`.
std::string FitToWidth(std::string_view s, int width);

enum class Language { kJapanese, kEnglish };
// Japanese when most of the sheet's questions (more than half) contain kana or kanji, else
// English (also for a sheet without items).
Language SheetLanguage(const sheet::Checksheet& sheet);

// The word the sheet uses for `mark` (from `vocabulary`), else the mark's name in `lang`; a
// planned answer reads as the sheet's "no" with the plan beside it: "× (予定)". "" for none.
std::string MarkWord(sheet::Mark mark, const std::vector<std::string>& vocabulary, Language lang);
// An answer as the sheet writes it: the printed text ("◯", "有", "はい", "日本法"), or the
// MarkWord when nothing was printed; when the printed word is a mark token that reads as another
// mark than the item's (a "×" the remarks say is planned), that mark follows: "× (予定)".
std::string AnswerAsWritten(const sheet::Answer& answer, const std::vector<std::string>& vocabulary, Language lang);

// The readable table `trustsheet import` prints by default.
std::string RenderTable(const sheet::Checksheet& sheet);
// The table `trustsheet answer` prints: per item its number, confidence, drafted answer,
// question and source entry, then one summary line ("7 項目: 高 4 / 中 1 / 低 0 / なし 2").
// drafts[p][i] belongs to sheet.parts[p].items[i].
std::string RenderDraftTable(const sheet::Checksheet& sheet, const std::vector<std::vector<match::Draft>>& drafts);
// One summary line per answer mark, English mark names: "yes 60, no 8, none 2".
std::string SummarizeMarks(const sheet::Checksheet& sheet);

}  // namespace ts::cli
