#!/usr/bin/env python3
"""New-user test documents for trustsheet import. Own layouts, own wording."""
import os
import json
from writers import Sheet, Style, write_xlsx, col_letters, para, paras, run, sdt_box, Cell, table, write_docx

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
os.makedirs(OUT, exist_ok=True)
EXP = {}


def expect(name, rows):
    EXP[name] = [dict(number=str(n), question=q, answer=a, remarks=r) for n, q, a, r in rows]


def grid_border(r, c, r0, r1, c0, c1, outer="medium", inner="thin"):
    return (outer if c == c0 else inner, outer if c == c1 else inner,
            outer if r == r0 else inner, outer if r == r1 else inner)


# ------------------------------------------------------------------ n01
def n01():
    """Shaded header (dark blue, white bold), thick outer border, thin inner; 1-2-3 numbers;
    bullet remarks; portrait; title + date line above."""
    items = [
        ("1-1-1", "情報セキュリティに関する社内規程を定め、全従業員が閲覧できる場所に掲示していますか。", "はい",
         "・社内ポータルに掲載\n・改定時は全社メールで通知"),
        ("1-1-2", "社内規程は少なくとも年に一度、見直しの要否を検討していますか。", "はい", "・毎年4月に情報システム委員会で審議"),
        ("1-2-1", "情報セキュリティの統括責任者を役員の中から選任していますか。", "いいえ", "・現在は部長職が兼務しています"),
        ("1-2-2", "情報資産の管理台帳を作成し、各資産の管理者を決めていますか。", "はい", ""),
        ("2-1-1", "新たに入社した従業員に対して、業務開始前にセキュリティ研修を受講させていますか。", "はい",
         "・eラーニング(約60分)\n・理解度テストで8割以上の正答が必要"),
        ("2-1-2", "派遣社員や業務委託の要員にも同等の研修を課していますか。", "該当なし", "・派遣社員の受け入れはありません"),
        ("2-2-1", "退職者から秘密保持に関する誓約書を取得していますか。", "はい", ""),
        ("3-1-1", "業務用パソコンのハードディスクを暗号化していますか。", "はい", "・BitLockerを全台に適用\n・回復キーは管理サーバーで保管\n・暗号化の状態を月次で確認"),
        ("3-1-2", "USBメモリ等の外部記録媒体の利用を制限していますか。", "いいえ", "・申請制での運用を検討中"),
        ("3-2-1", "社外から社内ネットワークへ接続する際はVPNを利用させていますか。", "はい", ""),
        ("3-2-2", "無線LANの通信を WPA2 以上の方式で暗号化していますか。", "はい", "・来客用ネットワークは業務用と分離"),
    ]
    s = Sheet("対策状況")
    s.font = "IPAPGothic"
    s.set(1, 1, "取引先様向け 情報セキュリティ対策状況確認表", Style(bold=True, size=14, wrap=False))
    s.set(2, 1, "回答日：2025年5月12日", Style(wrap=False))
    hdr = ["項番", "確認内容", "回答", "補足事項"]
    r0, r1 = 4, 4 + len(items)
    for ci, h in enumerate(hdr, 1):
        s.set(4, ci, h, Style(bold=True, color="FFFFFF", fill="1F4E79", h="center", v="center",
                             border=grid_border(4, ci, r0, r1, 1, 4)))
    for i, (n, q, a, rem) in enumerate(items):
        r = 5 + i
        for ci, v in enumerate([n, q, a, rem], 1):
            s.set(r, ci, v, Style(h="center" if ci in (1, 3) else None, v="center" if ci in (1, 3) else "top",
                                 border=grid_border(r, ci, r0, r1, 1, 4)))
    s.widths = {1: 8, 2: 48, 3: 10, 4: 34}
    s.fit_rows(skip={1, 2, 4})
    s.heights[4] = 22
    write_xlsx(os.path.join(OUT, "n01_shaded_header.xlsx"), [s])
    expect("n01_shaded_header", items)


