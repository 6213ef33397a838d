"""Minimal stdlib XLSX / DOCX writers with per-cell styles (fills, font colours, borders),
written for the new-user test (adapted from the shape of tests/data/make_samples.py)."""
import zipfile
from xml.sax.saxutils import escape

FIXED = (2025, 1, 1, 0, 0, 0)


def col_letters(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_num(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class Style:
    def __init__(self, bold=False, color=None, size=None, fill=None, border=(None, None, None, None),
                 h=None, v="top", wrap=True, font=None):
        self.bold, self.color, self.size, self.fill = bold, color, size, fill
        self.border, self.h, self.v, self.wrap, self.font = tuple(border), h, v, wrap, font

    def key(self):
        return (self.bold, self.color, self.size, self.fill, self.border, self.h, self.v, self.wrap, self.font)


class Sheet:
    def __init__(self, name):
        self.name = name
        self.cells = {}  # (r, c int) -> (value, Style)
        self.merges = []
        self.widths = {}  # col int -> width
        self.heights = {}
        self.landscape = False
        self.font, self.size = "IPAGothic", 10
        self.fit_width = True
        self.print_titles = None
        self.margins = (0.5, 0.5, 0.6, 0.6)

    def set(self, r, c, v, st):
        self.cells[(r, c)] = (v, st)

    def fit_rows(self, factor=1.5, skip=()):
        """Row heights for wrapped text (LibreOffice keeps xlsx rows at default height)."""
        lines = {}
        merged_w = {}
        for m in self.merges:
            a, b = m.split(":")
            import re
            ca, ra = re.match(r"([A-Z]+)(\d+)", a).groups()
            cb, rb = re.match(r"([A-Z]+)(\d+)", b).groups()
            if ra == rb:
                merged_w[(int(ra), col_num(ca))] = sum(self.widths.get(c, 9) for c in range(col_num(ca), col_num(cb) + 1))
            else:
                # vertical merge: don't size the first row by it
                merged_w[(int(ra), col_num(ca))] = -1
        for (r, c), (v, st) in self.cells.items():
            if r in skip or v in (None, ""):
                continue
            w = merged_w.get((r, c), self.widths.get(c, 9))
            if w == -1:
                continue
            width = max(3, w - 1.5)
            size = st.size or self.size
            n = 0
            for part in str(v).split("\n"):
                units = sum(2 if ord(ch) > 0x2000 else 1.05 for ch in part) * size / 11.0
                n += max(1, -(-int(units + 0.999) // int(width)))
            lines[r] = max(lines.get(r, 1), n)
        for r, n in lines.items():
            if r not in self.heights:
                size = self.size
                self.heights[r] = round(n * size * factor + 5, 1)


def write_xlsx(path, sheets):
    strings, sidx = [], {}
    styles, stidx = [], {}
    fonts, fills, borders = [], [], []

    def sst(v):
        if v not in sidx:
            sidx[v] = len(strings)
            strings.append(v)
        return sidx[v]

    def intern(lst, x):
        if x not in lst:
            lst.append(x)
        return lst.index(x)

    base_font = None

    def style_id(st, sh):
        if st is None:
            return 0
        k = st.key() + (sh.font, sh.size)
        if k in stidx:
            return stidx[k]
        f = "<font>%s%s<sz val=\"%s\"/>%s<name val=\"%s\"/></font>" % (
            "<b/>" if st.bold else "", "", st.size or sh.size,
            '<color rgb="FF%s"/>' % st.color if st.color else "", st.font or sh.font)
        fi = intern(fonts, f)
        if st.fill:
            fl = '<fill><patternFill patternType="solid"><fgColor rgb="FF%s"/><bgColor indexed="64"/></patternFill></fill>' % st.fill
        else:
            fl = '<fill><patternFill patternType="none"/></fill>'
        fli = intern(fills, fl)
        l, r, t, b = st.border
        def side(name, s):
            return '<%s style="%s"><color rgb="FF000000"/></%s>' % (name, s, name) if s else "<%s/>" % name
        bd = "<border>%s%s%s%s<diagonal/></border>" % (side("left", l), side("right", r), side("top", t), side("bottom", b))
        bi = intern(borders, bd)
        al = '<alignment%s vertical="%s"%s/>' % (' horizontal="%s"' % st.h if st.h else "", st.v, ' wrapText="1"' if st.wrap else "")
        xf = '<xf numFmtId="0" fontId="%d" fillId="%d" borderId="%d" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">%s</xf>' % (fi, fli, bi, al)
        styles.append(xf)
        stidx[k] = len(styles)  # +1 for default xf at 0
        return stidx[k]

    fonts.append('<font><sz val="%s"/><name val="%s"/></font>' % (sheets[0].size, sheets[0].font))
    fills.append('<fill><patternFill patternType="none"/></fill>')
    fills.append('<fill><patternFill patternType="gray125"/></fill>')
    borders.append("<border><left/><right/><top/><bottom/><diagonal/></border>")

    sheet_xml = []
    for sh in sheets:
        rows = {}
        for (r, c), (v, st) in sh.cells.items():
            rows.setdefault(r, []).append((c, v, st))
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               '<sheetPr><pageSetUpPr fitToPage="%d"/></sheetPr>' % (1 if sh.fit_width else 0)]
        out.append('<sheetViews><sheetView workbookViewId="0" showGridLines="0"/></sheetViews>')
        if sh.widths:
            out.append("<cols>")
            for c in sorted(sh.widths):
                out.append('<col min="%d" max="%d" width="%s" customWidth="1"/>' % (c, c, sh.widths[c]))
            out.append("</cols>")
        out.append("<sheetData>")
        for r in sorted(set(rows) | set(sh.heights)):
            extra = ' ht="%s" customHeight="1"' % sh.heights[r] if r in sh.heights else ""
            out.append('<row r="%d"%s>' % (r, extra))
            for c, v, st in sorted(rows.get(r, []), key=lambda x: x[0]):
                ref = "%s%d" % (col_letters(c), r)
                s = style_id(st, sh)
                sa = ' s="%d"' % s if s else ""
                if v is None or v == "":
                    out.append('<c r="%s"%s/>' % (ref, sa))
                elif isinstance(v, (int, float)):
                    out.append('<c r="%s"%s><v>%s</v></c>' % (ref, sa, v))
                else:
                    out.append('<c r="%s"%s t="s"><v>%d</v></c>' % (ref, sa, sst(v)))
            out.append("</row>")
        out.append("</sheetData>")
        if sh.merges:
            out.append('<mergeCells count="%d">%s</mergeCells>' % (len(sh.merges), "".join('<mergeCell ref="%s"/>' % m for m in sh.merges)))
        l, rr, t, b = sh.margins
        out.append('<pageMargins left="%s" right="%s" top="%s" bottom="%s" header="0.3" footer="0.3"/>' % (l, rr, t, b))
        out.append('<pageSetup paperSize="9" orientation="%s" fitToWidth="1" fitToHeight="0"/>' % ("landscape" if sh.landscape else "portrait"))
        out.append("</worksheet>")
        sheet_xml.append("".join(out))

    n = len(sheets)
    styles_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  '<fonts count="%d">%s</fonts><fills count="%d">%s</fills><borders count="%d">%s</borders>'
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                  '<cellXfs count="%d"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>%s</cellXfs>'
                  '</styleSheet>') % (len(fonts), "".join(fonts), len(fills), "".join(fills), len(borders), "".join(borders),
                                      len(styles) + 1, "".join(styles))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1) for i in range(n))
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
        + "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(s.name), i + 1, i + 1) for i, s in enumerate(sheets))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1) for i in range(n))
        + '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' % (n + 1)
        + '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' % (n + 2)
        + "</Relationships>",
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
        % (len(strings), len(strings), "".join('<si><t xml:space="preserve">%s</t></si>' % escape(s) for s in strings)),
        "xl/styles.xml": styles_xml,
    }
    for i, x in enumerate(sheet_xml):
        files["xl/worksheets/sheet%d.xml" % (i + 1)] = x
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name].encode("utf-8"))


