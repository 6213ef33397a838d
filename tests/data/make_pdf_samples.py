#!/usr/bin/env python3
"""Writes trustsheet's own PDF checksheets (tests/data/pdf/): workbooks and Word files of
original text, printed to PDF by LibreOffice the way vendors publish their answered sheets.
Each PDF comes with <name>.expected.tsv (number, question, answer, remarks: what a person reads
in the printed table; line breaks inside a cell as \\n), written from the same data, never from
what trustsheet reads. The layouts: ruled grids with wrapped and vertically centred text, a
section column merged over rows, 【有】/【無】 answers with the remarks in one cell, a table over
several pages with its header repeated, an unruled grid, a landscape page with section rows,
■/□ check boxes stacked in one cell, one column per choice, Word tables with ☑/☐ and headings,
and a landscape table drawn sideways on a page turned by /Rotate 90 (written directly).
Run: python3 tests/data/make_pdf_samples.py (stdlib; LibreOffice's soffice on the PATH)."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_samples import Sheet, w_par, w_table, write_docx, write_xlsx  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdf")

# Original questions, answers and remarks, written for these samples.
CLOUD = [
    ("情報セキュリティ基本方針を文書化し、経営者の承認を得たうえで全従業員に周知していますか。", "はい",
     "年1回、経営会議で見直しています。"),
    ("情報セキュリティに関する責任者と担当部署を定め、社内外に明示していますか。", "はい", ""),
    ("業務委託先との契約に、秘密保持と再委託の条件を定めていますか。", "はい", "再委託は事前の書面承認を必要とします。"),
    ("従業員の採用時に、秘密保持に関する誓約書を取得していますか。", "はい", ""),
    ("全従業員を対象とした情報セキュリティ教育を毎年実施していますか。", "いいえ", "現在は入社時のみ実施しています。"),
    ("管理者権限を持つアカウントを一覧にし、四半期ごとに棚卸ししていますか。", "はい", "棚卸し結果は部門長が承認します。"),
    ("異動や退職の際、不要になったアカウントを当日中に削除していますか。", "はい", ""),
    ("利用者のパスワードに最低文字数と文字種の条件を設けていますか。", "はい", "10文字以上、英大小文字・数字・記号のうち3種類以上です。"),
    ("管理画面へのログインに多要素認証を必須としていますか。", "はい", "ワンタイムパスワードを利用しています。"),
    ("一定回数のログイン失敗でアカウントを一時的にロックしていますか。", "いいえ", "ロック機能は次期リリースで提供予定です。"),
    ("お客様のデータを保存する際に暗号化していますか。", "はい", "AES-256で暗号化しています。"),
    ("インターネット経由の通信をTLS1.2以上で暗号化していますか。", "はい", ""),
    ("暗号鍵を専用の鍵管理サービスで管理し、定期的に更新していますか。", "はい", "鍵は年1回更新しています。"),
    ("データのバックアップを毎日取得し、複数世代を保管していますか。", "はい", "7世代を別リージョンに保管しています。"),
    ("バックアップからの復元手順を定め、年1回以上テストしていますか。", "いいえ", ""),
    ("サーバーへのアクセスログを取得し、1年以上保管していますか。", "はい", "ログは改ざん防止のため別環境に転送しています。"),
    ("ログを定期的に確認し、不審な操作を検知する仕組みがありますか。", "はい", ""),
    ("サーバーの時刻を信頼できる時刻源と同期させていますか。", "はい", "NTPで同期しています。"),
    ("OSやミドルウェアの脆弱性情報を収集し、計画的に修正を適用していますか。", "はい", "重大な脆弱性は7日以内に適用します。"),
    ("外部の専門家による脆弱性診断を年1回以上受けていますか。", "はい", ""),
    ("マルウェア対策ソフトを導入し、定義ファイルを自動で更新していますか。", "はい", ""),
    ("開発環境・検証環境と本番環境を分離していますか。", "はい", ""),
    ("セキュリティインシデント発生時の対応手順と連絡体制を定めていますか。", "はい", "24時間受付の窓口があります。"),
    ("インシデントが発生した場合、お客様に通知する期限を定めていますか。", "いいえ", "速やかに通知しますが、期限は定めていません。"),
    ("データセンターは日本国内にありますか。", "はい", "東京と大阪のリージョンを利用しています。"),
    ("データセンターへの入退室を認証し、記録していますか。", "はい", ""),
    ("お客様のデータを第三者に提供することがありますか。", "いいえ", ""),
    ("契約終了時に、お客様のデータを返却または消去しますか。", "はい", "消去後に証明書を発行できます。"),
    ("サービスの稼働率の目標値を定めて公開していますか。", "はい", "月間99.9%です。"),
    ("計画停止を行う場合、事前にお客様へ通知していますか。", "はい", "原則として7日前までにメールで通知します。"),
    ("第三者認証(ISMS等)を取得していますか。", "いいえ", "取得に向けて準備中です。"),
    ("事業継続計画を策定し、災害を想定した訓練を実施していますか。", "はい", ""),
    ("私物の端末から業務システムへのアクセスを制限していますか。", "はい", "会社が許可した端末のみ接続できます。"),
    ("持ち出し用のノートPCの記憶装置を暗号化していますか。", "はい", ""),
    ("電子メールの誤送信を防ぐ仕組みを導入していますか。", "いいえ", ""),
    ("ソースコードの変更は、作成者以外の者がレビューしていますか。", "はい", "レビュー記録を1年保管しています。"),
    ("お客様ごとにデータを論理的に分離していますか。", "はい", ""),
    ("お客様が利用者の操作ログを閲覧できますか。", "はい", "管理画面から90日分を閲覧できます。"),
    ("サービスの利用を終了する際、データをCSV形式で取り出せますか。", "はい", ""),
    ("障害発生時の復旧目標時間を定めていますか。", "はい", "4時間以内を目標としています。"),
    ("クラウド事業者としての損害賠償の上限を契約で定めていますか。", "はい", "月額利用料の12か月分を上限とします。"),
    ("監査法人等による外部監査の報告書を提供できますか。", "いいえ", ""),
]

ENGLISH = [
    ("Do you maintain an information security policy approved by management?", "Yes", "Reviewed every year."),
    ("Is access to production systems limited to named administrators?", "Yes", ""),
    ("Do you encrypt customer data at rest with AES-256 or stronger?", "Yes", "Keys are held in a managed key service."),
    ("Are backups restored in a test at least once a year?", "No", "A restore test is planned for next quarter."),
    ("Can customers export all of their data in a documented format?", "Yes", ""),
    ("Do you notify customers of a personal data breach within 72 hours?", "Yes", "Our contract states the deadline."),
    ("Are security patches for critical flaws applied within 14 days?", "Yes", ""),
    ("Do you use subcontractors who can access customer data?", "No", ""),
]

IPA_STYLE = [
    ("SQL文はプレースホルダで組み立てている", 0, ""),
    ("ウェブページに出力する値はすべてエスケープしている", 0, "テンプレートエンジンの自動エスケープを使用"),
    ("セッションIDはログイン後に新しく発行している", 0, ""),
    ("重要な操作の前に再認証を求めている", 1, "次回改修で対応予定"),
    ("外部から渡されたファイル名をそのまま使っていない", 0, ""),
    ("OSコマンドを呼び出す機能を使っていない", 2, "該当する機能がありません"),
    ("Cookieにsecure属性を付けている", 0, ""),
    ("エラーメッセージに内部の情報を表示していない", 1, ""),
    ("HTTPSのページから外部のスクリプトを読み込んでいない", 0, "CSPで読み込み元を制限"),
    ("ログイン試行の回数を制限している", 0, ""),
]
IPA_LABELS = ["対応済", "未対策", "対応不要"]

SERVICE_LEVEL = [
    ("可用性", "サービス時間", "サービスを提供する時間帯", "24時間365日(計画停止を除く)"),
    ("可用性", "計画停止予定通知", "定期的な保守停止に関する事前連絡", "【有】停止の10日前までにメールと管理画面で通知します。"),
    ("可用性", "サービス稼働率", "計画停止を除く時間に占める稼働時間の割合", "99.9%"),
    ("可用性", "ディザスタリカバリ", "災害時のシステム復旧の方法", "【有】東京と大阪の2拠点で運用しています。"),
    ("信頼性", "平均復旧時間", "障害発生から修理完了までの平均時間", "【無】目標値は設けていません。"),
    ("信頼性", "障害通知プロセス", "障害発生時の連絡の手順", "【有】障害を検知してから30分以内に第一報を通知します。"),
    ("信頼性", "障害監視間隔", "稼働状況を監視する間隔", "1分"),
    ("サポート", "サービス提供状況の報告", "稼働状況の定期的な報告", "【有】月次の報告書を提供します。"),
    ("サポート", "問合せ窓口", "問い合わせを受け付ける時間帯", "平日9時から18時"),
    ("データ管理", "バックアップの方法", "バックアップの取得方法と保管場所", "【有】日次で取得し、14世代を別拠点に保管します。"),
    ("データ管理", "データ消去の要件", "サービス解約後のデータ消去", "【有】解約から30日以内に消去します。"),
    ("データ管理", "バックアップデータの保存期間", "バックアップを保管する期間", "14日"),
    ("セキュリティ", "公的認証取得の要件", "ISMS等の認証の取得状況", "【無】"),
    ("セキュリティ", "アプリケーションに関する第三者評価", "第三者による脆弱性診断", "【有】年1回、外部の診断を受けています。"),
    ("セキュリティ", "情報取扱い環境", "データを取り扱う場所", "【有】国内のデータセンターに限定しています。"),
    ("セキュリティ", "通信の暗号化レベル", "通信を暗号化する方式", "TLS1.2以上"),
    ("セキュリティ", "ウイルススキャン", "ウイルス対策の実施状況", "【有】全サーバーで常時監視しています。"),
    ("セキュリティ", "ログの取得", "アクセスログの取得と保管", "【有】1年間保管します。"),
]


def fit_rows(s):
    """Row heights for wrapped text (LibreOffice keeps an xlsx row at its default height):
    lines per cell from the column width, a CJK character two units wide."""
    lines = {}
    for (r, col), (v, bold, _) in s.cells.items():
        if bold:
            continue  # titles and headers: one line
        width = max(4, s.widths.get(col, 10) - 1)
        n = 0
        for part in str(v).split("\n"):
            units = sum(2 if ord(ch) > 0x2000 else 1 for ch in part)
            n += max(1, -(-units // width))
        lines[r] = max(lines.get(r, 1), n)
    for r, n in lines.items():
        s.heights[r] = round(n * s.font_size * 1.45 + 4, 1)
    return s


def rule_all(s, first_row, last_row, cols):
    """Every cell of the table drawn with its borders, the empty ones too (as vendors' sheets are)."""
    for r in range(first_row, last_row + 1):
        for c in cols:
            if (r, c) not in s.cells:
                s.cells[(r, c)] = ("", False, "blank")
    return s


def mark(answer, style):
    if style == "maru":
        return {"はい": "○", "いいえ": "×"}.get(answer, answer)
    if style == "ari":
        return {"はい": "有", "いいえ": "無"}.get(answer, answer)
    return answer


class Expected:
    def __init__(self):
        self.rows = []

    def add(self, number, question, answer, remarks):
        self.rows.append((str(number), question, answer, remarks))

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write("number\tquestion\tanswer\tremarks\n")
            for r in self.rows:
                f.write("\t".join(v.replace("\n", "\\n") for v in r) + "\n")


def table_sheet(name, header, first_row, rows, exp, widths, **print_opts):
    """One header row at first_row, then one row per item: (number, question, answer, remarks)."""
    s = Sheet(name)
    for k, v in print_opts.items():
        setattr(s, k, v)
    s.row(first_row, header, bold=True)
    for i, (n, q, a, rem) in enumerate(rows):
        s.row(first_row + 1 + i, [n, q, a, rem])
        exp.add(n, q, a, rem)
    s.widths.update(widths)
    return rule_all(s, first_row, first_row + len(rows), "ABCD")


def p01_ruled_basic(exp):
    """A portrait ruled grid, text wrapped at the top of each cell."""
    rows = [(i + 1, q, a, r) for i, (q, a, r) in enumerate(CLOUD[:16])]
    s = table_sheet("チェックシート", ["No.", "質問項目", "回答", "備考"], 3, rows, exp,
                    {"A": 5, "B": 50, "C": 8, "D": 30}, landscape=False)
    s.row(1, ["クラウドサービス セキュリティチェックシート"], bold=True)
    return [s]


def p02_service_level(exp):
    """The METI service-level checklist shape: 種別 merged over rows, vertically centred
    cells, a combined 【有】/【無】 + remarks column."""
    s = Sheet("サービスレベル")
    s.landscape, s.valign = False, "center"
    s.row(1, ["クラウドサービスレベルのチェックリスト"], bold=True)
    s.row(2, ["No.", "種別", "サービスレベル項目", "規定内容", "回答"], bold=True)
    start = None
    for i, (kind, item, definition, answer) in enumerate(SERVICE_LEVEL):
        r = 3 + i
        prev = SERVICE_LEVEL[i - 1][0] if i else None
        s.row(r, [i + 1, kind if kind != prev else None, item, definition, answer])
        if kind != prev:
            if start is not None and r - 1 > start:
                s.merges.append("B%d:B%d" % (start, r - 1))
            start = r
        if answer.startswith("【"):
            exp.add(i + 1, item + " " + definition, answer[1], answer[3:])
        else:
            exp.add(i + 1, item + " " + definition, answer, "")
    last = 2 + len(SERVICE_LEVEL)
    if last > start:
        s.merges.append("B%d:B%d" % (start, last))
    s.widths.update({"A": 5, "B": 10, "C": 18, "D": 26, "E": 34})
    return [rule_all(s, 2, last, "ABCDE")]


def p03_two_pages(exp):
    """All 42 questions, vertically centred, over pages with the header repeated."""
    rows = [("Q%02d" % (i + 1), q, mark(a, "maru"), r) for i, (q, a, r) in enumerate(CLOUD)]
    s = table_sheet("質問票", ["項番", "確認事項", "回答", "補足"], 1, rows, exp,
                    {"A": 7, "B": 52, "C": 7, "D": 32}, landscape=False, valign="center",
                    print_title_rows="1:1", centred_cols={"C"})
    return [s]


def p04_unruled(exp):
    """No lines at all: the columns show only by alignment."""
    rows = [(i + 1, q, mark(a, "ari"), r) for i, (q, a, r) in enumerate(CLOUD[16:28])]
    s = table_sheet("確認票", ["番号", "質問", "回答", "備考"], 3, rows, exp,
                    {"A": 5, "B": 52, "C": 6, "D": 34}, landscape=False, ruled=False)
    s.row(1, ["委託先確認票(回答済)"], bold=True)
    return [s]


def p05_landscape_sections(exp):
    """A landscape page: section rows merged across, a category column, vertically centred."""
    s = Sheet("セキュリティ確認")
    s.valign = "center"
    s.row(1, ["番号", "分類", "確認内容", "回答", "補足説明"], bold=True)
    r = 2
    sections = [("1. 組織的対策", CLOUD[0:5], "方針・体制"), ("2. 人的対策", CLOUD[3:6], "教育"),
                ("3. 技術的対策", CLOUD[6:14], "アクセス制御")]
    for title, items, cat in sections:
        s.row(r, [title], bold=True)
        s.merges.append("A%d:E%d" % (r, r))
        r += 1
        first = r
        for j, (q, a, rem) in enumerate(items):
            n = "%s-%d" % (title[0], j + 1)
            s.row(r, [n, cat if j == 0 else None, q, mark(a, "maru"), rem])
            exp.add(n, q, mark(a, "maru"), rem)
            r += 1
        s.merges.append("B%d:B%d" % (first, r - 1))
    s.centred_cols = {"D"}
    s.widths.update({"A": 6, "B": 14, "C": 70, "D": 7, "E": 50})
    return [rule_all(s, 1, r - 1, "ABCDE")]


def p06_checkboxes(exp):
    """IPA-style measures with the status as ■/□ boxes stacked in one cell."""
    s = Sheet("チェックリスト")
    s.landscape, s.valign = False, "center"
    s.row(1, ["No", "対策", "対応状況", "備考"], bold=True)
    for i, (measure, ticked, rem) in enumerate(IPA_STYLE):
        boxes = "\n".join(("■ " if k == ticked else "□ ") + label for k, label in enumerate(IPA_LABELS))
        s.row(2 + i, [i + 1, measure, boxes, rem])
        exp.add(i + 1, measure, IPA_LABELS[ticked], rem)
    s.widths.update({"A": 5, "B": 46, "C": 14, "D": 30})
    return [s]


def p07_choice_columns(exp):
    """One column per choice under a merged 回答 header, ○ in the chosen one."""
    s = Sheet("確認書")
    s.landscape, s.valign = False, "center"
    s.row(1, ["No.", "確認項目", "回答", None, None, "コメント"], bold=True)
    s.row(2, [None, None, "はい", "いいえ", "該当なし"], bold=True)
    s.merges += ["A1:A2", "B1:B2", "C1:E1", "F1:F2"]
    for i, (q, a, rem) in enumerate(CLOUD[20:34]):
        col = {"はい": 0, "いいえ": 1}.get(a, 2)
        vals = [i + 1, q, None, None, None, rem]
        vals[2 + col] = "○"
        s.row(3 + i, vals)
        exp.add(i + 1, q, a, rem)
    s.centred_cols = {"C", "D", "E"}
    s.widths.update({"A": 5, "B": 48, "C": 6, "D": 6, "E": 7, "F": 28})
    return [rule_all(s, 1, 2 + len(CLOUD[20:34]), "ABCDEF")]


def p08_multiline_remarks(exp):
    """Remarks with line breaks of their own, small print, marks centred both ways."""
    rows = []
    for i, (q, a, r) in enumerate(CLOUD[28:42]):
        if r:
            r = r.replace("、", "、\n", 1) if "、" in r else r + "\n詳細は別紙をご覧ください。"
        rows.append((i + 1, q, mark(a, "maru"), r))
    s = table_sheet("回答", ["No", "質問内容", "回答", "備考"], 1, rows, exp,
                    {"A": 4, "B": 44, "C": 6, "D": 40}, landscape=False, valign="center",
                    centred_cols={"C"}, font_size=9)
    return [s]


def p09_english(exp):
    """An English questionnaire, ruled, landscape."""
    rows = [("SEC-%02d" % (i + 1), q, a, r) for i, (q, a, r) in enumerate(ENGLISH)]
    s = table_sheet("Questionnaire", ["ID", "Question", "Response", "Comments"], 3, rows, exp,
                    {"A": 9, "B": 60, "C": 10, "D": 40})
    s.row(1, ["Vendor Security Questionnaire"], bold=True)
    return [s]


def p10_word_table(exp):
    """A Word questionnaire: a heading, a lead paragraph, a ruled table with 区分 merged down."""
    rows = [["番号", "区分", "質問", "回答", "備考"]]
    groups = [("アクセス管理", CLOUD[5:10]), ("暗号化", CLOUD[10:13]), ("運用", CLOUD[13:19])]
    n = 0
    for cat, items in groups:
        for j, (q, a, rem) in enumerate(items):
            n += 1
            rows.append([str(n), cat if j == 0 else None, q, mark(a, "ari"), rem])
            exp.add(n, q, mark(a, "ari"), rem)
    body = (w_par("情報セキュリティ確認書", bold=True, size=32) +
            w_par("以下の各項目について、有・無のいずれかを記入し、必要に応じて備考を記載してください。") +
            w_table([700, 1300, 4200, 700, 3000], rows, vcenter=True))
    return body, False


def p11_word_checkboxes(exp):
    """A landscape Word form: ☑/☐ choices in the answer cell, two tables under headings."""
    body = w_par("委託先管理 チェックシート", bold=True, size=28)
    n = 0
    for title, items in [("1. 物理的対策", CLOUD[24:27]), ("2. データの取扱い", CLOUD[26:30] + CLOUD[36:39])]:
        body += w_par(title, bold=True, size=24)
        rows = [["No.", "確認項目", "回答", "補足"]]
        for q, a, rem in items:
            n += 1
            box = "☑はい ☐いいえ" if a == "はい" else "☐はい ☑いいえ"
            rows.append([str(n), q, box, rem])
            exp.add(n, q, a, rem)
        body += w_table([800, 6500, 1900, 5000], rows)
    return body, True


def p12_rotated_page(exp, path):
    """A landscape table stored on a portrait page turned by /Rotate 90, as some tools export
    wide sheets: the content is drawn sideways and the viewer turns the page. Written directly
    (Helvetica, lines and text), not through LibreOffice."""
    rows = [("R-1", "Is remote administrative access restricted to a VPN?", "Yes", "Only from managed devices."),
            ("R-2", "Are audit logs kept for at least one year?", "No", "Kept for 180 days."),
            ("R-3", "Do you encrypt backups?", "Yes", ""),
            ("R-4", "Is there a documented incident response plan?", "Yes", "Tested twice a year.")]
    cols = [40, 100, 460, 540, 800]  # x of the column lines, in the landscape design (842 x 595)
    top, row_h = 540, 30
    ops = ["0.8 w 0 G", "q 0 1 -1 0 595 0 cm"]  # design (u, v) -> page (595 - v, u)
    table = [("No", "Question", "Answer", "Remarks")] + rows
    bottom = top - row_h * len(table)
    for i in range(len(table) + 1):
        ops.append("%d %d m %d %d l S" % (cols[0], top - i * row_h, cols[-1], top - i * row_h))
    for x in cols:
        ops.append("%d %d m %d %d l S" % (x, top, x, bottom))
    ops.append("BT /F1 10 Tf")
    for i, row in enumerate(table):
        for j, text in enumerate(row):
            if text:
                esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append("1 0 0 1 %d %d Tm (%s) Tj" % (cols[j] + 4, top - i * row_h - 19, esc))
    ops.append("ET Q")
    content = "\n".join(ops).encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate 90 /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)
    for r in rows:
        exp.add(*r)