# ------------------------------------------------------------------ n02
def n02():
    """Landscape; 大分類 and 中分類 both merged over rows; number column third (A.5.1 style);
    ○/△/× marks; vertically centred."""
    data = [
        ("組織的管理策", "方針", [
            ("A.5.1", "情報セキュリティのための方針群を定め、経営陣が承認していますか。", "○", "2024年10月改定"),
            ("A.5.2", "情報セキュリティの役割と責任を定めて割り当てていますか。", "○", ""),
        ]),
        (None, "供給者関係", [
            ("A.5.19", "供給者との関係におけるリスクを管理する手順がありますか。", "△", "主要な委託先のみ評価済み"),
            ("A.5.20", "供給者との契約にセキュリティ要求事項を盛り込んでいますか。", "○", ""),
            ("A.5.23", "クラウドサービスの利用に関する手順を定めていますか。", "×", "来年度に策定予定"),
        ]),
        ("人的管理策", "雇用前・雇用中", [
            ("A.6.1", "採用候補者の経歴を、法令の範囲内で確認していますか。", "○", ""),
            ("A.6.3", "全従業員に対し、役割に応じた意識向上教育を定期的に行っていますか。", "○", "年2回実施"),
        ]),
        ("物理的管理策", "入退管理", [
            ("A.7.2", "執務室への入室をICカード等で管理していますか。", "○", "入退室履歴を1年保存"),
            ("A.7.7", "離席時に机上の書類や画面を片付けるルールがありますか。", "△", "ルールはあるが点検は未実施"),
        ]),
        ("技術的管理策", "アクセス制御", [
            ("A.8.2", "特権的アクセス権の割当てを制限し、記録していますか。", "○", ""),
            ("A.8.5", "重要なシステムへのログインに多要素認証を用いていますか。", "○", "社外からの接続時に必須"),
        ]),
        (None, "運用", [
            ("A.8.8", "技術的脆弱性の情報を入手し、対応の要否を評価していますか。", "○", "JVN・ベンダー情報を週次で確認"),
            ("A.8.13", "バックアップを取得し、定期的に復元を試験していますか。", "×", "復元試験は未実施"),
        ]),
    ]
    s = Sheet("管理策")
    s.landscape = True
    s.set(1, 1, "ISO/IEC 27001 附属書A 対応状況", Style(bold=True, size=13, wrap=False))
    hdr = ["大分類", "中分類", "管理策番号", "管理策の内容", "実施状況", "備考"]
    thin = ("thin",) * 4
    for ci, h in enumerate(hdr, 1):
        s.set(3, ci, h, Style(bold=True, fill="D9D9D9", h="center", v="center", border=thin))
    r = 4
    rows = []
    big_start = None
    for big, mid, its in data:
        if big is not None:
            if big_start is not None and r - 1 > big_start:
                s.merges.append("A%d:A%d" % (big_start, r - 1))
            big_start = r
            s.set(r, 1, big, Style(v="center", border=thin))
        mid_start = r
        s.set(r, 2, mid, Style(v="center", border=thin))
        for k, (n, q, a, rem) in enumerate(its):
            if not (big is not None and k == 0):
                if (r, 1) not in s.cells:
                    s.set(r, 1, "", Style(v="center", border=thin))
            if k:
                s.set(r, 2, "", Style(v="center", border=thin))
            s.set(r, 3, n, Style(v="center", h="center", border=thin))
            s.set(r, 4, q, Style(v="center", border=thin))
            s.set(r, 5, a, Style(v="center", h="center", border=thin))
            s.set(r, 6, rem, Style(v="center", border=thin))
            rows.append((n, q, a, rem))
            r += 1
        if r - 1 > mid_start:
            s.merges.append("B%d:B%d" % (mid_start, r - 1))
    if r - 1 > big_start:
        s.merges.append("A%d:A%d" % (big_start, r - 1))
    s.widths = {1: 14, 2: 14, 3: 11, 4: 60, 5: 9, 6: 34}
    s.fit_rows(skip={1, 3})
    s.heights[3] = 20
    write_xlsx(os.path.join(OUT, "n02_two_categories.xlsx"), [s])
    expect("n02_two_categories", rows)


