#!/usr/bin/env python3
"""Writes trustsheet's own sample checksheets (tests/data/samples/). Original text, written for
this project. Seven XLSX layouts exercise what real customer workbooks do: title rows above the
header, section columns with merged cells, checkbox columns, section rows, inline and rich-text
strings, multi-line cells, cover and instruction sheets, a hidden list sheet, hidden rows and
columns, data-validation lists, ■/□ check boxes in the answer cell. Run: python3 tests/data/make_samples.py (stdlib only)."""
import os
import zipfile
from xml.sax.saxutils import escape

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "samples")
FIXED_DATE = (2026, 1, 1, 0, 0, 0)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class Sheet:
    def __init__(self, name, hidden=False):
        self.name, self.hidden = name, hidden
        self.cells = {}  # (row, col letters) -> (value, style)
        self.merges, self.validations = [], []
        self.hidden_rows, self.hidden_cols, self.widths = set(), set(), {}
        # How it prints (the PDF samples): ruled or not, vertical alignment, paper, font size,
        # header rows repeated on every page ("1:2"), columns centred horizontally.
        self.ruled, self.valign, self.landscape, self.font_size = True, "top", True, 11
        self.print_title_rows, self.centred_cols, self.fit_width = None, set(), True
        self.heights = {}  # row -> points

    def row(self, r, values, start="A", bold=False, kinds=None):
        c = col_index(start)
        for i, v in enumerate(values):
            if v is not None and v != "":
                letters = ""
                n = c + i
                while n:
                    n, rem = divmod(n - 1, 26)
                    letters = chr(65 + rem) + letters
                kind = (kinds or {}).get(i, "shared")
                self.cells[(r, letters)] = (v, bold, kind)


def styles_xml(sh):
    border = 1 if sh.ruled else 0
    cell = '<alignment wrapText="1" vertical="%s"/>' % sh.valign
    centred = '<alignment wrapText="1" vertical="%s" horizontal="center"/>' % sh.valign
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<fonts count="2"><font><sz val="%d"/><name val="Noto Sans CJK JP"/></font><font><b/><sz val="%d"/><name val="Noto Sans CJK JP"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="%d" xfId="0" applyFont="1" applyBorder="1">%s</xf>'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="%d" xfId="0" applyBorder="1">%s</xf>'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="%d" xfId="0" applyBorder="1">%s</xf></cellXfs>'
            "</styleSheet>") % (sh.font_size, sh.font_size, border, "" if sh.valign == "top" else '<alignment vertical="%s"/>' % sh.valign, border, cell,
                                border, centred)


