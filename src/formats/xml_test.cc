#include "formats/xml.h"

#include <gtest/gtest.h>

namespace ts::formats {
namespace {

std::string Utf16Le(std::string_view ascii, bool bom) {
  std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

TEST(ParseXml, ReadsUtf8AndUtf16Parts) {
  auto a = ParseXml("<a><b>x</b></a>", "f.xlsx: part", 16);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_STREQ((*a)->child("a").child("b").text().get(), "x");
  for (bool bom : {true, false}) {
    auto b = ParseXml(Utf16Le("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a><b>y</b></a>", bom), "f", 16);
    ASSERT_TRUE(b.ok()) << b.status().message();
    EXPECT_STREQ((*b)->child("a").child("b").text().get(), "y");
  }
}

TEST(ParseXml, RefusesADtdInAnyEncoding) {
  const std::string dtd = "<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\">]><a>&x;</a>";
  for (const std::string& xml : {dtd, Utf16Le(dtd, true), Utf16Le(dtd, false)}) {
    auto r = ParseXml(xml, "f.docx: word/document.xml", 16);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), "f.docx: word/document.xml: XML with a DTD (<!DOCTYPE>) is not allowed");
  }
}

TEST(ParseXml, RefusesDeepNestingAndNamesWhereItIsMalformed) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  for (int i = 0; i < 40; ++i) deep += "</a>";
  auto r = ParseXml(deep, "f", 32);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested deeper than 32 levels"), std::string::npos);
  // End tags inside a comment or CDATA do not hide real nesting.
  std::string hidden = "<r><!--";
  for (int i = 0; i < 40; ++i) hidden += "</a>";
  hidden += "--><![CDATA[</a></a></a>]]>";
  for (int i = 0; i < 40; ++i) hidden += "<a>";
  for (int i = 0; i < 40; ++i) hidden += "</a>";
  hidden += "</r>";
  auto h = ParseXml(hidden, "f", 32);
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("nested deeper than 32 levels"), std::string::npos);
  auto m = ParseXml("<a><b></a>", "f.xlsx: xl/worksheets/sheet1.xml", 32);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message().rfind("f.xlsx: xl/worksheets/sheet1.xml: malformed XML at byte ", 0), 0u);
}

TEST(EscapeXml, EscapesMarkupAndDropsWhatXmlCannotHold) {
  EXPECT_EQ(EscapeXml("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
  EXPECT_EQ(EscapeXml(std::string("x\x01y\tz\n", 6)), "xy\tz\n");
  EXPECT_EQ(EscapeXml("【有】〜"), "【有】〜");
}

}  // namespace
}  // namespace ts::formats
