#include "bench/workbook_gen.h"

#include <zip.h>

#include <array>
#include <map>
#include <random>
#include <string_view>
#include <vector>

#include "formats/xml.h"

namespace ts::bench {
namespace {

constexpr std::array<std::string_view, 12> kSubjects = {
    "管理者アカウント", "利用者のパスワード", "通信経路", "保存データ", "バックアップ", "操作ログ",
    "脆弱性情報", "外部委託先", "データセンター", "障害発生時の連絡", "退職者のアカウント", "鍵"};
constexpr std::array<std::string_view, 10> kActions = {
    "を定期的に見直していますか。", "を暗号化していますか。", "の取扱いを規程に定めていますか。",
    "を少なくとも1年間保管していますか。", "に多要素認証を適用していますか。",
    "の変更履歴を記録していますか。", "を第三者が監査していますか。", "を速やかに無効化していますか。",
    "の手順を文書化し訓練していますか。", "へのアクセスを必要最小限に制限していますか。"};
constexpr std::array<std::string_view, 16> kScopes = {
    "本番環境の", "開発環境の", "検証環境の", "社内システムの", "委託先を含めた", "全拠点の", "クラウド基盤の",
    "顧客向けサービスの", "管理画面の", "APIの", "モバイルアプリの", "バッチ処理の", "コールセンターの",
    "保守用端末の", "海外拠点の", "グループ会社の"};
constexpr std::array<std::string_view, 8> kConditions = {
    "", "また、その頻度を教えてください。", "例外がある場合はその内容を記載してください。",
    "規程がある場合は名称を記載してください。", "実施していない場合は代替策を記載してください。",
    "直近の実施日を記載してください。", "責任者を記載してください。", "第三者認証の範囲に含まれますか。"};
constexpr std::array<std::string_view, 4> kAnswers = {"はい", "いいえ", "該当なし", "はい"};
constexpr std::array<std::string_view, 5> kRemarks = {
    "", "年1回の内部監査で確認しています。", "2027年度に対応予定です。", "詳細は別紙をご参照ください。",
    "AES-256を使用しています。"};

class Strings {
 public:
  int Id(const std::string& s) {
    auto [it, added] = ids_.try_emplace(s, static_cast<int>(list_.size()));
    if (added) list_.push_back(s);
    return it->second;
  }
  std::string Xml() const {
    std::string x = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                    R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)";
    for (const auto& s : list_) x += "<si><t>" + formats::EscapeXml(s) + "</t></si>";
    return x + "</sst>";
  }

 private:
  std::map<std::string, int> ids_;
  std::vector<std::string> list_;
};

std::string Cell(const char* col, int row, int sid) {
  return std::string("<c r=\"") + col + std::to_string(row) + "\" t=\"s\"><v>" + std::to_string(sid) + "</v></c>";
}

}  // namespace

Status WriteChecksheetWorkbook(const std::string& path, int rows, unsigned seed) {
  std::mt19937 rng(seed);
  Strings sst;
  std::string sheet = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
  int r = 1;
  sheet += "<row r=\"1\">" + Cell("A", 1, sst.Id("セキュリティチェックシート(ベンチマーク用)")) + "</row>";
  sheet += "<row r=\"2\">" + Cell("A", 2, sst.Id("回答日: 2026年11月1日")) + "</row>";
  r = 4;
  sheet += "<row r=\"4\">" + Cell("A", 4, sst.Id("No.")) + Cell("B", 4, sst.Id("分類")) +
           Cell("C", 4, sst.Id("確認事項")) + Cell("D", 4, sst.Id("回答")) + Cell("E", 4, sst.Id("備考")) + "</row>";
  for (int i = 1; i <= rows; ++i) {
    ++r;
    const std::string section = "分類" + std::to_string((i - 1) / 25 + 1);
    // 16 x 12 x 10 x 8 combinations: questions rarely repeat, as in real sheets.
    std::string q = std::string(kScopes[rng() % kScopes.size()]) + std::string(kSubjects[rng() % kSubjects.size()]) +
                    std::string(kActions[rng() % kActions.size()]);
    if (std::string_view c = kConditions[rng() % kConditions.size()]; !c.empty()) q += "\n" + std::string(c);
    sheet += "<row r=\"" + std::to_string(r) + "\">";
    sheet += "<c r=\"A" + std::to_string(r) + "\"><v>" + std::to_string(i) + "</v></c>";
    sheet += Cell("B", r, sst.Id(section)) + Cell("C", r, sst.Id(q)) +
             Cell("D", r, sst.Id(std::string(kAnswers[rng() % kAnswers.size()])));
    std::string_view remark = kRemarks[rng() % kRemarks.size()];
    if (!remark.empty()) sheet += Cell("E", r, sst.Id(std::string(remark)));
    sheet += "</row>";
  }
  sheet += "</sheetData></worksheet>";

  const std::map<std::string, std::string> parts = {
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
      {"xl/workbook.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="チェックシート" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>)"},
      {"xl/worksheets/sheet1.xml", sheet},
      {"xl/sharedStrings.xml", sst.Xml()},
  };
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (z == nullptr) return Internal(path + ": cannot create zip (libzip error " + std::to_string(err) + ")");
  for (const auto& [name, body] : parts) {
    zip_source_t* src = zip_source_buffer(z, body.data(), body.size(), 0);
    if (src == nullptr || zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      if (src != nullptr) zip_source_free(src);
      std::string msg = zip_strerror(z);
      zip_discard(z);
      return Internal(path + ": " + msg);
    }
  }
  if (zip_close(z) != 0) {
    std::string msg = zip_strerror(z);
    zip_discard(z);
    return Internal(path + ": " + msg);
  }
  return Status();
}

}  // namespace ts::bench