def write_xlsx(path, sheets):
    strings, index = [], {}

    def sst(v):
        if v not in index:
            index[v] = len(strings)
            strings.append(v)
        return index[v]

    def rich_xml(v):
        # "**bold**rest" -> two runs, the first bold.
        head, rest = v[2:].split("**", 1)
        return ('<r><rPr><b/></rPr><t xml:space="preserve">%s</t></r><r><t xml:space="preserve">%s</t></r>'
                '<rPh sb="0" eb="1"><t>フリガナ</t></rPh>' % (escape(head), escape(rest)))

    sheet_xml = []
    for sh in sheets:
        rows = {}
        for (r, col), val in sh.cells.items():
            rows.setdefault(r, []).append((col_index(col), col, val))
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               '<sheetPr><pageSetUpPr fitToPage="%d"/></sheetPr>' % (1 if sh.fit_width else 0)]
        cols = sorted(set(sh.widths) | sh.hidden_cols, key=col_index)
        if cols:
            out.append("<cols>")
            for c in cols:
                i = col_index(c)
                hid = ' hidden="1"' if c in sh.hidden_cols else ""
                out.append('<col min="%d" max="%d" width="%s" customWidth="1"%s/>' % (i, i, sh.widths.get(c, 10), hid))
            out.append("</cols>")
        out.append("<sheetData>")
        for r in sorted(rows):
            hid = ' hidden="1"' if r in sh.hidden_rows else ""
            if r in sh.heights:
                hid += ' ht="%s" customHeight="1"' % sh.heights[r]
            out.append('<row r="%d"%s>' % (r, hid))
            for _, col, (v, bold, kind) in sorted(rows[r]):
                style = ' s="1"' if bold else (' s="3"' if col in sh.centred_cols else ' s="2"')
                ref = "%s%d" % (col, r)
                if kind == "blank":
                    out.append('<c r="%s"%s/>' % (ref, style))
                elif isinstance(v, (int, float)):
                    out.append('<c r="%s"%s><v>%s</v></c>' % (ref, style, v))
                elif kind == "inline":
                    out.append('<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, style, escape(v)))
                elif kind == "rich":
                    strings_idx = sst(("rich", v))
                    out.append('<c r="%s"%s t="s"><v>%d</v></c>' % (ref, style, strings_idx))
                else:
                    out.append('<c r="%s"%s t="s"><v>%d</v></c>' % (ref, style, sst(v)))
            out.append("</row>")
        out.append("</sheetData>")
        if sh.merges:
            out.append('<mergeCells count="%d">' % len(sh.merges))
            out.extend('<mergeCell ref="%s"/>' % m for m in sh.merges)
            out.append("</mergeCells>")
        if sh.validations:
            out.append('<dataValidations count="%d">' % len(sh.validations))
            for sqref, formula in sh.validations:
                out.append('<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
                           'sqref="%s"><formula1>%s</formula1></dataValidation>' % (sqref, escape(formula)))
            out.append("</dataValidations>")
        out.append('<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
                   '<pageSetup paperSize="9" orientation="%s" fitToWidth="1" fitToHeight="0"/>'
                   % ("landscape" if sh.landscape else "portrait"))
        out.append("</worksheet>")
        sheet_xml.append("".join(out))

    sst_items = []
    for s in strings:
        if isinstance(s, tuple):
            sst_items.append("<si>%s</si>" % rich_xml(s[1]))
        else:
            sst_items.append('<si><t xml:space="preserve">%s</t></si>' % escape(s))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1) for i in range(len(sheets)))
        + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join('<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>' % (escape(s.name), i + 1, ' state="hidden"' if s.hidden else "", i + 1) for i, s in enumerate(sheets))
        + "</sheets>"
        + "".join('<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="%d">\'%s\'!$%s</definedName></definedNames>'
                  % (i, escape(s.name), s.print_title_rows.replace(":", ":$")) for i, s in enumerate(sheets) if s.print_title_rows)
        + "</workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1) for i in range(len(sheets)))
        + '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' % (len(sheets) + 1)
        + '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' % (len(sheets) + 2)
        + "</Relationships>",
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>' % (len(strings), len(strings), "".join(sst_items)),
        "xl/styles.xml": styles_xml(sheets[0]),
    }
    for i, x in enumerate(sheet_xml):
        files["xl/worksheets/sheet%d.xml" % (i + 1)] = x
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name].encode("utf-8"))


def layout1():
    """Title and notes above the header; section column merged down; validation list."""
    s = Sheet("セキュリティ確認")
    s.row(1, ["クラウドサービス セキュリティ確認シート"], bold=True)
    s.row(2, ["回答欄はプルダウンから選択し、補足があれば備考欄に記入してください。"])
    s.row(4, ["No.", "分類", "質問", "回答", "備考"], bold=True)
    rows = [
        (1, "アカウント管理", "利用者ごとに固有のIDを発行し、共有IDを禁止していますか。", "はい", "IDは社員番号と紐付けて発行します。"),
        (2, None, "退職者のアカウントを速やかに無効化していますか。", "はい", "退職日の当日中に無効化します。"),
        (3, None, "管理者権限の付与は承認手続きを経ていますか。", "いいえ", "承認フローを整備中です。"),
        (4, "認証", "パスワードの最低文字数を12文字以上に設定できますか。", "はい", ""),
        (5, None, "ログイン時に多要素認証を利用できますか。", "はい", "TOTP方式のワンタイムパスワードに対応しています。"),
        (6, None, "連続したログイン失敗でアカウントをロックしますか。", "はい", "5回失敗で30分ロックします。"),
        (7, "暗号化", "通信はTLS1.2以上で暗号化していますか。", "はい", ""),
        (8, None, "保存データを暗号化していますか。", "該当なし", "データを保存しないサービスです。"),
        (9, "バックアップ", "データのバックアップを毎日取得していますか。", "", ""),
    ]
    for i, (n, sec, q, a, rem) in enumerate(rows):
        s.row(5 + i, [n, sec, q, a, rem])
    s.merges += ["B5:B7", "B8:B10", "B11:B12"]
    s.validations.append(("D5:D13", '"はい,いいえ,該当なし"'))
    s.widths.update({"A": 6, "B": 14, "C": 60, "D": 10, "E": 40})
    return [s]