# ------------------------------------------------------------------ n03
def n03():
    """Answer column left of the question: No. | 回答 | 質問事項 | 備考; 有/無; one blank answer."""
    items = [
        ("1", "有", "個人情報を取り扱う業務の担当者を限定していますか。", "担当者は名簿で管理しています。"),
        ("2", "有", "個人情報を含む書類を施錠できる保管庫に保管していますか。", ""),
        ("3", "無", "個人情報を含むデータの送信時にパスワード付きファイルを使っていますか。", "クラウドストレージの共有リンクを使用しています。"),
        ("4", "有", "不要となった個人情報を、復元できない方法で廃棄していますか。", "溶解処理業者の証明書を保管しています。"),
        ("5", "無", "個人情報の取扱状況を年に一度以上点検していますか。", ""),
        ("6", "", "海外の拠点や委託先に個人情報を移転していますか。", "確認中のため後日回答します。"),
        ("7", "有", "個人情報の漏えい等が発生した場合の報告手順を定めていますか。", "個人情報保護委員会への報告手順を含みます。"),
        ("8", "有", "委託先に対して、個人情報の取扱いについて監督を行っていますか。", ""),
    ]
    s = Sheet("個人情報")
    s.font = "IPAGothic"
    s.set(1, 1, "個人情報の取扱いに関する確認書", Style(bold=True, size=13, wrap=False))
    thin = ("thin",) * 4
    for ci, h in enumerate(["No.", "回答", "質問事項", "備考"], 1):
        s.set(3, ci, h, Style(bold=True, h="center", v="center", border=thin, fill="FFF2CC"))
    for i, (n, a, q, rem) in enumerate(items):
        r = 4 + i
        s.set(r, 1, n, Style(h="center", v="center", border=thin))
        s.set(r, 2, a, Style(h="center", v="center", border=thin))
        s.set(r, 3, q, Style(v="center", border=thin))
        s.set(r, 4, rem, Style(v="center", border=thin))
    s.widths = {1: 6, 2: 8, 3: 50, 4: 36}
    s.fit_rows(skip={1, 3})
    write_xlsx(os.path.join(OUT, "n03_answer_left.xlsx"), [s])
    expect("n03_answer_left", [(n, q, a, rem) for n, a, q, rem in items])


# ------------------------------------------------------------------ n04
def n04():
    """A long table over two pages, header NOT repeated on page 2; 対応済/未対応/対象外."""
    targets = ["社内サーバー", "業務用パソコン", "スマートフォン", "クラウドサービス", "ネットワーク機器",
               "データベース", "ウェブサイト", "電子メール", "バックアップ媒体", "開発環境"]
    measures = [("の構成情報を台帳で管理していますか。", "対応済", "台帳は四半期ごとに更新しています。"),
                ("に対する管理者権限の付与を最小限にしていますか。", "対応済", ""),
                ("のセキュリティ更新を、公開後30日以内に適用していますか。", "未対応", "一部の機器で適用が遅れています。"),
                ("の利用状況を記録し、定期的に確認していますか。", "対象外", "")]
    items = []
    k = 0
    for mi, (m, a, rem) in enumerate(measures):
        for ti, t in enumerate(targets):
            k += 1
            # vary answers a bit
            ans = a
            if (k % 7) == 0:
                ans = "未対応"
            if (k % 11) == 0:
                ans = "対象外"
            items.append((str(k), t + m, ans, rem if ti % 3 == 0 else ""))
    s = Sheet("点検表")
    s.set(1, 1, "システム管理状況 点検表", Style(bold=True, size=13, wrap=False))
    thin = ("thin",) * 4
    for ci, h in enumerate(["番号", "チェック項目", "回答", "コメント"], 1):
        s.set(3, ci, h, Style(bold=True, h="center", v="center", border=thin, fill="E2EFDA"))
    for i, (n, q, a, rem) in enumerate(items):
        r = 4 + i
        for ci, v in enumerate([n, q, a, rem], 1):
            s.set(r, ci, v, Style(h="center" if ci in (1, 3) else None, v="top", border=thin))
    s.widths = {1: 6, 2: 52, 3: 9, 4: 34}
    s.fit_rows(skip={1, 3})
    write_xlsx(os.path.join(OUT, "n04_long_no_repeat.xlsx"), [s])
    expect("n04_long_no_repeat", items)