# ---------------------------------------------------------------- Word
WNS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14"')


def run(text, bold=False, size=None, color=None, font=None):
    rpr = ""
    if font:
        rpr += '<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s"/>' % (font, font, font)
    if bold:
        rpr += "<w:b/>"
    if color:
        rpr += '<w:color w:val="%s"/>' % color
    if size:
        rpr += '<w:sz w:val="%d"/><w:szCs w:val="%d"/>' % (size, size)
    return '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % ("<w:rPr>%s</w:rPr>" % rpr if rpr else "", escape(text))


def para(text="", bold=False, size=None, color=None, jc=None, raw_runs=None):
    ppr = '<w:pPr><w:spacing w:before="0" w:after="0"/>%s</w:pPr>' % ('<w:jc w:val="%s"/>' % jc if jc else "")
    if raw_runs is not None:
        return "<w:p>%s%s</w:p>" % (ppr, raw_runs)
    return "<w:p>%s%s</w:p>" % (ppr, run(text, bold, size, color) if text else "")


def paras(text, **kw):
    """Each line of text as its own paragraph (as people type Enter in a cell)."""
    return "".join(para(line, **kw) for line in (text.split("\n") if text else [""]))


def sdt_box(checked):
    glyph = "☒" if checked else "☐"
    return ('<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="%d"/>'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
            '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
            '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr>'
            '<w:t>%s</w:t></w:r></w:sdtContent></w:sdt>' % (1 if checked else 0, glyph))