def layout2():
    """One column per choice under a merged 回答 header; a mark in one of them."""
    s = Sheet("チェックリスト")
    s.row(1, ["委託先セキュリティチェックリスト"], bold=True)
    s.row(3, ["項番", "確認項目", "回答", None, None, "備考"], bold=True)
    s.row(4, [None, None, "はい", "いいえ", "該当なし"], bold=True)
    s.merges += ["A3:A4", "B3:B4", "C3:E3", "F3:F4"]
    rows = [
        ("1", "情報セキュリティ基本方針を策定し、従業員に周知していますか。", 0, "毎年見直しています。"),
        ("2", "従業員と秘密保持契約を締結していますか。", 0, ""),
        ("3", "私物端末での業務データの取扱いを禁止していますか。", 1, "許可制で利用を認めています。"),
        ("4", "サーバールームへの入退室を記録していますか。", 2, "自社でサーバーを保有していません。"),
        ("5", "ウイルス対策ソフトの定義ファイルを自動更新していますか。", 0, ""),
        ("6", "脆弱性診断を年1回以上実施していますか。", 0, "外部の専門業者に委託しています。"),
    ]
    for i, (n, q, tick, rem) in enumerate(rows):
        vals = [n, q, None, None, None, rem]
        vals[2 + tick] = "○"
        s.row(5 + i, vals)
    s.widths.update({"A": 6, "B": 60, "F": 40})
    return [s]


def layout3():
    """Section rows (bold, merged across), dotted numbers, inline and rich-text strings,
    multi-line cells, vocabulary in the header."""
    s = Sheet("質問票")
    s.row(1, ["No", "チェック項目", "回答(有/無/対象外)", "補足説明"], bold=True)
    s.row(2, ["1. 組織的対策"], bold=True)
    s.merges.append("A2:D2")
    s.row(3, ["1.1", "情報セキュリティの責任者を\n任命していますか。", "有", "CISOを任命しています。"], kinds={1: "inline"})
    s.row(4, ["1.2", "**重要** インシデント発生時の連絡体制を定めていますか。", "有", "24時間連絡可能な窓口があります。"], kinds={1: "rich"})
    s.row(5, ["2. 技術的対策"], bold=True)
    s.merges.append("A5:D5")
    s.row(6, ["2.1", "ファイアウォールで不要な通信を遮断していますか。", "有", ""])
    s.row(7, ["2.2", "アクセスログを1年以上保管していますか。", "無", "現在は90日間保管しています。\n1年保管は来期に対応予定です。"], kinds={3: "inline"})
    s.row(8, ["2.3", "開発環境と本番環境を分離していますか。", "有", ""])
    s.row(9, ["3. 物理的対策"], bold=True)
    s.merges.append("A9:D9")
    s.row(10, ["3.1", "データセンターは国内に所在していますか。", "有", "東京と大阪の2拠点です。"])
    s.row(11, ["3.2", "記録媒体の廃棄時にデータを消去していますか。", "対象外", "記録媒体を使用していません。"])
    s.widths.update({"A": 6, "B": 60, "C": 16, "D": 40})
    return [s]


def layout4():
    """A cover sheet, an instructions sheet, the checksheet, and a hidden list sheet that the
    validation refers to; a hidden row and a hidden helper column."""
    cover = Sheet("表紙")
    cover.row(2, ["情報セキュリティに関する確認書"], bold=True)
    cover.row(4, ["会社名", ""])
    cover.row(5, ["記入日", ""])
    howto = Sheet("記入方法")
    howto.row(1, ["記入方法"], bold=True)
    howto.row(2, ["「チェックシート」シートの回答欄に、対応/一部対応/未対応のいずれかを選択してください。"])
    main = Sheet("チェックシート")
    main.row(1, ["管理番号", "大項目", "要求事項", "内部メモ", "対応状況", "コメント"], bold=True)
    rows = [
        ("A-01", "データ管理", "契約終了時に預託データを返却または消去しますか。", "x", "対応", "解約後30日以内に消去します。"),
        ("A-02", None, "データの保存場所(国・地域)を開示していますか。", "x", "対応", ""),
        ("A-03", None, "(廃止された質問)", "x", "", ""),
        ("B-01", "運用", "システムの稼働状況を24時間監視していますか。", "y", "一部対応", "平日夜間は自動監視のみです。"),
        ("B-02", None, "計画停止を事前に通知していますか。", "y", "対応", "7日前までにメールで通知します。"),
        ("B-03", None, "障害発生時の復旧目標時間を定めていますか。", "y", "未対応", ""),
    ]
    for i, r in enumerate(rows):
        main.row(2 + i, list(r))
    main.hidden_rows.add(4)
    main.hidden_cols.add("D")
    main.merges += ["B2:B4", "B5:B7"]
    main.validations.append(("E2:E7", "リスト!$A$1:$A$3"))
    main.widths.update({"C": 60, "F": 40})
    lists = Sheet("リスト", hidden=True)
    for i, v in enumerate(["対応", "一部対応", "未対応"]):
        lists.row(1 + i, [v])
    return [cover, howto, main, lists]