# ------------------------------------------------------------------ n05
def n05():
    """Cover info table (会社名/記入日, 4 columns in the same columns) above the question table."""
    items = [
        ("1", "貴社のサービスで取り扱う当社データの保管場所を教えてください。", "国内", "東京リージョンのみを利用しています。"),
        ("2", "当社データへアクセスできる貴社従業員を限定していますか。", "はい", "運用担当の5名に限定しています。"),
        ("3", "当社データへのアクセス記録を提供いただけますか。", "はい", ""),
        ("4", "サービスの障害発生時に当社へ連絡する窓口はありますか。", "はい", "サポートデスク(平日9時〜18時)"),
        ("5", "再委託先を利用する場合、事前に当社の承諾を得ますか。", "いいえ", "再委託先の一覧を年1回提示します。"),
        ("6", "サービス解約後、当社データを消去したことを証明できますか。", "はい", ""),
        ("7", "外部機関による監査報告書(SOC2等)を提出できますか。", "いいえ", "現在取得に向けて準備中です。"),
    ]
    s = Sheet("調査票")
    thin = ("thin",) * 4
    s.set(1, 1, "委託先セキュリティ調査票", Style(bold=True, size=14, wrap=False))
    cover = [("会社名", "株式会社みなと技研", "記入日", "2025年6月2日"), ("部署名", "情報システム部", "記入者", "佐藤 花子")]
    for i, row in enumerate(cover):
        for ci, v in enumerate(row, 1):
            s.set(3 + i, ci, v, Style(bold=ci in (1, 3), fill="F2F2F2" if ci in (1, 3) else None, v="center", border=thin))
    s.set(6, 1, "以下の質問にご回答ください。", Style(wrap=False))
    for ci, h in enumerate(["NO", "質問", "回答", "回答の根拠・補足"], 1):
        s.set(7, ci, h, Style(bold=True, h="center", v="center", border=thin, fill="F2F2F2"))
    for i, (n, q, a, rem) in enumerate(items):
        r = 8 + i
        for ci, v in enumerate([n, q, a, rem], 1):
            s.set(r, ci, v, Style(h="center" if ci in (1, 3) else None, v="top", border=thin))
    s.widths = {1: 10, 2: 50, 3: 10, 4: 36}
    s.fit_rows(skip={1, 6, 7})
    write_xlsx(os.path.join(OUT, "n05_cover_info.xlsx"), [s])
    expect("n05_cover_info", items)


