"""Write a valid synthetic knowledge base of N items in the real schema.

    python bench/synth_kb.py 10000 /tmp/kb10k

Names, materials, cases and channels are varied combinations of words from the real knowledge
base, so that search has realistic work to do; offices and rules are copied from the packaged one.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

from rsguide.kb.paths import packaged_data_dir

SUBJECTS = [
    "失业保险",
    "养老保险",
    "工伤保险",
    "社会保障卡",
    "人事档案",
    "就业登记",
    "职称",
    "医疗保险",
    "职业培训",
    "劳动合同",
    "生育保险",
    "住房公积金",
    "人才引进",
    "技能鉴定",
    "创业担保贷款",
    "高校毕业生",
    "退役军人",
    "灵活就业",
    "企业年金",
    "劳务派遣",
]
ACTIONS = [
    "申领",
    "转移接续",
    "变更",
    "查询打印",
    "补领",
    "注销",
    "登记",
    "备案",
    "审批",
    "认定",
    "补发",
    "延续",
    "恢复",
    "暂停",
    "核定",
]
QUALIFIERS = ["", "（企业）", "（机关事业）", "（个人）", "异地", "跨省", "省内", "首次", "提前", "一次性"]
DOCS = [
    "身份证",
    "户口本",
    "劳动合同",
    "营业执照",
    "社会保障卡",
    "委托书",
    "毕业证",
    "结婚证",
    "死亡证明",
    "银行卡",
    "申请表",
    "情况说明",
    "解除劳动关系证明",
    "缴费凭证",
    "职工档案",
    "照片",
    "学位证",
    "资格证书",
    "承诺书",
    "审批表",
]
PLACES = ["shebao-center", "renjiu-center", "xinying-889", "laodong-dasha", "tiedong"]
"""Preferred places; those missing from the packaged offices.yaml are replaced by its first offices."""


def _places(src: Path) -> list[str]:
    ids = [str(o["id"]) for o in yaml.safe_load((src / "offices.yaml").read_text(encoding="utf-8"))["offices"]]
    chosen = [p for p in PLACES if p in ids]
    return chosen + [i for i in ids if i not in chosen][: len(PLACES) - len(chosen)]


def _item(rng: random.Random, number: int, places: list[str]) -> dict[str, object]:
    """One synthetic item (plain data)."""
    name = f"{rng.choice(QUALIFIERS)}{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}"
    if number > 36 * 4:
        name += f"（{number}）"  # keep names unique-ish at scale
    channels = ["窗口办", *rng.sample(["网上办", "掌上办", "自助办"], rng.randint(0, 3))]
    cases = [{"id": "转入", "name": "转入"}, {"id": "转出", "name": "转出"}] if rng.random() < 0.2 else []
    groups: list[dict[str, object]] = []
    for case in cases or [None]:
        mats = []
        for k, doc in enumerate(rng.sample(DOCS, 6), 1):
            m: dict[str, object] = {
                "label": str(k),
                "name": doc,
                "text": f"{doc}原件及复印件1份",
                "form": rng.choice(["原件", "复印件", "原件及复印件"]),
                "copies": 1,
            }
            if rng.random() < 0.2:
                m["when"] = ["代办"]
            mats.append(m)
        group: dict[str, object] = {"channel": "窗口办", "items": mats}
        if case:
            group["case"] = case["id"]
        groups.append(group)
    for ch in channels[1:]:
        groups.append({"channel": ch, "none_required": True, "text": f"“{ch}”不需要提供要件"})
    paths = [
        {
            "channel": ch,
            "text": f"{ch}：{rng.choice(places)}",
            "places": [rng.choice(places)] if ch == "窗口办" else [],
        }
        for ch in channels
    ]
    days = rng.choice([None, 5, 7, 15, 20])
    limits = (
        [{"text": "即时办结", "kind": "immediate"}]
        if days is None
        else [{"text": f"{days}个工作日", "kind": "working_days", "days": days}]
    )
    return {
        "number": number,
        "name": name,
        "aliases": [name.replace("社会保障卡", "社保卡")] if "社会保障卡" in name else [],
        "category": rng.randint(1, 9),
        "page": number,
        "intro": f"{name}的办理对象为符合条件的{rng.choice(['参保人员', '用人单位', '劳动者', '毕业生'])}。",
        "cases": cases,
        "materials": groups,
        "paths": paths,
        "time_limit_text": limits[0]["text"],
        "time_limits": limits,
        "tips": ["为保障您便捷快速办理业务，建议您优先选择“网上办”方式。"],
        "notes": [],
    }


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def synth(n: int, out: Path, seed: int = 7) -> list[str]:
    """Write ``items.yaml`` with ``n`` items plus the packaged offices, rules and synonyms to ``out``;
    returns the item names.

    The items are written one at a time (no whole-document object), so memory stays small at any
    ``n``; only the names are kept, for the caller."""
    rng = random.Random(seed)
    src = packaged_data_dir()
    real = yaml.safe_load((src / "items.yaml").read_text(encoding="utf-8"))
    places = _places(src)
    out.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    with open(out / "items.yaml", "w", encoding="utf-8") as fh:
        fh.write(_dump({"version": 1, "categories": real["categories"], "conditions": real["conditions"]}))
        fh.write("items:\n")
        for number in range(1, n + 1):
            item = _item(rng, number, places)
            names.append(str(item["name"]))
            fh.write(_dump([item]))
    for name in ("offices.yaml", "synonyms.yaml"):
        shutil.copy(src / name, out / name)
    if (src / "concepts.yaml").is_file():
        # The real concept lexicon; each synthetic item described like one of the 36 real ones
        # (written out in full for each item, not as YAML aliases of the real ones).
        concepts = yaml.safe_load((src / "concepts.yaml").read_text(encoding="utf-8"))
        real_items = concepts.pop("items", None) or {}
        keys = sorted(real_items)
        with open(out / "concepts.yaml", "w", encoding="utf-8") as fh:
            fh.write(_dump(concepts))
            if keys:
                bodies = [
                    "".join("    " + line + "\n" for line in _dump(real_items[k]).splitlines()) for k in keys
                ]
                fh.write("items:\n")
                for number in range(1, n + 1):
                    fh.write(f"  {number}:\n{bodies[(number - 1) % len(keys)]}")
    rules = yaml.safe_load((src / "rules.yaml").read_text(encoding="utf-8"))
    for row in [*rules["prohibited"], *rules["tolerated"]]:
        if row.get("item") and row["item"] > n:
            row["item"] = 1
    (out / "rules.yaml").write_text(_dump(rules), encoding="utf-8")
    return names


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/synth_kb.py N OUT_DIR")
    synth(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {sys.argv[1]} items to {sys.argv[2]}")