def layout5():
    """An English questionnaire: ID / Domain / Question / Response / Comments."""
    s = Sheet("Vendor Questionnaire")
    s.row(1, ["Vendor Security Questionnaire"], bold=True)
    s.row(2, ["Answer Yes, No or N/A and explain in Comments."])
    s.row(4, ["ID", "Domain", "Question", "Response", "Comments"], bold=True)
    rows = [
        ("IAM-01", "Identity", "Do you support single sign-on with SAML 2.0?", "Yes", "Okta and Entra ID are tested."),
        ("IAM-02", "Identity", "Can administrators enforce multi-factor authentication?", "Yes", ""),
        ("LOG-01", "Logging", "Are audit logs retained for at least one year?", "No", "Retained for 180 days."),
        ("LOG-02", "Logging", "Can customers export their audit logs?", "Yes", "CSV and JSON export."),
        ("BCP-01", "Continuity", "Do you test restoring from backup at least annually?", "Yes", ""),
        ("HR-01", "People", "Do staff complete security training every year?", "N/A", "No staff access customer data."),
    ]
    for i, r in enumerate(rows):
        s.row(5 + i, list(r))
    s.widths.update({"C": 60, "E": 40})
    return [s]


def layout6():
    """A service-level table: category, item, definition, unit, and a setting with 【有】/【無】."""
    s = Sheet("サービスレベル")
    s.row(1, ["No.", "種別", "項目", "規定内容", "測定単位", "設定"], bold=True)
    rows = [
        (1, "可用性", "稼働時間", "サービスを利用できる時間帯", "時間帯", "24時間365日(計画停止を除く)"),
        (2, None, "計画停止の予告", "計画停止を事前に知らせるか", "有無", "【有】10営業日前までに通知します。"),
        (3, "信頼性", "復旧目標時間", "障害発生から復旧までの目標", "時間", "4時間以内"),
        (4, "データ管理", "バックアップ", "バックアップの取得と保管", "有無", "【有】日次で取得し14世代保管します。"),
        (5, None, "保存データの暗号化", "保存するデータを暗号化するか", "有無", "【有】AES-256で暗号化しています。"),
        (6, "セキュリティ", "第三者認証", "ISMS等の認証を取得しているか", "有無", "【無】"),
    ]
    for i, r in enumerate(rows):
        s.row(2 + i, list(r))
    s.merges += ["B2:B3", "B5:B6"]
    return [s]


def layout7(answered=True):
    """Web application measures answered with ■/□ check boxes stacked in one cell."""
    s = Sheet("対策状況")
    s.row(1, ["ウェブアプリケーション対策状況"], bold=True)
    s.row(3, ["No", "対策", "対応状況", "備考"], bold=True)
    labels = ["対応済", "未対策", "対応不要"]
    rows = [
        (1, "入力値を画面に表示する際にエスケープしている", 0, "テンプレートの自動エスケープを使用"),
        (2, "データベースへの問合せはプレースホルダで組み立てている", 0, ""),
        (3, "パスワードの再設定にワンタイムのURLを使っている", 1, "次回の改修で対応"),
        (4, "ファイルのアップロード機能でファイル種別を検査している", 2, "アップロード機能はありません"),
    ]
    for i, (n, measure, ticked, rem) in enumerate(rows):
        boxes = "\n".join(("■ " if answered and k == ticked else "□ ") + l for k, l in enumerate(labels))
        s.row(4 + i, [n, measure, boxes, rem if answered else None], kinds={2: "inline"})
    s.widths.update({"A": 5, "B": 50, "C": 14, "D": 36})
    return [s]


# Word documents (the PDF samples print some of them too).
W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
     'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14"')