# ------------------------------------------------------------------ n06 (Word)
def n06():
    """Word: each table starts with a title row spanning all columns; the header's 確認項目 spans
    the (vMerged) 区分 column and the question column; a note paragraph between the tables."""
    t1 = [("A-1", "アカウント", "利用者のアカウントは個人ごとに払い出していますか。", "はい", "共用アカウントは禁止しています。"),
          ("A-2", None, "長期間使われていないアカウントを定期的に停止していますか。", "はい", "90日未使用で自動停止します。"),
          ("A-3", "認証", "パスワードの使い回しを禁止するルールがありますか。", "いいえ", ""),
          ("A-4", None, "リモート接続時に端末の証明書による認証を行っていますか。", "はい", "会社支給端末のみ接続可能です。")]
    t2 = [("B-1", "保管", "お預かりしたデータを暗号化して保管していますか。", "はい", "鍵はHSMで管理しています。"),
          ("B-2", None, "データのバックアップを遠隔地に保管していますか。", "いいえ", "同一データセンター内の別区画に保管しています。"),
          ("B-3", "廃棄", "故障したディスクを物理的に破壊してから廃棄していますか。", "はい", "")]
    widths = [900, 1400, 4200, 1000, 2600]

    def tbl(title, rows):
        out = [[Cell(para(title, bold=True), span=5, shade="BDD7EE")],
               [Cell(para("No.", bold=True, jc="center"), shade="DEEAF6"), Cell(para("確認項目", bold=True, jc="center"), span=2, shade="DEEAF6"),
                Cell(para("回答", bold=True, jc="center"), shade="DEEAF6"), Cell(para("備考", bold=True, jc="center"), shade="DEEAF6")]]
        for i, (n, cat, q, a, rem) in enumerate(rows):
            nxt = rows[i + 1][1] if i + 1 < len(rows) else "x"
            if cat is None:
                cc = Cell("<w:p/>", vmerge="cont", valign="center")
            else:
                cc = Cell(para(cat), vmerge="restart" if nxt is None else None, valign="center")
            out.append([Cell(para(n, jc="center"), valign="center"), cc, Cell(para(q)), Cell(para(a, jc="center"), valign="center"), Cell(paras(rem))])
        return table(widths, out, header_rows=2)

    body = (para("情報セキュリティ確認シート(クラウドサービス提供事業者用)", bold=True, size=28) + para("") +
            tbl("A. アカウント管理", t1) + para("") +
            para("※ 以下のB項目は、当社データを保管するサービスの場合のみご回答ください。") + para("") +
            tbl("B. データの保管と廃棄", t2))
    write_docx(os.path.join(OUT, "n06_word_gridspan_note.docx"), body)
    expect("n06_word_gridspan_note", [(n, q, a, rem) for n, _, q, a, rem in t1 + t2])


# ------------------------------------------------------------------ n07 (Word, legacy boxes)
def n07():
    """Landscape Word form: 「☑はい　☐いいえ　☐該当なし」 with full-width spaces, Q-01 numbers,
    multi-paragraph remarks; one question left unticked."""
    items = [
        ("Q-01", "セキュリティ事故の発生時に、当社へ第一報を入れるまでの時間を定めていますか。", 0, "検知から24時間以内に連絡します。"),
        ("Q-02", "過去3年間に、個人情報の漏えい事故を起こしたことがありますか。", 1, ""),
        ("Q-03", "従業員の私物スマートフォンで業務メールを閲覧できますか。", 1, "会社支給端末に限定しています。"),
        ("Q-04", "サーバー室に監視カメラを設置していますか。", 2, "自社でサーバー室を保有していません。\nクラウド事業者の認証報告書で確認しています。"),
        ("Q-05", "ソフトウェアの開発工程でソースコードの静的解析を行っていますか。", 0, ""),
        ("Q-06", "開発に用いるオープンソースの脆弱性を継続的に確認していますか。", 0, "依存関係の自動スキャンを利用しています。"),
        ("Q-07", "本番データをテスト環境で使用することを禁止していますか。", None, "社内で確認中です。"),
        ("Q-08", "年に一度以上、標的型メール訓練を実施していますか。", 1, "来年度から実施予定です。"),
    ]
    labels = ["はい", "いいえ", "該当なし"]
    widths = [1200, 6400, 3600, 4200]
    rows = [[Cell(para(h, bold=True, jc="center"), shade="D9D9D9") for h in ["質問番号", "質問", "回答", "補足説明"]]]
    exp = []
    for n, q, tick, rem in items:
        box = "　".join(("☑" if k == tick else "☐") + l for k, l in enumerate(labels))
        rows.append([Cell(para(n, jc="center")), Cell(para(q)), Cell(para(box)), Cell(paras(rem))])
        exp.append((n, q, labels[tick] if tick is not None else "", rem))
    body = (para("業務委託先 セキュリティ評価シート", bold=True, size=28) +
            para("該当する回答の□に✓を付けてください。", size=18) + para("") + table(widths, rows))
    write_docx(os.path.join(OUT, "n07_word_legacy_boxes.docx"), body, landscape=True)
    expect("n07_word_legacy_boxes", exp)


