"""The written notice each verdict calls for (rsguide.output.documents): content on real items, both copies,
golden plain text, the CLI and repl wiring, the QR code, and pages through Chromium where present."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rsguide.check.checker import Decision, check
from rsguide.output.documents import (
    COPIES,
    DocumentNotIssued,
    build_document,
    document_format,
    document_text,
    issue_document,
    render_document,
)
from rsguide.session import Session

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
DAY = dt.date(2026, 12, 1)
BUREAU = "鞍山市人力资源和社会保障局"


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session(use_cache=False)
    s.index()
    return s


def verdict(session: Session, subject: str, **kwargs: object) -> Decision:
    kwargs.setdefault("date", DAY)
    return check(session.kb, session.index, subject, **kwargs)  # type: ignore[arg-type]


def text_of(page: str) -> str:
    body = re.sub(r"<(style|script)>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def sheets(page: str) -> list[str]:
    return [text_of(x) for x in re.findall(r'<section class="sheet">(.*?)</section>', page, flags=re.S)]


# Real cases, one per verdict (the verdict is asserted: a change in check shows here first).
CASES = {
    "ok": ("32", {}),
    "tolerated": ("14", {"missing": ["身份证复印件"]}),
    "incomplete": ("1", {"case": "用工备案", "when": ["首次备案"], "have": ["劳动合同"]}),
    "prohibited": ("18", {"situations": ["外省市评审的职称证书"]}),
}


def case_verdict(session: Session, kind: str) -> Decision:
    subject, options = CASES[kind]
    v = verdict(session, subject, **options)
    assert v.verdict == kind
    return v


# ── content, per verdict ──


def test_accepted(session: Session) -> None:
    page = document_text(session.kb, case_verdict(session, "ok"), "html")
    first, second = sheets(page)
    for text in (first, second):
        assert "受理通知书" in text and BUREAU in text
        assert "第32项 社会保障卡申领" in text
        assert "经审查，申请材料齐全，决定予以受理" in text
        assert "受理日期 2026年12月1日（星期二）" in text
        assert "身份证" in text and "即时办结" in text
        for blank in ("申请人", "经办人", "窗口号", "日期", "编号"):
            assert blank in text
    assert "第一联 申请人留存" in first and "第二联 窗口存档" in second
    assert page.count('class="stamp"') == 2  # a place for the seal on each copy


def test_accepted_with_a_due_date(session: Session) -> None:
    v = verdict(session, "1", case="用工备案")
    assert v.verdict == "ok" and v.due_date == dt.date(2026, 12, 8)
    plain = document_text(session.kb, v, "plain")
    assert "办理时限：5个工作日，自受理次日起按法定工作日计算，预计2026年12月8日（星期二）前办结。" in plain
    assert "1. 劳动合同（原件；不留存）" in plain


def test_tolerated_notice_and_commitment(session: Session) -> None:
    v = case_verdict(session, "tolerated")
    page = document_text(session.kb, v, "html")
    notice1, notice2, pledge1, pledge2 = sheets(page)
    for text in (notice1, notice2):
        assert "容缺受理通知书" in text and BUREAU in text
        assert "第14项 流动人员人事档案转入" in text
        # the paper names what is missing (the copy), never the ID itself (tester2 #2)
        assert "身份证复印件 属“存档人员有效身份证件”" in text and "容缺清单所列" not in text
        assert "当事人提供" in text and "15个工作日" in text
        assert "请于 2026年12月22日（星期二） 前将上述材料补交至受理窗口" in text
        assert "逾期未补正的，终止办理。" in text
    for text in (pledge1, pledge2):
        assert "容缺受理承诺书" in text and f"{BUREAU}：" in text
        assert "于2026年12月22日（星期二）前补交上述暂缺材料" in text
        assert "承诺人（签字或盖章）" in text and "身份证件号码" in text
    assert "第一联 申请人留存" in pledge1 and "第二联 窗口存档" in pledge2
    assert build_document(session.kb, v).clerk_notes  # 即时办结 vs a later deadline: for the clerk
    assert "即时办结，容缺材料" not in " ".join(sheets(page))


@pytest.mark.parametrize("fmt", ["plain", "markdown", "html"])
@pytest.mark.parametrize("number", ["14", "16"])
def test_tolerated_paper_names_the_copy_not_the_id(session: Session, number: str, fmt: str) -> None:
    v = verdict(session, number, missing=["身份证复印件"], date=dt.date(2026, 12, 1))
    page = document_text(session.kb, v, fmt)
    text = text_of(page) if fmt == "html" else page
    for sheet in ("容缺受理通知书", "容缺受理承诺书"):
        assert sheet in text
    assert "身份证复印件" in text
    assert not re.search(r"\d\. 存档人员有效身份证件", text)
    assert "容缺清单所列" not in text


def test_tolerated_under_commitment_has_no_deadline(session: Session) -> None:
    v = verdict(session, "17", missing=["人力资源服务公司章程和管理制度"])
    assert v.verdict == "tolerated"
    plain = document_text(session.kb, v, "plain")
    assert "实行告知承诺制，以申请人签署的承诺书代替提交。" in plain
    assert "终止办理" not in plain  # no date to miss
    assert "预计2026年12月29日（星期二）前办结" in plain


def test_tolerated_rule_subject(session: Session) -> None:
    v = verdict(session, "免费职业技能培训报名", missing=["就业创业证"], situations=["无"])
    assert v.verdict == "tolerated"
    doc = build_document(session.kb, v)
    assert doc.item_number is None and doc.subject_label == "免费职业技能培训报名"
    assert "现场查询，由窗口现场查询核实。" in render_document(doc, "plain")


def test_incomplete_lists_every_missing_material_at_once(session: Session) -> None:
    v = case_verdict(session, "incomplete")
    plain = document_text(session.kb, v, "plain")
    assert "补正材料通知书" in plain and BUREAU in plain
    assert "经审查，申请材料不齐全。现将需要补正的全部材料一次性告知如下" in plain
    listed = re.findall(r"^  \d+\. (.+)$", plain.split("\f")[0], flags=re.M)
    assert listed == [
        "《单位新招用或续签人员用工备案（就业登记）申报表》（一式两份）",
        "劳动用工备案（单位就业）登记表",
        "五证合一的营业执照（企业开户）",
        "社会保险登记表（企业开户）",
    ]
    assert len(v.missing) == len(listed)
    assert "除上述材料外，无需提供其他材料。" in plain
    assert "申请日期：2026年12月1日（星期二）" in plain
    assert "受理日期" not in plain and "办结" not in plain  # not accepted: no due date


def test_refused_in_the_lists_words(session: Session) -> None:
    v = case_verdict(session, "prohibited")
    page = document_text(session.kb, v, "html")
    for text in sheets(page):
        assert "不予受理通知书" in text and BUREAU in text
        assert "第18项 职称证书补发" in text
        assert "《违规禁办事项清单》第3条“外省市评审的职称证书补发”：提供外省市职称评审材料办理补发证书" in text
        assert "决定不予受理" in text


def test_unconfirmed_writes_no_paper(session: Session, tmp_path: Path) -> None:
    v = verdict(session, "18")  # no --situation: the 禁办情形 of item 18 is open
    assert v.verdict == "unconfirmed"
    with pytest.raises(DocumentNotIssued) as err:
        build_document(session.kb, v)
    assert "待确认，未生成文书" in str(err.value)
    assert "禁办3" in str(err.value) and err.value.questions
    target = tmp_path / "受理通知书.html"
    issued = issue_document(session.kb, v, target)
    assert issued.path is None and not target.exists()
    assert "禁办3" in issued.messages[0]


def test_cli_unconfirmed_says_what_to_confirm(tmp_path: Path) -> None:
    r = rsguide("check", "18", "--date", "2026-12-01", "--document", "通知.html", cwd=tmp_path)
    assert r.returncode == 7
    assert "待确认，未生成文书" in r.stderr and "禁办3" in r.stderr
    assert not (tmp_path / "通知.html").exists()
    r = rsguide("check", "18", "-s", "无", "--date", "2026-12-01", "--document", "通知.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "受理通知书" in (tmp_path / "通知.html").read_text(encoding="utf-8")


# ── formats and golden text ──


GOLDEN_CASES = {
    "document-ok-32.txt": ("32", {}),
    "document-tolerated-14.txt": CASES["tolerated"],
    "document-incomplete-1.txt": CASES["incomplete"],
    "document-prohibited-18.txt": CASES["prohibited"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_plain(session: Session, name: str) -> None:
    subject, options = GOLDEN_CASES[name]
    out = document_text(session.kb, verdict(session, subject, **options), "plain")
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_both_copies_in_every_format(session: Session) -> None:
    for kind in CASES:
        v = case_verdict(session, kind)
        sheets_per_copy = 2 if kind == "tolerated" else 1
        plain = document_text(session.kb, v, "plain")
        assert plain.count("\f") == 2 * sheets_per_copy - 1  # a form feed starts each further sheet
        md = document_text(session.kb, v, "markdown")
        page = document_text(session.kb, v, "html")
        assert len(sheets(page)) == 2 * sheets_per_copy
        for copy in COPIES:
            assert plain.count(copy) == md.count(copy) == page.count(copy) == sheets_per_copy
        assert "<" not in plain and "\n\n\n" not in plain and "\n\n\n" not in md


def test_markdown(session: Session) -> None:
    md = document_text(session.kb, case_verdict(session, "tolerated"), "markdown")
    assert "# 容缺受理通知书" in md and "# 容缺受理承诺书" in md
    assert "| 暂缺材料 | 资料来源 | 补正时间 | 补正截止 |" in md
    assert "请于**2026年12月22日（星期二）**前" in md


def test_html_is_print_ready(session: Session) -> None:
    page = document_text(session.kb, case_verdict(session, "ok"), "html")
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4;" in page
    assert re.search(r"@media print \{[^@]*\.sheet \{[^}]*break-after: page", page)
    assert "<title>受理通知书 · 第32项 社会保障卡申领</title>" in page


def test_document_format() -> None:
    assert document_format("a.html") == document_format("a.HTM") == "html"
    assert document_format("a.md") == "markdown" and document_format("a.txt") == "plain"
    assert document_format("a") == "html"
    assert document_format("a.txt", "markdown") == "plain"  # the name says what it is
    assert document_format("通知", "markdown") == "markdown" and document_format("通知", "plain") == "plain"
    assert document_format("通知", "table") == "html"  # a screen format is not a document format


def test_qr_code_carries_the_decision(session: Session) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp 未安装")
    image = pytest.importorskip("PIL.Image", reason="Pillow 未安装")
    from rsguide.output.qr import qr_code

    for kind in CASES:
        doc = build_document(session.kb, case_verdict(session, kind))
        assert doc.qr_text.startswith(f"{BUREAU}\n{doc.title}：")
        assert doc.qr_svg in render_document(doc, "html")
        png = io.BytesIO()
        qr_code(doc.qr_text).save(png, kind="png", scale=4)
        assert [r.text for r in zxingcpp.read_barcodes(image.open(io.BytesIO(png.getvalue())))] == [doc.qr_text]
    tolerated = build_document(session.kb, case_verdict(session, "tolerated"))
    assert "容缺材料：身份证复印件，2026-12-22前补交" in tolerated.qr_text


# ── the command line and the repl ──


def rsguide(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rsguide", *args], capture_output=True, text=True, cwd=cwd, timeout=60, check=False
    )


def test_cli_document(tmp_path: Path) -> None:
    r = rsguide("check", "14", "-m", "身份证复印件", "--date", "2026-12-01", "--document", "通知.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "已写入 通知.html（容缺受理通知书及容缺受理承诺书" in r.stderr
    assert "容缺受理" in r.stdout  # the verdict is still shown
    assert "容缺受理承诺书" in (tmp_path / "通知.html").read_text(encoding="utf-8")
    again = rsguide("check", "14", "-m", "身份证复印件", "--document", "通知.html", cwd=tmp_path)
    assert again.returncode == 6 and "--force" in again.stderr
    r = rsguide(
        "check", "18", "-s", "外省市评审的职称证书", "--date", "2026-12-01", "--document", "不予.txt", cwd=tmp_path
    )
    assert r.returncode == 5
    assert "不予受理通知书" in (tmp_path / "不予.txt").read_text(encoding="utf-8")
    r = rsguide("check", "32", "--date", "2026-12-01", "--document", "受理", "--format", "plain", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "受理").read_text(encoding="utf-8").startswith("第一联　申请人留存\n")
    assert "【可以受理】" in r.stdout  # the screen shows the verdict in the same format


def test_repl_document(tmp_path: Path) -> None:
    target = tmp_path / "补正.md"
    r = subprocess.run(
        [sys.executable, "-m", "rsguide", "repl"],
        input=f"c 10 /case 转出 /when 代办 /missing 委托书 /date 2026-12-01 /doc {target}\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert f"已写入 {target}" in r.stdout
    assert "# 补正材料通知书" in target.read_text(encoding="utf-8")


# ── printed by Chromium ──


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Chromium 未安装，跳过打印页数检查（apt-get install chromium 后运行 scripts/print_papers.py）",
)
def test_every_paper_prints_to_its_pages(tmp_path: Path) -> None:
    """The notices of the longest items, every 容缺 notice and every document kind through Chromium;
    RSGUIDE_PRINT_ALL=1 prints the notice of every item (about two minutes)."""
    args = [sys.executable, str(ROOT / "scripts" / "print_papers.py"), "--out", str(tmp_path)]
    if not os.environ.get("RSGUIDE_PRINT_ALL"):
        args += ["--items", "1,2,4,10,14,16,17,19,24"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=900, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "页数不对 0 份" in r.stdout
    lines = [x for x in r.stdout.splitlines() if "\t" in x]
    assert sum("一次性告知单" in x for x in lines) >= 9 + 3
    assert {x.split("\t")[1] for x in lines} >= {"受理通知书", "容缺受理通知书", "补正材料通知书", "不予受理通知书"}


# ── the bureau in the data ──


def _data_copy(tmp_path: Path, bureau_block: str | None) -> Path:
    from rsguide.kb.paths import packaged_data_dir

    folder = tmp_path / "data"
    shutil.copytree(packaged_data_dir(), folder)
    offices = folder / "offices.yaml"
    text = offices.read_text(encoding="utf-8")
    start = text.index("\nbureau:")
    end = text.index("\noffices:")
    offices.write_text(text[:start] + (bureau_block or "") + text[end:], encoding="utf-8")
    return folder


def test_bureau_comes_from_the_data(session: Session, tmp_path: Path) -> None:
    from rsguide.errors import DataError
    from rsguide.kb import loader as kb_module

    assert session.kb.bureau is not None and session.kb.bureau.name == BUREAU
    assert session.kb.bureau.short_name == "鞍山市人社局"
    other = kb_module.load(_data_copy(tmp_path / "a", "\nbureau:\n  name: 某市人力资源和社会保障局"))
    assert other.bureau is not None and other.bureau.name == "某市人力资源和社会保障局"
    none = kb_module.load(_data_copy(tmp_path / "b", None))
    assert none.bureau is None
    v = check(none, session.index, "32", date=DAY)
    plain = document_text(none, v, "plain")
    assert BUREAU not in plain and "受理通知书" in plain  # no bureau in the data: none invented
    with pytest.raises(DataError) as err:
        kb_module.load(_data_copy(tmp_path / "c", "\nbureau:\n  short_name: 人社局"))
    assert "bureau" in str(err.value) and "name" in str(err.value)
