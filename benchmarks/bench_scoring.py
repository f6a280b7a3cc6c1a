"""How fast perfscore scores the bundled rubric, against the same rules written by hand in Python.

Run from the repository root with the project's virtual environment:

    .venv/bin/python benchmarks/bench_scoring.py [--seconds S] [--facts N] [--profile]

It builds N fact sets (the filed report of examples/huizhou-dayawan-zuzhibu-2022.yaml, its
consistent variant, and seeded random variations of them), checks that `hand_score` below and
`Rubric.evaluate` (traces on and off) agree on every indicator score, the base, bonus and total,
the grade and the checks that fire, and then prints timings: `load_rubric` in ms and fact sets
per second for `evaluate(trace=True)`, `evaluate(trace=False)` and `hand_score`, with the ratios
engine / hand and the performance targets of docs/performance.md. `--profile` prints where the
time of `evaluate` goes instead of the timings. See benchmarks/README.md.

It is a report, not a test: it exits 0 when a target is missed and 1 only when the hand-written
scorer and the engine disagree (or a generated fact set is not valid for the rubric).
Standard library only, besides perfscore.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import decimal
import gc
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import perfscore
from perfscore import PerfscoreError, Rubric, load_facts, load_rubric
from perfscore._engine._run import run as run_plan
from perfscore._numbers import CONTEXT
from perfscore._output._scorecard import sha256_of

ROOT = Path(__file__).resolve().parents[1]
RUBRIC_PATH = ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml"
SEED_PATH = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
CONSISTENT_PATH = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022-consistent.yaml"

#: The targets of docs/performance.md: load time in ms, engine / hand time ratios.
LOAD_TARGET_MS = 50.0
TARGET_OFF = 3.0
TARGET_ON = 5.0
TARGET_JSON = 10.0

Facts = Mapping[str, object]
HandResult = dict[str, object]


# =============================================================================================
# The bundled rubric dept-overall-huizhou@2022.1, written by hand
# =============================================================================================

_ZERO = Decimal(0)
_HALF = Decimal("0.5")
_CENT = Decimal("0.01")
_TOLERANCE = Decimal("0.01")  # the checks' tolerance in percentage points / 万元


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _floor_to(value: Decimal, step: Decimal) -> Decimal:
    """`value` rounded down to a multiple of `step` (the rubric's floor(x, step))."""
    return (value / step).to_integral_value(rounding=decimal.ROUND_FLOOR) * step


def _finish(value: Decimal, top: Decimal | int, low: Decimal | int = 0) -> Decimal:
    """An indicator's last steps: clamp to [low, top], floor to a multiple of 0.5, clamp again."""
    value = min(max(value, Decimal(low)), Decimal(top))
    value = _floor_to(value, _HALF)
    return min(max(value, Decimal(low)), Decimal(top))


def hand_score(facts: Facts) -> HandResult:
    """Score one fact set by the rules of dept-overall-huizhou@2022.1, hard-coded.

    `facts` is the mapping `Rubric.evaluate` takes: numbers as `Decimal`, dates as ISO text (or
    `datetime.date`), list facts as lists of dicts; facts with a default may be left out. The
    result maps every indicator id (and ``base_total``, ``bonus_total``, ``total``) to its
    `Decimal` score, ``grade`` to the grade and ``checks`` to the tuple of ids of the consistency
    checks that fire, in rubric order. The facts are assumed valid (the engine validates them).
    """
    f: Mapping[str, Any] = facts
    with decimal.localcontext(CONTEXT):

        def count(name: str) -> Decimal:  # the integer facts that default to 0
            value: Decimal = f.get(name, _ZERO)
            return value

        # --- derived values
        total_full, total_final = f["total_full"], f["total_final"]
        spend_rate_table = _floor_to(total_final / total_full * 100, _CENT)
        carryover_rate_table = _floor_to(
            max(total_full - total_final, _ZERO) / total_full * 100,
            _CENT,
        )
        revenue_budget = f["fiscal_revenue_budget"]
        revenue_variance_rate = (
            abs(f["fiscal_revenue_final"] - revenue_budget) / revenue_budget * 100
        )
        public_funds_control_rate = f["public_final"] / f["public_full"] * 100
        budget_days = (_date(f["budget_published_on"]) - _date(f["budget_approved_on"])).days
        final_days = (_date(f["final_published_on"]) - _date(f["final_approved_on"])).days

        s: dict[str, Decimal] = {}

        # --- 预算编制 21
        # 预算编制合理性 5: -0.5 per admitted shortcoming and per counted problem, 扣完为止
        value = Decimal(5)
        if f["budget_items_cut"]:
            value -= _HALF
        if f["large_in_year_adjustment"]:
            value -= _HALF
        if count("compilation_problems") > 0:
            value -= _HALF * count("compilation_problems")
        s["budget_reasonableness"] = _finish(max(value, _ZERO), 5)

        # 财政拨款收入预决算差异率 5: -0.5 per percentage point of difference
        value = 5 - max(revenue_variance_rate, _ZERO) * _HALF
        s["revenue_variance"] = _finish(max(value, _ZERO), 5)

        # 绩效目标合理性 5
        value = Decimal(5)
        if f["goal_justification_insufficient"]:
            value -= _HALF
        if count("goal_problems") > 0:
            value -= _HALF * count("goal_problems")
        s["goal_reasonableness"] = _finish(max(value, _ZERO), 5)

        # 绩效指标明确性 6
        value = Decimal(6)
        if f["target_basis_insufficient"]:
            value -= _HALF
        if count("indicator_problems") > 0:
            value -= _HALF * count("indicator_problems")
        s["indicator_clarity"] = _finish(max(value, _ZERO), 6)

        # --- 预算执行 45
        # 部门预算资金支出率 6: the stated rate, -0.1 per percentage point short of 100
        value = 6 - max(100 - f["spend_rate_stated"], _ZERO) * Decimal("0.1")
        s["spend_rate"] = _finish(max(value, _ZERO), 6)

        # 结转结余率 3: bands on the stated rate
        carryover = f["carryover_rate_stated"]
        if 0 <= carryover <= 5:
            value = Decimal(3)
        elif 5 < carryover <= 10:
            value = Decimal("1.5")
        elif 10 < carryover <= 100:
            value = _ZERO
        else:
            raise ValueError(f"carryover_rate_stated {carryover} is in no band")
        s["carryover_rate"] = _finish(value, 3)

        # 国库集中支付结转结余存量资金效率性 3, 政府采购执行率 3
        s["idle_funds"] = _finish(Decimal(0 if f["idle_funds_unresolved"] else 3), 3)
        s["procurement_rate"] = _finish(Decimal(0 if f["procurement_over_plan"] else 3), 3)

        # 财务合规性 6: -1 per violation of each of five kinds
        value = Decimal(6)
        for name in (
            "fin_rule_violations",
            "fin_approval_gaps",
            "fin_unassessed_projects",
            "fin_off_purpose",
            "fin_diversions",
        ):
            if count(name) > 0:
                value -= count(name)
        s["financial_compliance"] = _finish(max(value, _ZERO), 6)

        # 预决算信息公开性 4: -2 per disclosure later than 20 days, -1 per content problem
        value = Decimal(4)
        if budget_days > 20:
            value -= 2
        if final_days > 20:
            value -= 2
        if count("disclosure_content_problems") > 0:
            value -= count("disclosure_content_problems")
        s["budget_disclosure"] = _finish(max(value, _ZERO), 4)

        # 绩效信息公开情况 2
        value = Decimal(2)
        if not f["perf_goals_published_on_time"]:
            value -= 1
        if not f["self_eval_published_on_time"]:
            value -= 1
        s["perf_disclosure"] = _finish(max(value, _ZERO), 2)

        # 项目实施程序 2, 项目监管 3: -1 per case
        value = 2 - count("project_procedure_violations")
        s["project_procedure"] = _finish(max(value, _ZERO), 2)
        value = 3 - count("supervision_gaps")
        s["project_supervision"] = _finish(max(value, _ZERO), 3)

        # 报送及时性 2: -1 for a late annual report, -0.5 per late monthly report
        value = Decimal(2)
        if not f["asset_annual_report_on_time"]:
            value -= 1
        if count("asset_monthly_reports_late") > 0:
            value -= _HALF * count("asset_monthly_reports_late")
        s["asset_report_timeliness"] = _finish(max(value, _ZERO), 2)

        # 数据质量 3, 账务核对情况 3, 资产管理合规性 3
        value = 3 - count("asset_data_problems")
        s["asset_data_quality"] = _finish(max(value, _ZERO), 3)
        s["ledger_reconciliation"] = _finish(
            Decimal(3 if f["asset_ledger_matches_books"] else 0), 3
        )
        value = Decimal(3)
        if not f["asset_rules_in_place"]:
            value -= 1
        if count("asset_management_problems") > 0:
            value -= count("asset_management_problems")
        s["asset_compliance"] = _finish(max(value, _ZERO), 3)

        # 固定资产利用率 2: in proportion to the rate against 100%
        s["fixed_asset_utilization"] = _finish(2 * f["fixed_asset_use_rate"] / 100, 2)

        # --- 预算使用效益 34
        # 公用经费控制率 4: -1 per percentage point over 100%
        value = 4 - max(public_funds_control_rate - 100, _ZERO)
        s["public_funds_control"] = _finish(max(value, _ZERO), 4)

        # 重点工作完成率 5, 绩效目标完成率 5: done / planned, over-achievement capped
        s["key_task_completion"] = _finish(5 * f["key_tasks_done"] / f["key_tasks_planned"], 5)
        s["perf_goal_completion"] = _finish(5 * f["perf_goals_met"] / f["perf_goals_set"], 5)

        # 项目完成及时性 3: -1 per delayed project
        value = 3 - count("projects_delayed")
        s["project_timeliness"] = _finish(max(value, _ZERO), 3)

        # 社会经济环境效益 10: the assessor's tier, with the assessed score inside it if given
        level, assessed = f["benefit_level"], f.get("benefit_score")
        low, high, high_included = {
            "achieved": (8, 10, True),  # [80, 100] % of 10
            "partial": (6, 8, False),  # [60, 80)
            "not_achieved": (0, 6, False),  # [0, 60)
        }[level]
        if assessed is not None:
            if not (low <= assessed and (assessed <= high if high_included else assessed < high)):
                raise ValueError(f"benefit_score {assessed} is outside tier {level!r}")
            value = assessed
        elif level == "achieved":
            value = Decimal(10)  # the tier's default: 100% of max
        else:
            raise ValueError(f"tier {level!r} needs an assessed score")
        s["social_benefit"] = _finish(value, 10)

        # 群众信访办理情况 3: closed / received; none received = full marks
        received = f["petitions_received"]
        value = Decimal(3) if received == 0 else 3 * f["petitions_closed"] / received
        s["petition_handling"] = _finish(value, 3)

        # 公众或服务对象满意度 4: respondent-weighted mean rate, full marks from 90%
        surveys: Sequence[Mapping[str, Decimal]] = f["surveys"]
        weights = sum((r["respondents"] for r in surveys), _ZERO)
        mean = sum((r["rate"] * r["respondents"] for r in surveys), _ZERO) / weights
        s["satisfaction"] = _finish(4 * min(mean, Decimal(90)) / 90, 4)

        # --- 工作表现加减分: +1 per honour, -1 per penalty, within [-5, 10]
        honours: Sequence[object] = f["honours"]
        penalties: Sequence[object] = f.get("penalties", [])
        bonus = _finish(Decimal(len(honours) - len(penalties)), 10, -5)
        s["performance_adjustment"] = bonus

        # --- total: base 100 + bonus, no cap, not below 0; grade
        base = sum((v for k, v in s.items() if k != "performance_adjustment"), _ZERO)
        total = base + bonus
        if total < 0:
            total = _ZERO
        if total >= 90:
            grade = "优"
        elif total >= 80:
            grade = "良"
        elif total >= 60:
            grade = "中"
        else:
            grade = "差"

        # --- consistency checks, in rubric order
        checks = []
        if abs(f["spend_rate_stated"] - spend_rate_table) > _TOLERANCE:
            checks.append("spend_rate_mismatch")
        if abs(f["carryover_rate_stated"] - carryover_rate_table) > _TOLERANCE:
            checks.append("carryover_rate_mismatch")
        if f["outreach_sessions_key_tasks"] != f["outreach_sessions_training"]:
            checks.append("outreach_sessions_mismatch")
        if f.get("public_funds_evidence_is_sangong", False):
            checks.append("public_funds_evidence_sangong")
        for column in ("initial", "full", "final"):
            personnel, public = f[f"personnel_{column}"], f[f"public_{column}"]
            if abs(personnel + public - f[f"basic_{column}"]) > _TOLERANCE:
                checks.append(f"basic_sum_{column}")
        for column in ("initial", "full", "final"):
            basic, project = f[f"basic_{column}"], f[f"project_{column}"]
            if abs(basic + project - f[f"total_{column}"]) > _TOLERANCE:
                checks.append(f"total_sum_{column}")
        if budget_days < 0 or final_days < 0:
            checks.append("disclosure_date_order")
        if (
            f["key_tasks_done"] > f["key_tasks_planned"]
            or f["perf_goals_met"] > f["perf_goals_set"]
            or f["petitions_closed"] > f["petitions_received"]
        ):
            checks.append("completion_counts")

    result: HandResult = dict(s)
    result.update(
        base_total=base, bonus_total=bonus, total=total, grade=grade, checks=tuple(checks)
    )
    return result


# =============================================================================================
# The yardstick: the same rules as a careful engineer would hard-code them
# =============================================================================================

# Everything the lean scorer needs is bound once, at import: constants as Decimals, the
# rounding mode, the date parser. It builds no objects it does not return and looks nothing up
# twice. Every indicator ends in [0, max] and, where its rule can give a fraction, is floored to
# a multiple of 0.5 (the rubric's rounding); sums of whole and half deductions are already
# multiples of 0.5, so flooring them again would change nothing.
_L0 = Decimal(0)
_L1 = Decimal(1)
_L2 = Decimal(2)
_L3 = Decimal(3)
_L4 = Decimal(4)
_L5 = Decimal(5)
_L6 = Decimal(6)
_L10 = Decimal(10)
_L90 = Decimal(90)
_L100 = Decimal(100)
_L1_5 = Decimal("1.5")
_L0_5 = Decimal("0.5")
_L0_1 = Decimal("0.1")
_L0_01 = Decimal("0.01")
_FLOOR = decimal.ROUND_FLOOR
_iso = dt.date.fromisoformat
_TIERS = {"achieved": (8, 10, True), "partial": (6, 8, False), "not_achieved": (0, 6, False)}
_CHECK_COLUMNS = ("initial", "full", "final")


def _days(f: Mapping[str, Any], later: str, earlier: str) -> int:
    a, b = f[later], f[earlier]
    if isinstance(a, str):
        a = _iso(a)
    if isinstance(b, str):
        b = _iso(b)
    return int((a - b).days)


def lean_score(facts: Facts) -> HandResult:
    """`hand_score`'s rules written for speed: the benchmark's yardstick (same result shape)."""
    f: Mapping[str, Any] = facts
    g = f.get
    with decimal.localcontext(CONTEXT):
        # 预算编制: 5, 5, 5, 6
        v = _L5
        if f["budget_items_cut"]:
            v -= _L0_5
        if f["large_in_year_adjustment"]:
            v -= _L0_5
        n = g("compilation_problems", 0)
        if n > 0:
            v -= _L0_5 * n
        s1 = v if v > 0 else _L0
        budget = f["fiscal_revenue_budget"]
        v = _L5 - abs(f["fiscal_revenue_final"] - budget) / budget * 100 * _L0_5
        s2 = (v + v).to_integral_value(_FLOOR) * _L0_5 if v > 0 else _L0
        v = _L5
        if f["goal_justification_insufficient"]:
            v -= _L0_5
        n = g("goal_problems", 0)
        if n > 0:
            v -= _L0_5 * n
        s3 = v if v > 0 else _L0
        v = _L6
        if f["target_basis_insufficient"]:
            v -= _L0_5
        n = g("indicator_problems", 0)
        if n > 0:
            v -= _L0_5 * n
        s4 = v if v > 0 else _L0
        # 预算执行
        stated = f["spend_rate_stated"]
        v = _L6 - (_L100 - stated) * _L0_1 if stated < 100 else _L6
        s5 = (v + v).to_integral_value(_FLOOR) * _L0_5 if v > 0 else _L0
        carry = f["carryover_rate_stated"]
        if 0 <= carry <= 5:
            s6 = _L3
        elif 5 < carry <= 10:
            s6 = _L1_5
        elif 10 < carry <= 100:
            s6 = _L0
        else:
            raise ValueError(f"carryover_rate_stated {carry} is in no band")
        s7 = _L0 if f["idle_funds_unresolved"] else _L3
        s8 = _L0 if f["procurement_over_plan"] else _L3
        v = (
            _L6
            - g("fin_rule_violations", 0)
            - g("fin_approval_gaps", 0)
            - g("fin_unassessed_projects", 0)
            - g("fin_off_purpose", 0)
            - g("fin_diversions", 0)
        )
        s9 = v if v > 0 else _L0
        budget_days = _days(f, "budget_published_on", "budget_approved_on")
        final_days = _days(f, "final_published_on", "final_approved_on")
        v = _L4 - g("disclosure_content_problems", 0)
        if budget_days > 20:
            v -= 2
        if final_days > 20:
            v -= 2
        s10 = v if v > 0 else _L0
        v = _L2
        if not f["perf_goals_published_on_time"]:
            v -= 1
        if not f["self_eval_published_on_time"]:
            v -= 1
        s11 = v
        v = _L2 - g("project_procedure_violations", 0)
        s12 = v if v > 0 else _L0
        v = _L3 - g("supervision_gaps", 0)
        s13 = v if v > 0 else _L0
        v = _L2 - _L0_5 * g("asset_monthly_reports_late", 0)
        if not f["asset_annual_report_on_time"]:
            v -= 1
        s14 = v if v > 0 else _L0
        v = _L3 - g("asset_data_problems", 0)
        s15 = v if v > 0 else _L0
        s16 = _L3 if f["asset_ledger_matches_books"] else _L0
        v = _L3 - g("asset_management_problems", 0)
        if not f["asset_rules_in_place"]:
            v -= 1
        s17 = v if v > 0 else _L0
        v = 2 * f["fixed_asset_use_rate"] / 100
        s18 = _L2 if v >= 2 else (v + v).to_integral_value(_FLOOR) * _L0_5
        # 预算使用效益
        v = _L4 - (f["public_final"] / f["public_full"] * 100 - 100)
        s19 = _L4 if v > 4 else (v + v).to_integral_value(_FLOOR) * _L0_5 if v > 0 else _L0
        v = 5 * f["key_tasks_done"] / f["key_tasks_planned"]
        s20 = _L5 if v >= 5 else (v + v).to_integral_value(_FLOOR) * _L0_5
        v = 5 * f["perf_goals_met"] / f["perf_goals_set"]
        s21 = _L5 if v >= 5 else (v + v).to_integral_value(_FLOOR) * _L0_5
        v = _L3 - g("projects_delayed", 0)
        s22 = v if v > 0 else _L0
        level, assessed = f["benefit_level"], g("benefit_score")
        if assessed is None:
            if level != "achieved":
                raise ValueError(f"tier {level!r} needs an assessed score")
            s23 = _L10
        else:
            low, high, closed = _TIERS[level]
            if not (low <= assessed and (assessed <= high if closed else assessed < high)):
                raise ValueError(f"benefit_score {assessed} is outside tier {level!r}")
            s23 = (assessed + assessed).to_integral_value(_FLOOR) * _L0_5
        received = f["petitions_received"]
        if received == 0:
            s24 = _L3
        else:
            v = 3 * f["petitions_closed"] / received
            s24 = _L3 if v >= 3 else (v + v).to_integral_value(_FLOOR) * _L0_5
        weights = _L0
        weighted = _L0
        for r in f["surveys"]:
            n = r["respondents"]
            weights += n
            weighted += r["rate"] * n
        mean = weighted / weights
        v = 4 * (mean if mean < 90 else _L90) / 90
        s25 = (v + v).to_integral_value(_FLOOR) * _L0_5
        bonus = len(f["honours"]) - len(g("penalties", ()))
        bonus = _L10 if bonus > 10 else Decimal(-5 if bonus < -5 else bonus)
        base = (
            s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13
            + s14 + s15 + s16 + s17 + s18 + s19 + s20 + s21 + s22 + s23 + s24 + s25
        )  # fmt: skip
        total = base + bonus
        if total < 0:
            total = _L0
        grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
        # consistency checks, in rubric order
        checks = []
        full, final = f["total_full"], f["total_final"]
        table = (final / full * 10000).to_integral_value(_FLOOR) / 100
        if abs(stated - table) > _L0_01:
            checks.append("spend_rate_mismatch")
        left = full - final
        table = (left / full * 10000).to_integral_value(_FLOOR) / 100 if left > 0 else _L0
        if abs(carry - table) > _L0_01:
            checks.append("carryover_rate_mismatch")
        if f["outreach_sessions_key_tasks"] != f["outreach_sessions_training"]:
            checks.append("outreach_sessions_mismatch")
        if g("public_funds_evidence_is_sangong", False):
            checks.append("public_funds_evidence_sangong")
        for column in _CHECK_COLUMNS:
            if (
                abs(f["personnel_" + column] + f["public_" + column] - f["basic_" + column])
                > _L0_01
            ):
                checks.append("basic_sum_" + column)
        for column in _CHECK_COLUMNS:
            if abs(f["basic_" + column] + f["project_" + column] - f["total_" + column]) > _L0_01:
                checks.append("total_sum_" + column)
        if budget_days < 0 or final_days < 0:
            checks.append("disclosure_date_order")
        if (
            f["key_tasks_done"] > f["key_tasks_planned"]
            or f["perf_goals_met"] > f["perf_goals_set"]
            or f["petitions_closed"] > received
        ):
            checks.append("completion_counts")
    return {
        "budget_reasonableness": s1,
        "revenue_variance": s2,
        "goal_reasonableness": s3,
        "indicator_clarity": s4,
        "spend_rate": s5,
        "carryover_rate": s6,
        "idle_funds": s7,
        "procurement_rate": s8,
        "financial_compliance": s9,
        "budget_disclosure": s10,
        "perf_disclosure": s11,
        "project_procedure": s12,
        "project_supervision": s13,
        "asset_report_timeliness": s14,
        "asset_data_quality": s15,
        "ledger_reconciliation": s16,
        "asset_compliance": s17,
        "fixed_asset_utilization": s18,
        "public_funds_control": s19,
        "key_task_completion": s20,
        "perf_goal_completion": s21,
        "project_timeliness": s22,
        "social_benefit": s23,
        "petition_handling": s24,
        "satisfaction": s25,
        "performance_adjustment": bonus,
        "base_total": base,
        "bonus_total": bonus,
        "total": total,
        "grade": grade,
        "checks": tuple(checks),
    }


# =============================================================================================
# The corpus: the seed, its consistent variant, and seeded variations
# =============================================================================================

#: integer facts with a default of 0: a variation may leave them out
_COUNTS = (
    "compilation_problems",
    "goal_problems",
    "indicator_problems",
    "fin_rule_violations",
    "fin_approval_gaps",
    "fin_unassessed_projects",
    "fin_off_purpose",
    "fin_diversions",
    "disclosure_content_problems",
    "project_procedure_violations",
    "supervision_gaps",
    "asset_data_problems",
    "asset_management_problems",
    "projects_delayed",
)
_BOOLEANS = (
    "budget_items_cut",
    "large_in_year_adjustment",
    "goal_justification_insufficient",
    "target_basis_insufficient",
    "idle_funds_unresolved",
    "procurement_over_plan",
    "perf_goals_published_on_time",
    "self_eval_published_on_time",
    "asset_annual_report_on_time",
    "asset_ledger_matches_books",
    "asset_rules_in_place",
)
_LEVELS = ("district", "city", "province", "national")


def _decimals(value: object) -> object:
    """Ints (not bools) as Decimal, recursively: the plain mapping a caller would build."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Mapping):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_decimals(v) for v in value]
    return value


def _cents(cents: int) -> Decimal:
    """An amount with two decimals from a whole number of cents, exactly."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return Decimal(f"{sign}{cents // 100}.{cents % 100:02d}")


def _rate(rng: random.Random, low: int = 0, high: int = 100) -> Decimal:
    """A percent with two decimals in [low, high]."""
    return _cents(rng.randint(low * 100, high * 100))


def _table(rng: random.Random, f: dict[str, object]) -> None:
    """A consistent 部门整体支出情况表 (万元), sometimes with a transcription slip."""
    full = {
        "personnel": rng.randint(20_000, 500_000),
        "public": rng.randint(1_000, 50_000),
        "project": rng.randint(0, 800_000),
    }
    executed = rng.random() < 0.3  # like the seed: 决算数 = 全年预算数

    def spent(amount: int, low: int, high: int) -> int:  # 决算数 from 全年预算数, per mille
        return amount if executed else amount * rng.randint(low, high) // 1000

    final = {
        "personnel": spent(full["personnel"], 850, 1000),
        # up to 108%: 公用经费控制率 over 100% costs 1 point per percentage point, 0 from 104%
        "public": spent(full["public"], 800, 1080),
        "project": spent(full["project"], 500, 1000),
    }
    initial = {k: v * rng.randint(700, 1300) // 1000 for k, v in full.items()}
    for column, parts in (("initial", initial), ("full", full), ("final", final)):
        f[f"personnel_{column}"] = _cents(parts["personnel"])
        f[f"public_{column}"] = _cents(parts["public"])
        f[f"project_{column}"] = _cents(parts["project"])
        f[f"basic_{column}"] = _cents(parts["personnel"] + parts["public"])
        f[f"total_{column}"] = _cents(parts["personnel"] + parts["public"] + parts["project"])
    if rng.random() < 0.15:  # a slip in one cell: a table-arithmetic check fires
        column = rng.choice(("initial", "full", "final"))
        cell = rng.choice(("basic", "total", "personnel", "project"))
        slip = _cents(rng.randint(2, 50_000))
        cell_value: Decimal = f[f"{cell}_{column}"]  # type: ignore[assignment]
        # down when the cell stays positive (全年预算数 is a divisor), else up
        f[f"{cell}_{column}"] = cell_value - slip if cell_value > slip else cell_value + slip


def _table_rates(f: Mapping[str, Any]) -> tuple[Decimal, Decimal]:
    """The 支出率 and 结转结余率 the table implies, as the rubric derives them."""
    with decimal.localcontext(CONTEXT):
        full, final = f["total_full"], f["total_final"]
        spend = _floor_to(final / full * 100, _CENT)
        carry = _floor_to(max(full - final, _ZERO) / full * 100, _CENT)
    return spend, carry


def _survey(rng: random.Random, i: int) -> dict[str, object]:
    rate = _rate(rng, 80) if rng.random() < 0.75 else _rate(rng, 30)
    return {"name": f"调查问卷 {i + 1}", "respondents": Decimal(rng.randint(1, 3000)), "rate": rate}


def _records(rng: random.Random, n: int, kind: str) -> list[dict[str, object]]:
    return [{"title": f"{kind} {i + 1}", "level": rng.choice(_LEVELS)} for i in range(n)]


def _vary(rng: random.Random, base: Mapping[str, object]) -> dict[str, object]:
    """One valid variation of the seed: each part is kept or redrawn within its bounds."""
    f: dict[str, object] = dict(base)
    if rng.random() < 0.7:
        _table(rng, f)
    spend_table, carry_table = _table_rates(f)
    spend_table = min(spend_table, Decimal(100))  # a slip can put 决算数 above 全年预算数
    # stated rates: the table's (consistent), the seed's, edges of rules, or anything in bounds
    f["spend_rate_stated"] = rng.choice(
        (spend_table, spend_table, Decimal("95.87"), Decimal(100), Decimal(40), Decimal("39.99"),
         _ZERO, _rate(rng), _rate(rng, 90), _rate(rng, 90))
    )  # fmt: skip
    f["carryover_rate_stated"] = rng.choice(
        (carry_table, carry_table, Decimal("0.90"), _ZERO, Decimal(5), Decimal("5.01"),
         Decimal(10), Decimal("10.01"), Decimal(100), _rate(rng, 0, 20), _rate(rng))
    )  # fmt: skip
    if rng.random() < 0.5:
        budget = rng.randint(10_000, 1_000_000)
        change = rng.choice((0, 0, rng.randint(-150, 150), rng.randint(-15, 15)))
        f["fiscal_revenue_budget"] = _cents(budget)
        f["fiscal_revenue_final"] = _cents(budget + budget * change // 1000)
    for name in _BOOLEANS:
        if rng.random() < 0.2:
            f[name] = not f[name]
    for name in _COUNTS:
        roll = rng.random()
        if roll < 0.15:
            f.pop(name, None)  # the default, 0
        elif roll < 0.3:
            f[name] = Decimal(rng.choice((1, 1, 2, 3, 5, 8, 13)))
    if rng.random() < 0.3:
        f["asset_monthly_reports_late"] = Decimal(rng.randint(0, 12))
    for prefix in ("budget", "final"):
        if rng.random() < 0.4:
            approved = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
            delay = rng.choice((rng.randint(0, 20), rng.randint(0, 20), 20, 21, rng.randint(21, 60),
                                rng.randint(-10, -1)))  # fmt: skip
            f[f"{prefix}_approved_on"] = approved.isoformat()
            f[f"{prefix}_published_on"] = (approved + dt.timedelta(days=delay)).isoformat()
    if rng.random() < 0.4:
        f["fixed_asset_use_rate"] = rng.choice((Decimal(100), _rate(rng), _rate(rng, 70)))
    sangong = rng.random()
    if sangong < 0.3:
        f.pop("public_funds_evidence_is_sangong", None)
    elif sangong < 0.6:
        f["public_funds_evidence_is_sangong"] = rng.random() < 0.5
    for planned, done in (
        ("key_tasks_planned", "key_tasks_done"),
        ("perf_goals_set", "perf_goals_met"),
    ):
        if rng.random() < 0.5:
            n = rng.randint(1, 20)
            f[planned] = Decimal(n)
            f[done] = Decimal(rng.choice((n, n, rng.randint(0, n), n + rng.randint(1, 2))))
    if rng.random() < 0.5:
        received = rng.choice((0, 0, rng.randint(1, 40), rng.randint(1, 5)))
        closed = rng.choice((received, received, rng.randint(0, received), received + 1))
        f["petitions_received"], f["petitions_closed"] = Decimal(received), Decimal(closed)
    if rng.random() < 0.6:
        level = rng.choice(("achieved", "achieved", "partial", "not_achieved"))
        f["benefit_level"] = level
        f.pop("benefit_score", None)
        if level == "achieved" and rng.random() < 0.5:
            f["benefit_score"] = _cents(rng.randint(800, 1000))
        elif level == "partial":
            f["benefit_score"] = _cents(rng.randint(600, 799))
        elif level == "not_achieved":
            f["benefit_score"] = _cents(rng.randint(0, 599))
    if rng.random() < 0.5:
        f["surveys"] = [_survey(rng, i) for i in range(rng.randint(1, 6))]
        if rng.random() < 0.1:
            f["surveys"] = [{"name": "单一调查", "respondents": Decimal(50), "rate": Decimal(90)}]
    if rng.random() < 0.5:
        sessions = Decimal(rng.randint(0, 12))
        f["outreach_sessions_key_tasks"] = sessions
        f["outreach_sessions_training"] = (
            sessions if rng.random() < 0.6 else Decimal(rng.randint(0, 12))
        )
    if rng.random() < 0.5:
        f["honours"] = _records(rng, rng.choice((0, 2, 8, 10, rng.randint(0, 16))), "荣誉")
    penalties = rng.random()
    if penalties < 0.3:
        f.pop("penalties", None)
    elif penalties < 0.6:
        f["penalties"] = _records(rng, rng.choice((0, 1, 3, rng.randint(0, 20))), "通报")
    return f


def _disaster(rng: random.Random, base: Mapping[str, object]) -> dict[str, object]:
    """Everything wrong: every indicator at or near 0, the bonus at -5, the total floored at 0."""
    f: dict[str, Any] = dict(base)
    f.update(
        spend_rate_stated=_rate(rng, 0, 30),
        carryover_rate_stated=_rate(rng, 11, 100),
        fiscal_revenue_final=f["fiscal_revenue_budget"] * Decimal("1.25"),
        public_final=f["public_full"] * Decimal("1.10"),
        fixed_asset_use_rate=_rate(rng, 0, 20),
        key_tasks_done=_ZERO,
        perf_goals_met=_ZERO,
        petitions_received=Decimal(9),
        petitions_closed=_ZERO,
        benefit_level="not_achieved",
        benefit_score=_cents(rng.randint(0, 40)),
        surveys=[{"name": "调查", "respondents": Decimal(10), "rate": _rate(rng, 0, 10)}],
        honours=[],
        penalties=_records(rng, rng.randint(6, 30), "通报"),
        budget_published_on="2022-04-30",
        final_published_on="2022-12-30",
        asset_monthly_reports_late=Decimal(12),
    )
    for name in _BOOLEANS:
        f[name] = name in ("budget_items_cut", "large_in_year_adjustment",
                           "goal_justification_insufficient", "target_basis_insufficient",
                           "idle_funds_unresolved", "procurement_over_plan")  # fmt: skip
    for name in _COUNTS:
        f[name] = Decimal(rng.randint(3, 15))
    return f


def build_corpus(n: int, seed: int = 20221231) -> list[tuple[str, dict[str, object]]]:
    """`n` fact sets: the filed report, its consistent variant, then seeded variations."""
    filed = _decimals(load_facts(SEED_PATH).facts)
    consistent = _decimals(load_facts(CONSISTENT_PATH).facts)
    assert isinstance(filed, dict)
    assert isinstance(consistent, dict)
    corpus: list[tuple[str, dict[str, object]]] = [
        ("filed report", filed),
        ("consistent", consistent),
    ]
    rng = random.Random(seed)  # noqa: S311 (a reproducible corpus, not a secret)
    i = len(corpus)
    while len(corpus) < n:
        if i % 25 == 24:
            corpus.append((f"#{i} disaster", _disaster(rng, filed)))
        else:
            corpus.append((f"#{i} variation", _vary(rng, rng.choice((filed, consistent)))))
        i += 1
    return corpus[:n]


# =============================================================================================
# zen-engine: the rubric lowered to one whole-rubric expression
# =============================================================================================


# The same rules as lean_score, as one ZEN expression: an object of the indicator scores,
# mapped once more to add the totals, the grade and the checks (ZEN has no local names, so the
# second step reads the scores through `#`). zen-engine reads and returns floats; the facts'
# defaults are filled in by `zen_facts`, which also turns Decimals into floats.
def _zfloor(x: str) -> str:
    return f"floor(({x}) * 2) / 2"


def _zclamp(x: str, top: int) -> str:
    return f"min([max([{x}, 0]), {top}])"


def _zfin(x: str, top: int) -> str:
    return _zclamp(_zfloor(_zclamp(x, top)), top)


_ZEN_SCORES = {
    "budget_reasonableness": _zfin("5 - (budget_items_cut ? 0.5 : 0) - (large_in_year_adjustment"
                                   " ? 0.5 : 0) - 0.5 * compilation_problems", 5),
    "revenue_variance": _zfin("5 - abs(fiscal_revenue_final - fiscal_revenue_budget)"
                              " / fiscal_revenue_budget * 100 * 0.5", 5),
    "goal_reasonableness": _zfin("5 - (goal_justification_insufficient ? 0.5 : 0)"
                                 " - 0.5 * goal_problems", 5),
    "indicator_clarity": _zfin("6 - (target_basis_insufficient ? 0.5 : 0)"
                               " - 0.5 * indicator_problems", 6),
    "spend_rate": _zfin("6 - max([100 - spend_rate_stated, 0]) * 0.1", 6),
    "carryover_rate": "carryover_rate_stated <= 5 ? 3 : (carryover_rate_stated <= 10 ? 1.5 : 0)",
    "idle_funds": "idle_funds_unresolved ? 0 : 3",
    "procurement_rate": "procurement_over_plan ? 0 : 3",
    "financial_compliance": _zfin("6 - fin_rule_violations - fin_approval_gaps"
                                  " - fin_unassessed_projects - fin_off_purpose - fin_diversions",
                                  6),
    "budget_disclosure": _zfin(
        "4 - (d(budget_published_on).diff(d(budget_approved_on), 'day') > 20 ? 2 : 0)"
        " - (d(final_published_on).diff(d(final_approved_on), 'day') > 20 ? 2 : 0)"
        " - disclosure_content_problems", 4),
    "perf_disclosure": _zfin("2 - (perf_goals_published_on_time ? 0 : 1)"
                             " - (self_eval_published_on_time ? 0 : 1)", 2),
    "project_procedure": _zfin("2 - project_procedure_violations", 2),
    "project_supervision": _zfin("3 - supervision_gaps", 3),
    "asset_report_timeliness": _zfin("2 - (asset_annual_report_on_time ? 0 : 1)"
                                     " - 0.5 * asset_monthly_reports_late", 2),
    "asset_data_quality": _zfin("3 - asset_data_problems", 3),
    "ledger_reconciliation": "asset_ledger_matches_books ? 3 : 0",
    "asset_compliance": _zfin("3 - (asset_rules_in_place ? 0 : 1) - asset_management_problems",
                              3),
    "fixed_asset_utilization": _zfin("2 * fixed_asset_use_rate / 100", 2),
    "public_funds_control": _zfin("4 - max([public_final / public_full * 100 - 100, 0])", 4),
    "key_task_completion": _zfin("5 * key_tasks_done / key_tasks_planned", 5),
    "perf_goal_completion": _zfin("5 * perf_goals_met / perf_goals_set", 5),
    "project_timeliness": _zfin("3 - projects_delayed", 3),
    "social_benefit": _zfin("benefit_score == null ? 10 : benefit_score", 10),
    "petition_handling": _zfin("petitions_received == 0 ? 3"
                               " : 3 * petitions_closed / petitions_received", 3),
    "satisfaction": _zfin("4 * min([sum(map(surveys, #.rate * #.respondents))"
                          " / sum(map(surveys, #.respondents)), 90]) / 90", 4),
    "performance_adjustment": "min([max([len(honours) - len(penalties), -5]), 10])",
}  # fmt: skip
_ZEN_BASE = " + ".join(f"#.{k}" for k in _ZEN_SCORES if k != "performance_adjustment")
_ZEN_TOTAL = f"max([{_ZEN_BASE} + #.performance_adjustment, 0])"
_ZEN_CHECKS = [
    "abs(spend_rate_stated - floor(total_final / total_full * 10000) / 100) > 0.01",
    "abs(carryover_rate_stated - floor(max([total_full - total_final, 0]) / total_full * 10000)"
    " / 100) > 0.01",
    "outreach_sessions_key_tasks != outreach_sessions_training",
    "public_funds_evidence_is_sangong",
    *(f"abs(personnel_{c} + public_{c} - basic_{c}) > 0.01" for c in ("initial", "full", "final")),
    *(f"abs(basic_{c} + project_{c} - total_{c}) > 0.01" for c in ("initial", "full", "final")),
    "d(budget_published_on).diff(d(budget_approved_on), 'day') < 0"
    " or d(final_published_on).diff(d(final_approved_on), 'day') < 0",
    "key_tasks_done > key_tasks_planned or perf_goals_met > perf_goals_set"
    " or petitions_closed > petitions_received",
]
ZEN_CHECK_IDS = (
    "spend_rate_mismatch", "carryover_rate_mismatch", "outreach_sessions_mismatch",
    "public_funds_evidence_sangong", "basic_sum_initial", "basic_sum_full", "basic_sum_final",
    "total_sum_initial", "total_sum_full", "total_sum_final", "disclosure_date_order",
    "completion_counts",
)  # fmt: skip
ZEN_EXPRESSION = (
    "map([{" + ", ".join(f"{k}: {v}" for k, v in _ZEN_SCORES.items()) + "}], {"
    f"scores: #, base_total: {_ZEN_BASE}, bonus_total: #.performance_adjustment, "
    f"total: {_ZEN_TOTAL}, "
    f'grade: {_ZEN_TOTAL} >= 90 ? "优" : ({_ZEN_TOTAL} >= 80 ? "良" : '
    f'({_ZEN_TOTAL} >= 60 ? "中" : "差")), '
    "checks: [" + ", ".join(_ZEN_CHECKS) + "]})[0]"
)
_ZEN_DEFAULTS: dict[str, object] = {
    **dict.fromkeys(_COUNTS, 0.0),
    "asset_monthly_reports_late": 0.0,
    "benefit_score": None,
    "penalties": [],
    "public_funds_evidence_is_sangong": False,
}


def _floats(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def zen_facts(facts: Facts) -> dict[str, object]:
    """A fact set as zen-engine reads it: floats, ISO dates, every default filled in."""
    out = dict(_ZEN_DEFAULTS)
    for key, value in facts.items():
        out[key] = _floats(value)
    return out


def zen_scorer() -> Callable[[Mapping[str, object]], Any] | None:
    """The compiled whole-rubric expression's evaluate, or None without zen-engine."""
    try:
        import zen  # type: ignore[import-not-found]
    except ImportError:
        return None
    evaluate: Callable[[Mapping[str, object]], Any] = zen.compile_expression(
        ZEN_EXPRESSION
    ).evaluate
    return evaluate


def zen_agreement(
    evaluate: Callable[[Mapping[str, object]], Any], corpus: Sequence[tuple[str, Facts]]
) -> list[str]:
    """Every disagreement beyond 1e-9 between zen-engine and lean_score, as text."""
    problems: list[str] = []
    for label, facts in corpus:
        want = lean_score(facts)
        got = evaluate(zen_facts(facts))
        values = {**got["scores"], **{k: got[k] for k in ("base_total", "bonus_total", "total")}}
        for key, value in values.items():
            if abs(float(want[key]) - value) > 1e-9:  # type: ignore[arg-type]
                problems.append(f"{label}: {key}: zen {value}, lean {want[key]}")
        checks = tuple(c for c, fired in zip(ZEN_CHECK_IDS, got["checks"], strict=True) if fired)
        for key, value in (("grade", got["grade"]), ("checks", checks)):
            if value != want[key]:
                problems.append(f"{label}: {key}: zen {value}, lean {want[key]}")
    return problems


# =============================================================================================
# Agreement
# =============================================================================================


def check_agreement(
    rubric: Rubric,
    corpus: Sequence[tuple[str, Facts]],
    scorer: Callable[[Facts], HandResult] = hand_score,
) -> list[str]:
    """Every disagreement between `scorer` and evaluate (trace on and off), as text."""
    problems: list[str] = []
    ids = rubric.indicator_ids
    for name, facts in corpus:
        try:
            hand = scorer(facts)
        except (ArithmeticError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"{name}: hand_score failed: {type(exc).__name__}: {exc}")
            continue
        missing = set(ids) - set(hand)
        if missing:
            problems.append(f"{name}: hand_score gives no score for {sorted(missing)}")
        for trace in (True, False):
            label = f"{name} (trace {'on' if trace else 'off'})"
            try:
                card = rubric.evaluate(facts, trace=trace)
            except PerfscoreError as exc:
                problems.append(f"{label}: evaluate failed (invalid fact set?): {exc}")
                continue
            for ind in card.indicators:
                if ind.id in hand and ind.score != hand[ind.id]:
                    problems.append(f"{label}: {ind.id}: engine {ind.score}, hand {hand[ind.id]}")
            engine: dict[str, object] = {
                "base_total": card.base_total,
                "bonus_total": card.bonus_total,
                "total": card.total,
                "grade": card.grade,
                "checks": tuple(w.check for w in card.warnings),
            }
            for key, value in engine.items():
                if value != hand[key]:
                    problems.append(f"{label}: {key}: engine {value}, hand {hand[key]}")
    return problems


def coverage(rubric: Rubric, corpus: Sequence[tuple[str, Facts]]) -> tuple[str, list[str]]:
    """What the corpus exercises: rules fired per indicator, checks, grades."""
    fired: Counter[tuple[str, str]] = Counter()
    checks: Counter[str] = Counter()
    grades: Counter[str] = Counter()
    for _, facts in corpus:
        card = rubric.evaluate(facts, trace=True)
        grades[card.grade] += 1
        checks.update(w.check for w in card.warnings)
        for ind in card.indicators:
            for step in ind.trace.steps if ind.trace else ():
                if step.rule:
                    fired[(ind.id, step.rule)] += 1
    declared = [(ind, rule) for ind, rules in rubric.plan.rules().items() for rule in rules]
    never = [f"{i}:{r}" for i, r in declared if (i, r) not in fired]
    summary = (
        f"{len({k for k in fired if k in set(declared)})} of {len(declared)} declared rules fired"
        f" (+ clamp on {len({i for i, r in fired if r == 'clamp'})} and round on "
        f"{len({i for i, r in fired if r == 'round'})} indicators); "
        f"{len(checks)} of {len(rubric.plan.check_ids())} checks fired; grades "
        + ", ".join(f"{g} {grades[g]}" for g in ("优", "良", "中", "差"))
    )
    return summary, never


# =============================================================================================
# Timing
# =============================================================================================


def load_times(count: int) -> list[float]:
    """`load_rubric` from the file, `count` times, each a fresh read, parse, check and compile."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        load_rubric(RUBRIC_PATH)
        times.append((time.perf_counter() - start) * 1000)
    return times


def throughput(fn: Callable[[Any], object], corpus: Sequence[Any], seconds: float) -> float:
    """Fact sets per second for one round of about `seconds`, cycling through the corpus."""
    gc.collect()
    done = 0
    size = len(corpus)
    clock = time.perf_counter
    start = clock()
    deadline = start + seconds
    while True:
        fn(corpus[done % size])
        done += 1
        now = clock()
        if now >= deadline:
            return done / (now - start)


def contenders(rubric: Rubric) -> dict[str, Callable[[Facts], object]]:
    """What is timed, by the name the report gives it; the first one is the yardstick.

    The zen-engine rows take the facts already converted by `zen_facts` (see `measure`); the
    row "incl. conversion" converts each fact set first.
    """
    evaluate = rubric.evaluate
    found: dict[str, Callable[[Facts], object]] = {
        YARDSTICK: lean_score,
        "the benchmark's earlier hand_score": hand_score,
    }
    zen_evaluate = zen_scorer()
    if zen_evaluate is not None:
        found[ZEN] = zen_evaluate
        found[ZEN_CONVERTED] = lambda facts: zen_evaluate(zen_facts(facts))
    found[TRACE_OFF] = lambda facts: evaluate(facts, trace=False)
    found[TRACE_ON] = lambda facts: evaluate(facts, trace=True)
    found[TO_JSON] = lambda facts: evaluate(facts, trace=True).to_json()
    return found


YARDSTICK = "a lean hand-written Decimal scorer (lean_score)"
ZEN = "zen-engine, one whole-rubric expression (floats)"
ZEN_CONVERTED = "zen-engine incl. Decimal->float conversion"
TRACE_OFF = "evaluate(trace=False)"
TRACE_ON = "evaluate(trace=True)"
TO_JSON = "evaluate(trace=True) + to_json()"


def measure(
    rubric: Rubric, corpus: Sequence[Facts], seconds: float, rounds: int
) -> dict[str, list[float]]:
    """Rates of each contender; rounds are interleaved so background load hits them alike."""
    fns = contenders(rubric)
    zen_corpus = [zen_facts(facts) for facts in corpus]
    inputs = {name: zen_corpus if name == ZEN else corpus for name in fns}
    for name, fn in fns.items():  # warm up
        for facts in inputs[name][:20]:
            fn(facts)
    rates: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            rates[name].append(throughput(fn, inputs[name], seconds / rounds))
    return rates


def peak_kib(rubric: Rubric, facts: Facts, *, trace: bool) -> float:
    """tracemalloc peak of one evaluate (after a warm-up), in KiB."""
    rubric.evaluate(facts, trace=trace)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        rubric.evaluate(facts, trace=trace)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024


# =============================================================================================
# Profile
# =============================================================================================


def _raw(stats: pstats.Stats) -> dict[Any, Any]:
    """pstats' table: (file, line, function) -> (calls, primitive, own, cumulative, callers)."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    return table


def _find(stats: pstats.Stats, module: str, func: str) -> list[tuple[str, int, str]]:
    suffix = os.sep + os.path.join("perfscore", module)
    return [k for k in _raw(stats) if k[0].endswith(suffix) and k[2] == func]


def _cumulative(stats: pstats.Stats, module: str, func: str) -> float:
    return float(sum(_raw(stats)[k][3] for k in _find(stats, module, func)))


def stage_times(
    rubric: Rubric, corpus: Sequence[Facts], seconds: float, rounds: int
) -> dict[str, float]:
    """µs per fact set of evaluate's stages, timed directly (no profiler), best of `rounds`.

    The stages are called through private seams (`Rubric.plan`, `_scorecard.sha256_of`); the
    scorecard is what evaluate costs beyond validation, the plan's run and the facts hash.
    """
    values = [rubric.plan.validate(facts) for facts in corpus]
    cards = [rubric.evaluate(facts, trace=True) for facts in corpus]
    indices = list(range(len(corpus)))
    plan = rubric.plan
    stages: dict[str, Callable[[int], object]] = {
        "evaluate, trace on": lambda i: rubric.evaluate(corpus[i], trace=True),
        "evaluate, trace off": lambda i: rubric.evaluate(corpus[i], trace=False),
        "facts validation (Plan.validate)": lambda i: plan.validate(corpus[i]),
        "facts validation, happy path (Plan.validate_fast)": lambda i: plan.validate_fast(
            corpus[i]
        ),
        "Plan.run, trace on": lambda i: run_plan(plan, values[i], trace=True, plain=True),
        "Plan.run, trace off": lambda i: run_plan(plan, values[i], trace=False, plain=True),
        "facts hash (sha256_of the validated facts)": lambda i: sha256_of(values[i]),
        "to_json() of a scorecard, trace on": lambda i: cards[i].to_json(),
    }
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, fn in stages.items():
            rate = throughput(fn, indices, seconds / rounds / len(stages))
            best[name] = max(best.get(name, 0.0), rate)
    return {name: 1e6 / rate for name, rate in best.items()}


def profile(
    rubric: Rubric, corpus: Sequence[Facts], *, trace: bool, passes: int
) -> tuple[dict[str, float], pstats.Stats]:
    """Seconds per evaluate spent in each part, measured under cProfile, and the raw stats."""
    for facts in corpus[:20]:
        rubric.evaluate(facts, trace=trace)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(passes):
        for facts in corpus:
            rubric.evaluate(facts, trace=trace)
    profiler.disable()
    stats = pstats.Stats(profiler)
    calls = passes * len(corpus)
    total = _cumulative(stats, "_rubric.py", "evaluate")
    validation = _cumulative(stats, "_rubric.py", "_checked")  # what evaluate validates with
    run = _cumulative(stats, os.path.join("_engine", "_run.py"), "run")
    formulas = _cumulative(stats, os.path.join("_lang", "_expr.py"), "run")
    card = _cumulative(stats, "_rubric.py", "_scorecard")
    digest = _cumulative(stats, os.path.join("_output", "_scorecard.py"), "sha256_of")
    # trace and message text, put into words when the scorecard is assembled
    words = os.path.join("_output", "_words.py")
    text = _cumulative(stats, words, "step_text") + _cumulative(stats, words, "notice_text")
    parts = {
        "facts validation (Rubric._checked)": validation,
        "expression evaluator (Formula.run: derived, scorers, checks)": formulas,
        "trace and message text (step_text, notice_text)": text,
        "rest of the run (methods, events, clamp/round, groups)": run - formulas,
        "facts hash (sha256_of the validated facts)": digest,
        "scorecard construction (Rubric._scorecard, without hash and text)": card - digest - text,
        "rest of evaluate": total - validation - run - card,
    }
    parts["evaluate, total"] = total
    return {name: value / calls for name, value in parts.items()}, stats


def _short(key: tuple[str, int, str]) -> str:
    file, line, func = key
    if file == "~":  # a builtin: func is "<built-in method ...>"
        return func
    parts = Path(file).parts
    where = "/".join(parts[parts.index("perfscore") :]) if "perfscore" in parts else parts[-1]
    return f"{where}:{line}({func})"


def print_profile(rubric: Rubric, corpus: Sequence[Facts], seconds: float, rounds: int) -> None:
    stages = stage_times(rubric, corpus, seconds * 2, rounds)
    print(f"stages, timed directly (best of {rounds} rounds; µs per fact set):")
    for name, micros in stages.items():
        print(f"  {name:<50} {micros:8.1f} µs")
    for trace in ("on", "off"):
        rest = (
            stages[f"evaluate, trace {trace}"]
            - stages["facts validation, happy path (Plan.validate_fast)"]
            - stages[f"Plan.run, trace {trace}"]
            - stages["facts hash (sha256_of the validated facts)"]
        )
        print(
            f"  {'scorecard and the rest, trace ' + trace + ' (by difference)':<50} {rest:8.1f} µs"
        )

    passes = max(1, round(seconds))
    on, stats_on = profile(rubric, corpus, trace=True, passes=passes)
    off, _ = profile(rubric, corpus, trace=False, passes=passes)
    print(f"\ncProfile, {passes} pass(es) of {len(corpus)} fact sets per column: µs per evaluate")
    print("under the profiler (which inflates call-heavy code) and share of evaluate's total")
    width = max(map(len, on))
    print(f"  {'part':<{width}}  {'trace on':>16}  {'trace off':>16}")
    for name in on:
        cells = [
            f"{col[name] * 1e6:8.0f} µs {col[name] / col['evaluate, total'] * 100:4.0f}%"
            for col in (on, off)
        ]
        print(f"  {name:<{width}}  {cells[0]:>16}  {cells[1]:>16}")

    table = _raw(stats_on)
    total = on["evaluate, total"] * passes * len(corpus)
    calls = passes * len(corpus)
    print("\ntop functions by own time, trace on (share of evaluate; calls per evaluate):")
    for key in sorted(table, key=lambda k: table[k][2], reverse=True)[:15]:
        own, count = table[key][2], table[key][1]
        print(f"  {own / total * 100:5.1f}%  {count / calls:7.1f}  {_short(key)}")


# =============================================================================================
# Main
# =============================================================================================


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per contender (3)")
    parser.add_argument("--facts", type=int, default=200, help="fact sets in the corpus (200)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per contender, best kept (5)")
    parser.add_argument("--loads", type=int, default=20, help="rubric loads to time (20)")
    parser.add_argument("--seed", type=int, default=20221231, help="corpus random seed")
    parser.add_argument(
        "--profile", action="store_true", help="print only where evaluate spends its time"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short run (under a minute): 2 s per contender in 5 rounds, no stage profile",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the ratios as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.loads = 2.0, 5, 5
    if args.facts < 2 or args.seconds <= 0 or args.rounds < 1 or args.loads < 1:
        parser.error("--facts must be >= 2, --seconds > 0, --rounds and --loads >= 1")

    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"perfscore {perfscore.__version__}, Python {platform.python_version()} "
          f"({platform.python_implementation()}), {platform.platform()}")  # fmt: skip
    print(f"CPUs: {cpus} (usable by this process: {usable}); machine: {platform.machine()}; "
          f"load average (1 min) at start: {load:.2f}")  # fmt: skip
    print(f"rubric: {RUBRIC_PATH.relative_to(ROOT)}")

    rubric = load_rubric(RUBRIC_PATH)
    corpus = build_corpus(args.facts, args.seed)
    facts_only = [facts for _, facts in corpus]

    problems = check_agreement(rubric, corpus, lean_score) + check_agreement(rubric, corpus)
    zen_evaluate = zen_scorer()
    if zen_evaluate is not None:
        problems += zen_agreement(zen_evaluate, corpus)
    agree = not problems
    if problems:
        print(f"\nDISAGREEMENT: the scorers differ ({len(problems)} findings):")
        for line in problems[:50]:
            print(f"  {line}")
        if len(problems) > 50:
            print(f"  ... and {len(problems) - 50} more")
        if args.json:
            args.json.write_text(json.dumps({"agree": False, "problems": problems[:50]}) + "\n")
        return 1
    summary, never = coverage(rubric, corpus)
    zen_note = "zen-engine (within 1e-9)" if zen_evaluate else "(zen-engine not installed)"
    print(f"corpus: {len(corpus)} fact sets (seed {args.seed}); lean_score, hand_score, evaluate "
          f"(trace on and off) and {zen_note} agree on every indicator, base, bonus, total, "
          "grade and check")  # fmt: skip
    print(f"  {summary}")
    if never:
        print(f"  declared rules never fired: {', '.join(never)}")

    if args.profile:
        print()
        print_profile(rubric, facts_only, args.seconds, args.rounds)
        return 0

    loads = load_times(args.loads)
    load_ms = statistics.median(loads)
    print(f"\nload_rubric (file, fresh parse each time, {args.loads} loads): "
          f"median {load_ms:.1f} ms, best {min(loads):.1f} ms")  # fmt: skip

    rates = measure(rubric, facts_only, args.seconds, args.rounds)
    best = {name: max(values) for name, values in rates.items()}

    def ratio(name: str) -> float | None:
        """The median over rounds of (its time / the yardstick's time) in the same round:
        rounds are interleaved, so a round's two numbers saw the same background load."""
        if name not in rates:
            return None
        per_round = [y / r for y, r in zip(rates[YARDSTICK], rates[name], strict=True)]
        return round(statistics.median(per_round), 3)

    print(f"\nµs per fact set (best of {args.rounds} interleaved rounds of "
          f"{args.seconds / args.rounds:.2f} s each) and times the yardstick (the median over "
          "rounds of the ratio within a round):\n")  # fmt: skip
    print("| approach | µs per fact set | × the lean scorer | rounds (fact sets/s) |")
    print("|---|---:|---:|---|")
    for name, values in rates.items():
        spread = ", ".join(f"{v:,.0f}" for v in values)
        print(f"| {name} | {1e6 / best[name]:,.1f} | {ratio(name) or 0:.1f} | {spread} |")

    report = {
        "ratio_trace_off": ratio(TRACE_OFF),
        "ratio_trace_on": ratio(TRACE_ON),
        "ratio_to_json": ratio(TO_JSON),
        "ratio_zen": ratio(ZEN),
        "ratio_zen_with_conversion": ratio(ZEN_CONVERTED),
        "agree": agree,
        "load_rubric_ms": round(load_ms, 2),
        "us_per_fact_set": {name: round(1e6 / rate, 2) for name, rate in best.items()},
        "facts": len(corpus),
        "load_average": round(load, 2),
    }
    off, zen_ratio = report["ratio_trace_off"], report["ratio_zen"]
    print("\ntargets (docs/performance.md):")
    rows = [
        ("load_rubric <= 50 ms", f"{load_ms:.1f} ms", load_ms <= LOAD_TARGET_MS),
        ("evaluate(trace=False) <= 3x the yardstick", f"{ratio(TRACE_OFF)}x",
         ratio(TRACE_OFF) is not None and ratio(TRACE_OFF) <= TARGET_OFF),  # type: ignore[operator]
        ("evaluate(trace=True) <= 5x", f"{ratio(TRACE_ON)}x",
         ratio(TRACE_ON) is not None and ratio(TRACE_ON) <= TARGET_ON),  # type: ignore[operator]
        ("evaluate(trace=True) + to_json() <= 10x", f"{ratio(TO_JSON)}x",
         ratio(TO_JSON) is not None and ratio(TO_JSON) <= TARGET_JSON),  # type: ignore[operator]
        ("trace off faster than zen-engine", f"{off}x vs {zen_ratio}x",
         isinstance(off, float) and isinstance(zen_ratio, float) and off < zen_ratio),
    ]  # fmt: skip
    for label, value, ok in rows:
        print(f"  {label:<46} {value:>16}  {_verdict(ok)}")
    if not args.quick:
        memory = peak_kib(rubric, facts_only[0], trace=True)
        print(f"\nmemory: tracemalloc peak of one evaluate(trace=True) of the filed report: "
              f"{memory:.0f} KiB\n")  # fmt: skip
        print_profile(rubric, facts_only, args.seconds, args.rounds)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