# ------------------------------------------------------------------ n08 (xlsx boxes)
def n08():
    """■/□ stacked in one cell, labels 実施している/一部実施/実施していない; printed to PDF."""
    labels = ["実施している", "一部実施している", "実施していない"]
    items = [
        ("1", "重要なデータを扱う端末には、画面ロックを5分以内に設定していますか。", 0, ""),
        ("2", "業務で利用するクラウドサービスを一覧にし、利用を承認制にしていますか。", 1, "主要なサービスのみ承認済み"),
        ("3", "電子メールの添付ファイルを、送信前に上長が確認していますか。", 2, ""),
        ("4", "社外に持ち出すノートパソコンに盗難防止用のワイヤーを用意していますか。", 1, "希望者にのみ配布"),
        ("5", "退職予定者のデータの持ち出しを監視していますか。", 2, "監視ツールを選定中"),
        ("6", "業務委託先との間で、事故時の責任分担を文書で取り決めていますか。", 0, "業務委託契約書の第12条"),
        ("7", "経営層に対し、セキュリティの状況を定期的に報告していますか。", 0, ""),
    ]
    s = Sheet("実施状況")
    s.set(1, 1, "中小企業向け 情報セキュリティ自己点検シート", Style(bold=True, size=13, wrap=False))
    thin = ("thin",) * 4
    for ci, h in enumerate(["No", "確認項目", "状況", "説明"], 1):
        s.set(3, ci, h, Style(bold=True, h="center", v="center", border=thin))
    for i, (n, q, t, rem) in enumerate(items):
        r = 4 + i
        boxes = "\n".join(("■" if k == t else "□") + l for k, l in enumerate(labels))
        for ci, v in enumerate([n, q, boxes, rem], 1):
            s.set(r, ci, v, Style(h="center" if ci == 1 else None, v="center", border=thin))
    s.widths = {1: 5, 2: 46, 3: 20, 4: 30}
    s.fit_rows(skip={1, 3})
    write_xlsx(os.path.join(OUT, "n08_xlsx_boxes.xlsx"), [s])
    expect("n08_xlsx_boxes", [(n, q, labels[t], rem) for n, q, t, rem in items])