XLSX_LAYOUTS = [("p01_ruled_basic", p01_ruled_basic), ("p02_service_level", p02_service_level),
                ("p03_two_pages", p03_two_pages), ("p04_unruled", p04_unruled),
                ("p05_landscape_sections", p05_landscape_sections), ("p06_checkboxes", p06_checkboxes),
                ("p07_choice_columns", p07_choice_columns), ("p08_multiline_remarks", p08_multiline_remarks),
                ("p09_english", p09_english)]
DOCX_LAYOUTS = [("p10_word_table", p10_word_table), ("p11_word_checkboxes", p11_word_checkboxes)]


def main():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("make_pdf_samples: LibreOffice (soffice) is needed to print the PDFs")
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for name, fn in XLSX_LAYOUTS:
            exp = Expected()
            path = os.path.join(tmp, name + ".xlsx")
            write_xlsx(path, [fit_rows(sh) for sh in fn(exp)])
            exp.write(os.path.join(OUT, name + ".expected.tsv"))
            sources.append(path)
        for name, fn in DOCX_LAYOUTS:
            exp = Expected()
            body, landscape = fn(exp)
            path = os.path.join(tmp, name + ".docx")
            write_docx(path, body, landscape)
            exp.write(os.path.join(OUT, name + ".expected.tsv"))
            sources.append(path)
        exp = Expected()
        p12_rotated_page(exp, os.path.join(OUT, "p12_rotated_page.pdf"))
        exp.write(os.path.join(OUT, "p12_rotated_page.expected.tsv"))
        profile = "file://" + os.path.join(tmp, "profile")
        subprocess.run([soffice, "-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf",
                        "--outdir", OUT] + sources, check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