def w_par(text, bold=False, size=None):
    rpr = ("<w:b/>" if bold else "") + ('<w:sz w:val="%d"/>' % size if size else "")
    runs = []
    for k, line in enumerate(text.split("\n")):
        if k:
            runs.append("<w:r><w:br/></w:r>")
        runs.append('<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>'
                    % ("<w:rPr>%s</w:rPr>" % rpr if rpr else "", escape(line)))
    return "<w:p>%s</w:p>" % "".join(runs)


class Raw:
    """A cell's content given as WordprocessingML paragraphs."""

    def __init__(self, xml):
        self.xml = xml


def w_checkbox(checked):
    """A check-box content control (Word 2010+), in a paragraph of its own."""
    glyph = "☒" if checked else "☐"
    return Raw('<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="%d"/>'
               '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
               '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
               '<w:sdtContent><w:r><w:t>%s</w:t></w:r></w:sdtContent></w:sdt></w:p>' % (1 if checked else 0, glyph))


def w_table(widths, rows, ruled=True, vcenter=False):
    """rows: lists of cells: a text, None to continue a vertical merge from the cell above,
    (text, n) for a cell spanning n grid columns, or Raw paragraphs."""
    border = "".join('<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>' % e
                     for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = ['<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/>%s<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
           % (sum(widths), "<w:tblBorders>%s</w:tblBorders>" % border if ruled else "")]
    out += ['<w:gridCol w:w="%d"/>' % w for w in widths]
    out.append("</w:tblGrid>")
    for ri, row in enumerate(rows):
        out.append('<w:tr>%s' % ('<w:trPr><w:tblHeader/></w:trPr>' if ri == 0 else ""))
        gi = 0  # grid column
        for ci, cell in enumerate(row):
            span = 1
            if isinstance(cell, tuple):  # (text, grid columns spanned)
                cell, span = cell
            merge = ""
            if cell is None:
                merge = "<w:vMerge/>"
            elif ri + 1 < len(rows) and ci < len(rows[ri + 1]) and rows[ri + 1][ci] is None:
                merge = '<w:vMerge w:val="restart"/>'
            valign = '<w:vAlign w:val="center"/>' if vcenter else ""
            span_xml = '<w:gridSpan w:val="%d"/>' % span if span > 1 else ""
            content = cell.xml if isinstance(cell, Raw) else w_par(cell or "", bold=ri == 0)
            out.append('<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>%s%s%s</w:tcPr>%s</w:tc>'
                       % (sum(widths[gi:gi + span]), span_xml, merge, valign, content))
            gi += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def write_docx(path, body, landscape=False):
    size = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' if landscape else '<w:pgSz w:w="11906" w:h="16838"/>'
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s'
                '<w:sectPr>%s<w:pgMar w:top="1000" w:right="1000" w:bottom="1000" w:left="1000" w:header="500" '
                'w:footer="500" w:gutter="0"/></w:sectPr></w:body></w:document>') % (W, body, size)
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>',
        "word/document.xml": document,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name].encode("utf-8"))


DOCX_CATEGORIES = [
    ("アクセス管理", [
        ("利用者ごとに個別のアカウントを発行していますか。", "有", "共有アカウントは発行していません。"),
        ("管理者アカウントの操作を記録していますか。", "有", "操作ログを1年間保管します。"),
        ("パスワードの有効期限を設定できますか。", "無", "")]),
    ("データ保護", [
        ("保存データを暗号化していますか。", "有", "AES-256を使用しています。\n鍵は専用の管理サービスで保管します。"),
        ("バックアップを国内の別拠点に保管していますか。", "有", ""),
        ("解約時にデータを消去し、証明書を発行できますか。", "無", "消去のみ対応します。")]),
]


def docx1(answered=True):
    """A Word questionnaire: title, lead paragraph, one ruled table with 区分 merged down."""
    rows = [["番号", "区分", "質問", "回答", "備考"]]
    n = 0
    for cat, items in DOCX_CATEGORIES:
        for j, (q, a, rem) in enumerate(items):
            n += 1
            rows.append([str(n), cat if j == 0 else None, q, a if answered else "", rem if answered else ""])
    return (w_par("情報セキュリティに関する質問書", bold=True, size=32) +
            w_par("各質問に「有」または「無」で回答し、補足があれば備考欄にご記入ください。") +
            w_table([700, 1400, 4300, 700, 2900], rows, vcenter=True))