# ------------------------------------------------------------------ n09 English
def n09():
    """English, landscape, long wrapped responses in the answer column and notes."""
    items = [
        ("GOV-1", "Governance", "Does your organisation have a designated person accountable for information security, and is that role documented?",
         "Yes. Our Chief Information Security Officer reports to the CEO and the role is described in the security charter.", "Charter v3.2, section 2"),
        ("GOV-2", "Governance", "Are information security policies reviewed at planned intervals?", "Yes", "Annual review by the risk committee."),
        ("ACC-1", "Access", "Describe how access rights are revoked when an employee leaves the company.",
         "Accounts are disabled automatically by the HR system on the last working day, and a manual check is completed within two business days.", ""),
        ("ACC-2", "Access", "Is multi-factor authentication enforced for all remote access to internal systems?", "Yes", ""),
        ("DAT-1", "Data", "Where is customer data physically stored, and can customers choose the region?",
         "Customer data is stored in data centres in Tokyo and Osaka. Customers can pin their tenant to a single region on request.", "See the data residency addendum."),
        ("DAT-2", "Data", "Is customer data used to train machine learning models?", "No", "Contractually excluded."),
        ("OPS-1", "Operations", "How quickly are critical security patches applied to production systems?",
         "Critical patches are applied within 72 hours of release after automated regression testing; exceptions require CISO approval.", "Patch policy PL-07"),
        ("OPS-2", "Operations", "Do you perform penetration testing by an independent third party?", "Partially", "External tests cover the web application only, not the mobile apps."),
    ]
    s = Sheet("Questionnaire")
    s.landscape = True
    s.font, s.size = "Liberation Sans", 10
    s.set(1, 1, "Supplier Information Security Assessment", Style(bold=True, size=14, wrap=False))
    s.set(2, 1, "Please answer every question. Attach evidence where requested.", Style(wrap=False))
    thin = ("thin",) * 4
    for ci, h in enumerate(["Ref", "Area", "Question", "Response", "Notes"], 1):
        s.set(4, ci, h, Style(bold=True, color="FFFFFF", fill="404040", v="center", border=thin))
    for i, (n, area, q, a, rem) in enumerate(items):
        r = 5 + i
        for ci, v in enumerate([n, area, q, a, rem], 1):
            s.set(r, ci, v, Style(v="top", border=thin))
    s.widths = {1: 8, 2: 12, 3: 48, 4: 52, 5: 28}
    s.fit_rows(skip={1, 2, 4})
    write_xlsx(os.path.join(OUT, "n09_english_long.xlsx"), [s])
    expect("n09_english_long", [(n, q, a, rem) for n, _, q, a, rem in items])


# ------------------------------------------------------------------ n10 zebra unruled
def n10():
    """Google-Sheets-like export: no lines, grey header fill, alternating row banding."""
    items = [
        ("1", "ネットワーク", "社内ネットワークと来客用ネットワークを分離していますか。", "はい", ""),
        ("2", "ネットワーク", "外部からの不正な通信を検知する仕組みを導入していますか。", "はい", "UTM機器で検知しています。"),
        ("3", "端末", "業務用端末にEDR製品を導入していますか。", "いいえ", "従来型のウイルス対策ソフトのみです。"),
        ("4", "端末", "端末のOSを、サポート期間中のバージョンに保っていますか。", "はい", ""),
        ("5", "クラウド", "クラウドサービスの管理者アカウントに多要素認証を設定していますか。", "はい", "全サービスで設定済みです。"),
        ("6", "クラウド", "クラウド上のファイル共有で、外部への公開リンクを制限していますか。", "いいえ", ""),
        ("7", "物理", "執務室の最終退出者が施錠を確認していますか。", "はい", "退出記録簿に記入しています。"),
    ]
    s = Sheet("シート1")
    s.font = "IPAPGothic"
    s.set(1, 1, "セキュリティ質問票(回答)", Style(bold=True, size=13, wrap=False))
    for ci, h in enumerate(["#", "カテゴリ", "質問", "回答", "備考"], 1):
        s.set(3, ci, h, Style(bold=True, fill="CCCCCC", v="center"))
    for i, row in enumerate(items):
        r = 4 + i
        fill = "F3F3F3" if i % 2 else None
        for ci, v in enumerate(row, 1):
            s.set(r, ci, v, Style(fill=fill, v="top"))
    s.widths = {1: 4, 2: 12, 3: 50, 4: 8, 5: 32}
    s.fit_rows(skip={1, 3})
    write_xlsx(os.path.join(OUT, "n10_zebra_unruled.xlsx"), [s])
    expect("n10_zebra_unruled", [(n, q, a, rem) for n, _, q, a, rem in items])


