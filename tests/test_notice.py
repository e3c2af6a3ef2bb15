"""The one-time notice (一次性告知单): its facts, its HTML, Markdown and plain text, and how the page
looks in a real browser (where Chromium is installed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
import shutil
import struct
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from rsguide.errors import NotFoundError, UsageError
from rsguide.output.notice import Notice, build_notice, render_notice
from rsguide.session import Session

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session(use_cache=False)
    s.index()
    return s


def notice(session: Session, query: str, **kwargs: object) -> Notice:
    kwargs.setdefault("date", DAY)
    return build_notice(session.kb, session.index, query, **kwargs)  # type: ignore[arg-type]


def text_of(page: str) -> str:
    """The visible text of an HTML page, entities decoded, whitespace collapsed."""
    body = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


# ── the facts ──


def test_materials_for_the_case_and_condition(session: Session) -> None:
    n = notice(session, "失业保险金申领", when=["代办"])
    assert n.item.number == 4 and n.channel == "窗口办" and n.when == ("代办",)
    (section,) = n.sections
    assert [m.name for m in section.required] == ["本人鞍山市社会保障卡", "当事人委托书", "代办人身份证"]
    assert [m.name for m in section.conditional] == ["《劳动仲裁调解书》《劳动仲裁裁决书》或《民事判决书》"]
    assert section.conditional[0].condition and "劳动争议" in section.conditional[0].condition


def test_materials_grouped_by_case_when_no_case_is_given(session: Session) -> None:
    n = notice(session, "1")
    assert [s.title for s in n.sections] == ["用工备案（就业登记）", "解除备案"]
    assert n.clerk_notes  # the clerk is told that every case is listed
    one = notice(session, "1", case="解除备案")
    assert [s.title for s in one.sections] == [None]
    assert one.sections[0].required[0].name == "用人单位与劳动者解除劳动关系证明"


def test_places_online_alternatives_and_time_limit(session: Session) -> None:
    n = notice(session, "4")
    # 辽宁省内任一失业保险业务经办窗口: the source's words are the place, not Anshan's nine windows
    assert n.places and n.places[0].generic == ("辽宁省内任一失业保险业务经办窗口",)
    assert n.places[0].district_windows == ()
    channels = [a.channel for a in n.alternatives]
    assert channels == ["网上办", "掌上办"]
    assert all(a.no_materials for a in n.alternatives)
    assert [(line.label, line.text) for line in n.time_limits] == [("窗口办", "即时办结")]


def test_due_date_in_working_days(session: Session) -> None:
    n = notice(session, "17")
    (line,) = n.time_limits
    assert (line.days, line.due) == (20, dt.date(2026, 12, 29))
    assert notice(session, "1", case="用工备案").time_limits[0].due == dt.date(2026, 12, 8)


def test_tolerated_material_and_its_deadline(session: Session) -> None:
    n = notice(session, "14", missing=["身份证复印件"])
    assert n.correction_deadline == dt.date(2026, 12, 22)
    (term,) = n.tolerated
    # the 容缺 list's words (the copy), attached to the guide's ID document, which must be presented
    assert term.material == "身份证复印件" and term.deadline == dt.date(2026, 12, 22)
    marked = [m for m in n.sections[0].required if m.tolerated]
    assert [m.name for m in marked] == ["存档人员有效身份证件"]
    assert "身份证复印件本次缺少" in marked[0].tolerated and "本身须出示" in marked[0].tolerated


def test_a_missing_material_that_cannot_be_tolerated(session: Session) -> None:
    n = notice(session, "10", case="转出", when=["代办"], missing=["委托书"])
    assert n.still_missing == ("本人委托书",)
    assert not n.tolerated


def test_prohibited_rules(session: Session) -> None:
    n = notice(session, "18")
    assert [(p.rule, p.text) for p in n.prohibited] == [(3, "提供外省市职称评审材料办理补发证书")]


def test_errors(session: Session) -> None:
    with pytest.raises(UsageError):
        notice(session, "5", channel="网上办")  # item 5 is only handled at a window
    with pytest.raises(UsageError):
        notice(session, "4", channel="飞鸽传书")
    with pytest.raises(UsageError):
        notice(session, "10", missing=["委托书"])  # materials differ by case: which case?
    with pytest.raises(NotFoundError):
        notice(session, "14", missing=["营业执照"])
    with pytest.raises(NotFoundError):
        notice(session, "zzqqxx不存在")
    with pytest.raises(UsageError):
        render_notice(notice(session, "4"), "pdf")


def test_date_defaults_to_today(session: Session) -> None:
    assert build_notice(session.kb, session.index, "4").date == dt.date.today()


# ── the HTML page ──


def test_html_page(session: Session) -> None:
    page = render_notice(notice(session, "4", when=["代办"]), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>一次性告知单 · 第4项 失业保险金申领</title>" in page
    assert "@page { size: A4; margin: 12mm 14mm; }" in page
    assert "@media print" in page
    assert '"Noto Sans CJK SC"' in page and '"Microsoft YaHei"' in page and "SimSun" in page
    text = text_of(page)
    for name in ("本人鞍山市社会保障卡", "当事人委托书", "代办人身份证"):
        assert name in text
    assert text.count("☐") == 4  # three required, one for 劳动争议
    assert "https://ggfw.lnrc.com.cn/ehrss/login/" in text
    assert "掌上12333" in text
    assert "辽宁省内任一失业保险业务经办窗口" in text
    assert "铁西区千山西路30栋" not in text  # 省内任一 is not Anshan's nine district windows
    assert "经办人" in text and "窗口号" in text and 'class="blank' in page
    assert "2026-12-01（星期二）" in text


def test_html_every_required_material_of_each_case(session: Session) -> None:
    kb = session.kb
    for item in kb.items:
        for case in item.cases or [None]:
            n = notice(session, str(item.number), case=case.id if case else None)
            text = text_of(render_notice(n, "html"))
            for section in n.sections:
                for m in section.required:
                    assert m.name in text, (item.number, m.name)


def test_html_place_address_and_phone(session: Session) -> None:
    text = text_of(render_notice(notice(session, "14", case="师范类、医学类"), "html"))
    assert "铁西区三道街81号劳动大厦院后楼" in text and "0412-2216349" in text
    assert "0412-5517322（其它专业类别）" in text  # the item's phones, as tips
    both = text_of(render_notice(notice(session, "14"), "html"))
    assert "铁东区莘英路889号" in both and "0412-5517322" in both


def test_html_due_date(session: Session) -> None:
    text = text_of(render_notice(notice(session, "17"), "html"))
    assert "20个工作日" in text
    assert "预计 2026-12-29（星期二）前办结" in text


def test_html_tolerated_term_and_deadline(session: Session) -> None:
    text = text_of(render_notice(notice(session, "14", missing=["身份证复印件"]), "html"))
    assert "容缺" in text
    assert "2026-12-22" in text
    assert "15个工作日" in text


def test_html_prohibited_warning(session: Session) -> None:
    text = text_of(render_notice(notice(session, "18"), "html"))
    assert "禁办" in text and "不予办理" in text
    assert "提供外省市职称评审材料办理补发证书" in text


def test_html_clerk_notes_are_not_printed(session: Session) -> None:
    page = render_notice(notice(session, "1"), "html")
    assert 'class="clerk"' in page
    assert re.search(r"@media print \{[^@]*\.clerk \{ display: none; \}", page)


def test_html_escapes_special_characters(session: Session) -> None:
    n = notice(session, "4", when=["代办"])
    evil = '<script>alert("x")</script> & <i onclick="x">'
    n = dataclasses.replace(n, item=dataclasses.replace(n.item, name=evil), tips=(evil,), notes=(evil,))
    page = render_notice(n, "html")
    assert "<script>alert" not in page
    assert page.count("<script") == 1  # only the page's own fit-to-page script
    assert "<i onclick" not in page
    assert (
        page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;i onclick=&#34;x&#34;&gt;") == 3
    )  # title, heading, tip (the item's notes are for the clerk and never on the page)
    md = render_notice(n, "markdown")
    assert "<script>" not in md and "\\<script\\>" in md
    assert evil in render_notice(n, "plain")  # plain text is shown as written


# ── Markdown and plain text ──


def test_markdown(session: Session) -> None:
    md = render_notice(notice(session, "14", missing=["身份证复印件"]), "markdown")
    assert md.startswith("# 一次性告知单：第14项 流动人员人事档案转入\n")
    assert "- [ ] 1. **存档人员有效身份证件**" in md
    assert "- [ ] 2. **户口本**" in md
    assert "2026-12-22" in md and "0412-2216349" in md
    assert "经办人：" in md and "窗口号：" in md
    assert "\n\n\n" not in md


def test_plain(session: Session) -> None:
    plain = render_notice(notice(session, "17"), "plain")
    assert plain.startswith("鞍山市人力资源和社会保障局\n一次性告知单\n第17项 人力资源服务许可审批\n")
    assert "☐ 1. 《辽宁省人力资源服务行政许可申请表》" in plain
    assert "预计 2026-12-29（星期二）前办结" in plain
    assert "www.lnzwfu.gov.cn" in plain
    assert "经办人：__________" in plain and "窗口号：__________" in plain
    assert "<" not in plain and "**" not in plain
    assert "\n\n\n" not in plain


def test_templates_ship_inside_the_package() -> None:
    folder = resources.files("rsguide") / "templates"
    for name in (
        "notice.html.j2",
        "notice.md.j2",
        "notice.txt.j2",
        "paper.css",
        "fit.js",
        "document.html.j2",
        "document.md.j2",
        "document.txt.j2",
    ):
        assert (folder / name).is_file()


def test_cli_notice(tmp_path: Path) -> None:
    target = tmp_path / "告知单.html"
    env = dict(os.environ)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rsguide",
            "notice",
            "14",
            "--missing",
            "身份证复印件",
            "--date",
            "2026-12-01",
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "2026-12-22" in target.read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "rsguide", "notice", "18", "-f", "plain", "--date", "2026-12-01"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0 and "不予办理" in result.stdout


# ── as a person sees it ──


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Chromium 未安装，跳过截图检查（apt-get install chromium fonts-noto-cjk 后可运行 scripts/notice_png.sh）",
)
def test_rendered_by_chromium(tmp_path: Path) -> None:
    out = tmp_path / "notice.png"
    env = dict(os.environ, RSGUIDE=str(Path(sys.executable).with_name("rsguide")))
    if not Path(env["RSGUIDE"]).exists():
        env.pop("RSGUIDE")
    result = subprocess.run(
        [str(ROOT / "scripts" / "notice_png.sh"), str(out), "14", "--missing", "身份证复印件", "--date", "2026-12-01"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert _png_size(out) == (794, 1123)
    assert out.stat().st_size > 40_000  # a page of text, not a blank or an error page


def test_png_script_refuses_a_wrong_output_name(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "notice_png.sh"), str(tmp_path / "out.jpg"), "4"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and ".png" in result.stderr


# ── what reaches paper (issue: staff notes, bureau, 无需提供其他材料, one page) ──

INTERNAL_MARKS = ("资料说明", "源文件", "指南注明：可容缺受理", "原文照录")  # a 容缺 term for the citizen may say 可容缺受理


def sheet_text(page: str) -> str:
    """The printed part of an HTML page: the sheets, without the screen-only clerk box."""
    sheets = re.findall(r'<(?:main|section) class="sheet">(.*?)</(?:main|section)>', page, flags=re.S)
    assert sheets, "no sheet on the page"
    return text_of(" ".join(sheets))


def test_internal_notes_never_reach_paper(session: Session) -> None:
    for item in session.kb.items:
        n = notice(session, str(item.number))
        page = render_notice(n, "html")
        printed = sheet_text(page)
        for fmt in ("markdown", "plain"):
            paper = render_notice(n, fmt)
            for note in item.notes:
                assert note not in paper and note not in printed, (item.number, fmt, note)
            for mark in INTERNAL_MARKS:
                assert mark not in paper, (item.number, fmt, mark)
        for mark in INTERNAL_MARKS:
            assert mark not in printed, (item.number, mark)
        for note in item.notes:  # … but the clerk sees them on screen
            assert f"资料说明：{note}" in n.clerk_notes


def test_guide_remark_on_tolerance_is_for_the_clerk(session: Session) -> None:
    n = notice(session, "2")
    assert any("指南注明：可容缺受理" in x and "不在《容缺办理事项清单》上" in x for x in n.clerk_notes)
    assert "可容缺受理" not in render_notice(n, "plain")
    page = render_notice(n, "html")
    assert "可容缺受理" in text_of(page)  # in the clerk box …
    assert "可容缺受理" not in sheet_text(page)  # … not on the sheet


def test_cli_plain_sends_clerk_notes_to_stderr(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rsguide", "notice", "24", "-f", "plain", "--date", "2026-12-01"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "莘英路899号" in result.stdout  # the applicant's facts on stdout
    assert "资料说明" not in result.stdout and "资料说明" in result.stderr


def test_the_bureau_is_named_on_every_format(session: Session) -> None:
    n = notice(session, "4")
    assert n.bureau == "鞍山市人力资源和社会保障局"
    assert '<div class="bureau">鞍山市人力资源和社会保障局</div>' in render_notice(n, "html")
    assert render_notice(n, "plain").startswith("鞍山市人力资源和社会保障局\n")
    assert "\n鞍山市人力资源和社会保障局\n" in render_notice(n, "markdown")


def test_nothing_else_is_required(session: Session) -> None:
    plain = render_notice(notice(session, "2"), "plain")
    materials = plain.split("二、需提交的材料（请逐项核对）")[1].split("三、")[0]
    assert "一般情况下无需提交材料。" in materials
    assert "除上述材料外，无需提供其他材料。" in materials
    assert "无需提供其他材料" in sheet_text(render_notice(notice(session, "4"), "html"))
    # a channel that needs nothing says so in the source's words, without the closing line
    online = render_notice(notice(session, "4", channel="网上办"), "plain")
    assert "无需提供其他材料" not in online and "不需要提供要件" in online


def test_default_notice_path_never_overwrites(session: Session, tmp_path: Path) -> None:
    from rsguide.output.notice import default_notice_path

    n = notice(session, "4")
    first = default_notice_path(n, tmp_path)
    assert first.name == "告知单-第4项-2026-12-01.html"
    first.write_text("x", encoding="utf-8")
    assert default_notice_path(n, tmp_path).name == "告知单-第4项-2026-12-01-2.html"


def _run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "rsguide", *args],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            cwd=cwd,
            timeout=60,
            check=False,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        return proc.returncode, b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(leader)


def test_on_a_terminal_the_page_goes_to_a_file(tmp_path: Path) -> None:
    code, shown = _run_on_terminal(["notice", "4", "--date", "2026-12-01"], tmp_path)
    assert code == 0
    assert "<html" not in shown and "<!DOCTYPE" not in shown
    assert "告知单-第4项-2026-12-01.html" in shown
    page = (tmp_path / "告知单-第4项-2026-12-01.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    code, shown = _run_on_terminal(["notice", "4", "--date", "2026-12-01"], tmp_path)
    assert code == 0 and "告知单-第4项-2026-12-01-2.html" in shown
    assert (tmp_path / "告知单-第4项-2026-12-01.html").read_text(encoding="utf-8") == page


# ── the QR code ──


def _decode_png(png: bytes) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp 未安装（pip install zxing-cpp）")
    image_module = pytest.importorskip("PIL.Image", reason="Pillow 未安装")
    import io

    return [r.text for r in zxingcpp.read_barcodes(image_module.open(io.BytesIO(png)))]


def test_qr_code_carries_the_checklist(session: Session) -> None:
    import io

    from rsguide.output.qr import qr_code

    for query, kwargs in (("4", {"when": ["代办"]}), ("1", {}), ("14", {"missing": ["身份证复印件"]}), ("2", {})):
        n = notice(session, query, **kwargs)
        text = n.qr_text
        assert text.startswith("鞍山市人力资源和社会保障局\n一次性告知单：第")
        for section in n.sections:
            for m in (*section.required, *section.conditional):
                assert m.name in text
        page = render_notice(n, "html")
        assert n.qr_svg in page  # the page shows exactly this code
        png = io.BytesIO()
        qr_code(text).save(png, kind="png", scale=4)
        assert _decode_png(png.getvalue()) == [text]


def test_qr_text_of_notice_4() -> None:
    s = Session(use_cache=False)
    n = build_notice(s.kb, s.index, "4", when=["代办"], date=DAY)
    assert n.qr_text == (
        "鞍山市人力资源和社会保障局\n"
        "一次性告知单：第4项 失业保险金申领\n"
        "办理渠道：窗口办；适用条件：代办\n"
        "需提交的材料：\n"
        "1. 本人鞍山市社会保障卡（已开通金融功能）\n"
        "2. 当事人委托书（原件；1份）\n"
        "3. 代办人身份证（复印件；1份；正反面）\n"
        "如属以下情形，还需提交：\n"
        "4. 《劳动仲裁调解书》《劳动仲裁裁决书》或《民事判决书》（复印件；1份）（仅当劳动争议）\n"
        "除上述材料外，无需提供其他材料。\n"
        "办理时限：窗口办：即时办结\n"
        "告知日期：2026-12-01"
    )


def test_long_qr_text_is_cut_at_a_line() -> None:
    from rsguide.output.qr import QR_MAX_BYTES, fit_text

    text = "\n".join(f"{i}. 材料名称很长很长很长很长很长很长" for i in range(200))
    cut = fit_text(text)
    assert len(cut.encode("utf-8")) <= QR_MAX_BYTES
    assert cut.endswith("……（其余内容见纸质告知单）")
    assert all(line in text.split("\n") for line in cut.split("\n")[:-1])
    assert fit_text("短") == "短"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium 未安装，跳过从渲染页面识别二维码")
def test_qr_code_read_from_the_rendered_page(session: Session, tmp_path: Path) -> None:
    n = notice(session, "4", when=["代办"])
    html_file = tmp_path / "n.html"
    html_file.write_text(render_notice(n, "html"), encoding="utf-8")
    shot = tmp_path / "n.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--hide-scrollbars",
            "--force-device-scale-factor=2",
            "--window-size=900,700",
            f"--screenshot={shot}",
            html_file.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert _decode_png(shot.read_bytes()) == [n.qr_text]