class Cell:
    def __init__(self, xml, span=1, vmerge=None, shade=None, valign=None, width=None):
        self.xml, self.span, self.vmerge, self.shade, self.valign = xml, span, vmerge, shade, valign


def table(widths, rows, outer="single", outer_sz=4, inner_sz=4, header_rows=1, layout_fixed=True):
    """rows: lists of Cell."""
    b = ('<w:top w:val="%s" w:sz="%d" w:space="0" w:color="000000"/><w:left w:val="%s" w:sz="%d" w:space="0" w:color="000000"/>'
         '<w:bottom w:val="%s" w:sz="%d" w:space="0" w:color="000000"/><w:right w:val="%s" w:sz="%d" w:space="0" w:color="000000"/>'
         '<w:insideH w:val="single" w:sz="%d" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="%d" w:space="0" w:color="000000"/>'
         % (outer, outer_sz, outer, outer_sz, outer, outer_sz, outer, outer_sz, inner_sz, inner_sz))
    out = ['<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblBorders>%s</w:tblBorders>%s'
           '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>'
           % (sum(widths), b, '<w:tblLayout w:type="fixed"/>' if layout_fixed else "")]
    out += ['<w:gridCol w:w="%d"/>' % w for w in widths]
    out.append("</w:tblGrid>")
    for ri, row in enumerate(rows):
        out.append("<w:tr>%s" % ("<w:trPr><w:tblHeader/></w:trPr>" if ri < header_rows else ""))
        gi = 0
        for cell in row:
            tcpr = '<w:tcW w:w="%d" w:type="dxa"/>' % sum(widths[gi:gi + cell.span])
            if cell.span > 1:
                tcpr += '<w:gridSpan w:val="%d"/>' % cell.span
            if cell.vmerge == "restart":
                tcpr += '<w:vMerge w:val="restart"/>'
            elif cell.vmerge == "cont":
                tcpr += "<w:vMerge/>"
            if cell.shade:
                tcpr += '<w:shd w:val="clear" w:color="auto" w:fill="%s"/>' % cell.shade
            if cell.valign:
                tcpr += '<w:vAlign w:val="%s"/>' % cell.valign
            out.append("<w:tc><w:tcPr>%s</w:tcPr>%s</w:tc>" % (tcpr, cell.xml or "<w:p/>"))
            gi += cell.span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def write_docx(path, body, landscape=False, font="IPAGothic", size=20):
    pg = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' if landscape else '<w:pgSz w:w="11906" w:h="16838"/>'
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s'
           '<w:sectPr>%s<w:pgMar w:top="900" w:right="900" w:bottom="900" w:left="900" w:header="400" w:footer="400" w:gutter="0"/></w:sectPr>'
           '</w:body></w:document>') % (WNS, body, pg)
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr>'
              '<w:rFonts w:ascii="%s" w:eastAsia="%s" w:hAnsi="%s" w:cs="%s"/><w:sz w:val="%d"/><w:szCs w:val="%d"/>'
              '<w:lang w:val="en-US" w:eastAsia="ja-JP"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>') % (font, font, font, font, size, size)
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "word/document.xml": doc,
        "word/styles.xml": styles,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name].encode("utf-8"))