# ------------------------------------------------------------------ n11 【有】 landscape
def n11():
    """Landscape; one combined column 「【有】…」 with remarks (some multi-line bullets), 項目/内容 split."""
    items = [
        ("1", "セキュリティ教育", "従業員向けの教育の実施", "【有】年2回、全従業員を対象に実施しています。"),
        ("2", "監査", "内部監査の実施", "【有】\n・年1回、内部監査室が実施\n・指摘事項は3か月以内に是正"),
        ("3", "認証取得", "プライバシーマークの取得", "【無】"),
        ("4", "ログ管理", "操作ログの保存", "【有】2年間保存しています。"),
        ("5", "暗号化", "メール送信時の暗号化", "【無】TLSによる経路暗号化のみ対応しています。"),
        ("6", "サポート", "問い合わせ窓口の対応時間", "平日 9:00〜17:30"),
        ("7", "事業継続", "災害時の代替拠点", "【有】大阪に待機系を用意しています。"),
    ]
    s = Sheet("評価")
    s.landscape = True
    s.set(1, 1, "サービス提供事業者 評価表", Style(bold=True, size=13, wrap=False))
    thin = ("thin",) * 4
    for ci, h in enumerate(["No.", "評価項目", "内容", "回答(【有】/【無】を記入のうえ詳細を記載)"], 1):
        s.set(3, ci, h, Style(bold=True, h="center", v="center", border=thin, fill="FCE4D6"))
    for i, row in enumerate(items):
        r = 4 + i
        for ci, v in enumerate(row, 1):
            s.set(r, ci, v, Style(h="center" if ci == 1 else None, v="center", border=thin))
    s.widths = {1: 6, 2: 22, 3: 36, 4: 60}
    s.fit_rows(skip={1, 3})
    s.heights[3] = 22
    write_xlsx(os.path.join(OUT, "n11_bracket_landscape.xlsx"), [s])
    exp = []
    for n, item, content, ans in items:
        if ans.startswith("【"):
            lab = ans[1]
            rem = ans[3:]
        else:
            lab, rem = ans, ""
        exp.append((n, item + " " + content, lab, rem))
    expect("n11_bracket_landscape", exp)


# ------------------------------------------------------------------ n12 Word inline sdt
def n12():
    """Word: 区分 merged down (vMerge), answers as two check-box content controls inline in ONE
    paragraph 「☒ 対応済 ☐ 未対応」; thick outer border."""
    items = [
        ("1", "端末管理", "紛失した端末を遠隔で初期化できますか。", 0, ""),
        ("2", None, "端末にインストールできるアプリを制限していますか。", 1, "制限は来期に導入予定です。"),
        ("3", None, "端末の画面を覗き見から守るフィルターを配布していますか。", 0, "外出の多い営業職に配布しています。"),
        ("4", "委託管理", "委託先の選定時にセキュリティ評価を行っていますか。", 0, ""),
        ("5", None, "委託先による再委託を把握していますか。", 1, ""),
        ("6", "記録", "重要な操作の記録を改ざんできない形で保管していますか。", 0, "WORMストレージに保管しています。"),
    ]
    labels = ["対応済", "未対応"]
    widths = [700, 1400, 3900, 2400, 2500]
    rows = [[Cell(para(h, bold=True, jc="center"), shade="E7E6E6") for h in ["番号", "区分", "確認事項", "対応状況", "補足"]]]
    for i, (n, cat, q, t, rem) in enumerate(items):
        nxt = items[i + 1][1] if i + 1 < len(items) else "x"
        cc = Cell("<w:p/>", vmerge="cont") if cat is None else Cell(para(cat), vmerge="restart" if nxt is None else None)
        runs = "".join(sdt_box(k == t) + run(" " + l + ("  " if k == 0 else "")) for k, l in enumerate(labels))
        rows.append([Cell(para(n, jc="center")), cc, Cell(para(q)), Cell(para(raw_runs=runs)), Cell(paras(rem))])
    body = para("業務委託に関するセキュリティ確認", bold=True, size=28) + para("") + table(widths, rows, outer="single", outer_sz=18)
    write_docx(os.path.join(OUT, "n12_word_inline_sdt.docx"), body)
    expect("n12_word_inline_sdt", [(n, q, labels[t], rem) for n, _, q, t, rem in items])


for f in [n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12]:
    f()
with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as fh:
    json.dump(EXP, fh, ensure_ascii=False, indent=1)
print("wrote", sorted(EXP))