def docx2(answered=True):
    """Two tables under numbered headings, ☑/☐ characters in the answer cell."""
    body = w_par("委託先チェックシート", bold=True, size=28)
    n = 0
    for (cat, items), title in zip(DOCX_CATEGORIES, ["1. アクセス管理", "2. データ保護"]):
        body += w_par(title, bold=True, size=24)
        rows = [["No.", "確認項目", "回答", "補足"]]
        for q, a, rem in items:
            n += 1
            if answered:
                box = "☑はい ☐いいえ" if a == "有" else "☐はい ☑いいえ"
            else:
                box = "☐はい ☐いいえ"
            rows.append([str(n), q, box, rem if answered else ""])
        body += w_table([800, 5200, 1700, 2300], rows)
    return body


def docx3(answered=True):
    """Check-box content controls, one column per choice under a header spanning both."""
    rows = [["項番", "確認事項", ("回答", 2), "コメント"], [None, None, "はい", "いいえ", None]]
    n = 0
    for _, items in DOCX_CATEGORIES:
        for q, a, rem in items:
            n += 1
            yes = answered and a == "有"
            no = answered and a == "無"
            rows.append(["Q" + str(n), q, w_checkbox(yes), w_checkbox(no), rem if answered else ""])
    return w_par("セキュリティ確認票", bold=True, size=28) + w_table([800, 5000, 800, 800, 2600], rows, vcenter=True)


def cp932_csv():
    rows = [
        ["番号", "質問", "回答", "備考"],
        ["1", "個人情報の取扱いに関する規程がありますか。", "○", ""],
        ["2", "委託先の選定基準を定めていますか。", "×", "次年度に策定予定です。"],
        ["3", "情報漏えい時の対応手順がありますか。", "○", "手順書を整備し、\n年1回訓練しています。"],
        ["4", "ウェブサイトはHTTPSのみで提供していますか。", "○", "HTTP, \"リダイレクト\"あり"],
    ]

    def q(v):
        return '"%s"' % v.replace('"', '""') if any(ch in v for ch in ',"\n') else v

    text = "\r\n".join(",".join(q(v) for v in r) for r in rows) + "\r\n"
    with open(os.path.join(OUT, "sample_cp932.csv"), "wb") as f:
        f.write(text.encode("cp932"))


def blank(sheets, columns, first_row):
    """The same workbook as a customer sends it: answer and remarks cells empty."""
    for sh in sheets:
        for key in [k for k in sh.cells if k[1] in columns and k[0] >= first_row]:
            del sh.cells[key]
    return sheets


def cp932_csv_blank():
    rows = [
        ["番号", "質問", "回答", "備考"],
        ["1", "個人情報の取扱いに関する規程がありますか。", "", ""],
        ["2", "委託先の選定基準を定めていますか。", "", ""],
        ["3", "情報漏えい時の対応手順がありますか。", "", ""],
    ]
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    with open(os.path.join(BLANK, "blank_cp932.csv"), "wb") as f:
        f.write(text.encode("cp932"))


BLANK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blank")


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(BLANK, exist_ok=True)
    write_xlsx(os.path.join(BLANK, "blank_layout1_answer_column.xlsx"), blank(layout1(), {"D", "E"}, 5))
    write_xlsx(os.path.join(BLANK, "blank_layout2_checkbox_columns.xlsx"), blank(layout2(), {"C", "D", "E", "F"}, 5))
    write_xlsx(os.path.join(BLANK, "blank_layout3_header_vocabulary.xlsx"), blank(layout3(), {"C", "D"}, 3))
    write_xlsx(os.path.join(BLANK, "blank_layout7_check_boxes.xlsx"), layout7(answered=False))
    for name, fn in [("docx1_merged_category", docx1), ("docx2_check_characters", docx2),
                     ("docx3_content_controls", docx3)]:
        write_docx(os.path.join(OUT, name + ".docx"), fn())
        write_docx(os.path.join(BLANK, "blank_" + name + ".docx"), fn(answered=False))
    cp932_csv_blank()
    for name, fn in [("layout1_title_rows.xlsx", layout1), ("layout2_checkbox_columns.xlsx", layout2),
                     ("layout3_section_rows.xlsx", layout3), ("layout4_multi_sheet.xlsx", layout4),
                     ("layout5_english.xlsx", layout5), ("layout6_service_level.xlsx", layout6),
                     ("layout7_check_boxes.xlsx", layout7)]:
        write_xlsx(os.path.join(OUT, name), fn())
    cp932_csv()


if __name__ == "__main__":
    main()
