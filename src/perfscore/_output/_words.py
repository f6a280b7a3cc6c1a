"""Every word perfscore writes in the rubric's language (``zh`` or ``en``), in one place.

Each table holds one dict per language with the same keys in every language (a test keeps
them in step): the report labels, the facts template's words, the punctuation that joins
parts of a sentence, and the phrases of traces and reviews. Adding a language is one dict in
each table. `reason` lives here too: it is how a trace is put into words, and both the review
and the renderers need it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Protocol

from perfscore._methods._base import Named, Template
from perfscore._numbers import format_decimal
from perfscore._values import Records

__all__ = [
    "DEFAULT_LANGUAGE",
    "LABELS",
    "MARKS",
    "REPORT",
    "REVIEW",
    "SUMMARY",
    "TABLES",
    "TEMPLATE",
    "WORKBOOK",
    "in_language",
    "measure_words",
    "notice_text",
    "phrase",
    "reason",
    "review_phrase",
    "show",
    "step_text",
]

#: The language of a rubric that names none, and of any table that lacks a language.
DEFAULT_LANGUAGE = "zh"

#: Punctuation between the parts of a sentence; in Chinese it is full-width and unspaced.
MARKS: dict[str, dict[str, str]] = {
    "zh": {
        "list": "、",  # between items of a list: 甲、乙
        "comma": "，",  # between clauses
        "part": "；",  # between parts that each say something
        "or": "或",  # before the last of several alternatives
        "open": "（",  # around an aside: 满意度（satisfaction）
        "close": "）",
    },
    "en": {
        "list": ", ",
        "comma": ", ",
        "part": "; ",
        "or": " or ",
        "open": " (",
        "close": ")",
    },
}

#: The headings and labels of the text and Markdown reports.
LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "subject": "被评价单位",
        "period": "年度",
        "total": "总分",
        "base": "基础分",
        "bonus": "加减分",
        "grade": "等级",
        "discrepancies": "自评得分与规则不符",
        "warnings": "数据一致性警告",
        "review": "自评合计复核",
        "breakdown": "得分明细",
        "group": "一级指标",
        "group2": "二级指标",
        "indicator": "指标",
        "max": "分值",
        "score": "得分",
        "claimed": "自评",
        "reason": "扣分原因/依据",
        "claimed_short": "自评",
        "computed": "计算",
        "difference": "差",
        "none": "无",
        "rubric": "评分规则",
        "na": "不涉及",
        "higher": "自评高出 {} 分",
        "lower": "自评低 {} 分",
        "unclaimed": "未填报",
        "caution": "［{} 处自评不符，{} 条警告，见下］",
        "severity_info": "（提示）",
        "severity_error": "（错误）",
    },
    "en": {
        "subject": "Subject",
        "period": "Period",
        "total": "Total",
        "base": "base",
        "bonus": "bonus",
        "grade": "Grade",
        "discrepancies": "Claimed scores that differ from the rules",
        "warnings": "Consistency warnings",
        "review": "Review of the claimed total",
        "breakdown": "Breakdown",
        "group": "Group",
        "group2": "Subgroup",
        "indicator": "Indicator",
        "max": "Max",
        "score": "Score",
        "claimed": "Claimed",
        "reason": "Reason",
        "claimed_short": "claimed",
        "computed": "computed",
        "difference": "difference",
        "none": "none",
        "rubric": "Rubric",
        "na": "not applicable",
        "higher": "claimed {} more",
        "lower": "claimed {} less",
        "unclaimed": "none",
        "caution": "[{} discrepancies, {} warnings below]",
        "severity_info": "(note) ",
        "severity_error": "(error) ",
    },
}

#: The columns and closing line of the summary of a batch (`perfscore score PATH...`).
SUMMARY: dict[str, dict[str, str]] = {
    "zh": {
        "input": "文件",
        "subject": "单位",
        "period": "年度",
        "total": "总分",
        "grade": "等级",
        "claimed_total": "自评总分",
        "discrepancies": "不符",
        "warnings": "警告",
        "rank": "排名",
        "problem": "问题",
        "rubric": "评分规则",
        "counts": "共 {} 份：{} 份已评分，{} 份无法使用",
    },
    "en": {
        "input": "File",
        "subject": "Subject",
        "period": "Period",
        "total": "Total",
        "grade": "Grade",
        "claimed_total": "Claimed total",
        "discrepancies": "Discrepancies",
        "warnings": "Warnings",
        "rank": "Rank",
        "problem": "Problem",
        "rubric": "Rubric",
        "counts": "{} documents: {} scored, {} unusable",
    },
}

#: The comments of a facts document skeleton (labels come from the rubric itself).
TEMPLATE: dict[str, dict[str, str]] = {
    "zh": {
        "percent": "百分数（95.87 表示 95.87%）",
        "boolean": "true 或 false",
        "date": "日期 YYYY-MM-DD",
        "enum": "取值之一：",
        "records": "记录列表，最多 {} 条",
        "number": "数值",
        "integer": "整数",
        "text": "文本",
        "range": "{} 至 {}",
        "min": "最小 {}",
        "max": "最大 {}",
        "default": "可不填，默认 {}",
        "required": "必填",
        "optional": "可不填",
        "title": "# {}（{}）的事实数据",
        "fill": "# 请填写每个空值。注释掉的事实可不填，不填即取默认值。",
        "fill2": "# 填好后评分：perfscore score 文件名",
        "subject": "被评价单位",
        "period": "评价年度或期间，如 2022",
        "na": "本评分规则允许标注“不涉及”的指标",
        "na_none": "# not_applicable: 本评分规则没有可标注“不涉及”的指标",
        "full": "按满分计",
        "redistribute": "分值按比例分配给同组其他指标",
        "claimed": "报告的自评得分；perfscore score 会与规则计算结果比对",
    },
    "en": {
        "percent": "percent (95.87 means 95.87%)",
        "boolean": "true or false",
        "date": "date YYYY-MM-DD",
        "enum": "one of: ",
        "records": "list of records, at most {}",
        "number": "number",
        "integer": "integer",
        "text": "text",
        "range": "{} to {}",
        "min": "min {}",
        "max": "max {}",
        "default": "optional, default {}",
        "required": "required",
        "optional": "optional, may be left out",
        "title": "# Facts for {} ({}).",
        "fill": "# Fill in every empty value. Commented-out facts are optional: leave them out to "
        "use",
        "fill2": "# their default. Score the finished document with: perfscore score FILE",
        "subject": "the department or unit reported on",
        "period": "the year or period reported on, e.g. 2022",
        "na": "indicators this rubric lets a report mark 不涉及",
        "na_none": "# not_applicable: none of this rubric's indicators may be marked 不涉及",
        "full": "full marks",
        "redistribute": "its points go to the rest of its group",
        "claimed": "the scores the report claims; perfscore score compares them",
    },
}


#: The words of the HTML report and of the spreadsheet and Word scorecards (official layouts).
REPORT: dict[str, dict[str, str]] = {
    "zh": {
        "findings": "发现的问题",
        "no_findings": "未发现自评得分与规则不符、数据一致性警告或自评合计问题。",
        "chart": "各指标得分与分值",
        "chart_note": "灰色为分值，深色为核定得分，橙色细条为自评得分",
        "chart_label": "各指标核定得分、自评得分与分值对比图",
        "details": "各指标计分过程",
        "inputs": "读取的数据",
        "steps": "计分步骤",
        "no_trace": "本评分未记录计分过程（--no-trace）",
        "generated": "由 perfscore {} 生成；评分规则 {}@{}（sha256 {}）",
        "print_hint": "打印时各指标计分过程自动展开",
        "number": "序号",
        "level1": "一级指标",
        "level2": "二级指标",
        "level3": "三级指标",
        "indicators": "评价指标",
        "max": "分值",
        "criterion": "评分标准",
        "evidence": "实际值/依据",
        "claimed": "自评得分",
        "computed": "核定得分",
        "difference": "差异",
        "reason": "扣分原因",
        "subtotal": "小计",
        "bonus": "加减分",
        "total": "合计",
        "grade": "等级",
        "department_title": "部门整体支出绩效自评评分表",
        "project_title": "项目支出绩效自评表",
        "project_period": "（{}年度）",
        "project_name": "项目名称",
        "unit": "被评价单位",
        "period": "年度",
        "rubric": "评分规则",
        "perf": "绩效指标",
        "target": "年度指标值",
        "actual": "实际完成值",
        "score": "得分",
        "project_reason": "扣分原因（偏差原因分析）",
        "project_total": "总分",
        "project_grade": "自评等级（扩展行，非财预〔2020〕10号原表内容）",
        "project_supervisor": "主管部门",
        "project_unit": "实施单位",
        "funds": "项目资金（万元）",
        "fund_initial": "年初预算数",
        "fund_full": "全年预算数",
        "fund_spent": "全年执行数",
        "fund_rate": "执行率",
        "fund_total": "年度资金总额",
        "fund_fiscal": "其中：当年财政拨款",
        "fund_carryover": "上年结转资金",
        "fund_other": "其他资金",
        "goals": "年度总体目标",
        "goal_planned": "预期目标",
        "goal_actual": "实际完成情况",
        "records": "{} 条记录",
        "sheet_department": "评分表",
        "sheet_project": "自评表",
        "sheet_findings": "问题清单",
        "kind": "类别",
        "subject_of": "对象",
        "message": "说明",
        "kind_discrepancy": "自评不符",
        "kind_warning": "一致性警告",
        "kind_review": "合计复核",
        "grade_bands": "等级划分",
    },
    "en": {
        "findings": "Findings",
        "no_findings": "No claimed score differs from the rules, no check warns and the claims "
        "add up.",
        "chart": "Score against maximum per indicator",
        "chart_note": "grey: maximum; dark: computed score; thin orange: claimed score",
        "chart_label": "Computed and claimed score against the maximum of each indicator",
        "details": "How each indicator was scored",
        "inputs": "Values read",
        "steps": "Steps",
        "no_trace": "This scorecard was made without traces (--no-trace)",
        "generated": "Made by perfscore {}; rubric {}@{} (sha256 {})",
        "print_hint": "every indicator's trace is expanded when printed",
        "number": "No.",
        "level1": "Group",
        "level2": "Subgroup",
        "level3": "Indicator",
        "indicators": "Indicators",
        "max": "Max",
        "criterion": "Scoring rule",
        "evidence": "Values / evidence",
        "claimed": "Claimed",
        "computed": "Computed",
        "difference": "Difference",
        "reason": "Reason for deductions",
        "subtotal": "subtotal",
        "bonus": "Bonus",
        "total": "Total",
        "grade": "Grade",
        "department_title": "Department self-evaluation scoring sheet",
        "project_title": "Project expenditure self-evaluation sheet",
        "project_period": "(year {})",
        "project_name": "Project",
        "unit": "Subject",
        "period": "Period",
        "rubric": "Rubric",
        "perf": "Performance indicators",
        "target": "Annual target",
        "actual": "Actual",
        "score": "Score",
        "project_reason": "Reason for deductions (deviation analysis)",
        "project_total": "Total",
        "project_grade": "Grade (extension row, not in the official sheet)",
        "project_supervisor": "Supervising department",
        "project_unit": "Implementing unit",
        "funds": "Project funds (10k yuan)",
        "fund_initial": "Initial budget",
        "fund_full": "Full-year budget",
        "fund_spent": "Full-year spending",
        "fund_rate": "Execution rate",
        "fund_total": "Total funds of the year",
        "fund_fiscal": "of which: this year's appropriation",
        "fund_carryover": "carried over from last year",
        "fund_other": "other funds",
        "goals": "Overall goals of the year",
        "goal_planned": "Expected goals",
        "goal_actual": "Actual completion",
        "records": "{} records",
        "sheet_department": "Scoring sheet",
        "sheet_project": "Self-evaluation",
        "sheet_findings": "Findings",
        "kind": "Kind",
        "subject_of": "About",
        "message": "Message",
        "kind_discrepancy": "claimed score differs",
        "kind_warning": "consistency warning",
        "kind_review": "review of the total",
        "grade_bands": "Grades",
    },
}


#: The words of the fact-entry workbook (``perfscore template RUBRIC --format xlsx``).
WORKBOOK: dict[str, dict[str, str]] = {
    "zh": {
        "facts_sheet": "事实",
        "claims_sheet": "自评得分",
        "title": "{}（{}）事实填报表",
        "rubric": "评分规则",
        "subject": "被评价单位",
        "period": "评价年度",
        "help": "在黄色单元格中填写，其余单元格已锁定。数值直接填数字，不带单位和千分位；"
        "百分数按百分数填写：95.87 表示 95.87%；是/否与可选值从下拉列表选择；日期按日期填写，"
        "如 2022-01-30。列表类事实在各自的工作表中逐行填写。"
        "看不清或缺失的值不要填 0：留空并在“状态”列选“不详”；值已填但不确定选“存疑”并写明原因。"
        "填好后评分：perfscore score 文件名.xlsx",
        "fact": "事实",
        "unit": "单位",
        "value": "填写值",
        "kind": "类型与范围",
        "required_column": "是否必填",
        "note": "说明",
        "see_sheet": "见工作表“{}”",
        "list_help": "每行填写一条记录，整行留空即不计；最多 {} 条。",
        "indicator": "指标",
        "points": "分值",
        "claimed": "自评得分",
        "na": "不涉及",
        "total": "总分",
        "grade": "等级",
        "claims_help": "填写报告所列的自评得分（可不填）；"
        "perfscore 将其与按规则计算的得分逐项比对。"
        "“不涉及”列仅对允许标注不涉及的指标开放。",
        "records_claims": "列表中各行指标的自评得分填在其工作表的“{}”列。",
        "true": "是",
        "false": "否",
        "boolean": "是 或 否",
        "percent": "百分数：95.87 表示 95.87%",
        "error_title": "输入有误",
        "error_number": "请填写{}。",
        "error_list": "请从下拉列表中选择。",
        "error_date": "请填写日期，如 2022-01-30。",
        "error_text": "文本不超过 {} 个字符。",
        "state": "状态",
        "state_note": "不详/存疑说明",
        "state_field": "不详/存疑的字段",
        "known": "已知",
        "unknown": "不详",
        "doubtful": "存疑",
        "state_prompt": "值看不清或原表缺失选“不详”（填写值留空），"
        "值已填但不确定选“存疑”，并在右侧写明原因。",
        "state_list_prompt": "本行某一字段看不清或缺失：在此选该字段，状态选“不详”（该字段留空）"
        "或“存疑”（该字段照填），并写明原因。",
    },
    "en": {
        "facts_sheet": "Facts",
        "claims_sheet": "Claimed scores",
        "title": "Facts for {} ({})",
        "rubric": "Rubric",
        "subject": "Subject (department or unit)",
        "period": "Period",
        "help": "Fill in the yellow cells; the others are locked. Type numbers bare, without unit "
        "or thousands separators; percent facts in percent units: 95.87 means 95.87%; pick "
        "yes/no and listed values from the drop-down; type dates as dates, e.g. 2022-01-30. List "
        "facts have a sheet each, one record a row. Never type 0 for an illegible or missing "
        "value: leave it empty and pick unknown in Status; pick doubtful for a value given but "
        "uncertain, and say why. Score the filled file: perfscore score FILE.xlsx",
        "fact": "Fact",
        "unit": "Unit",
        "value": "Value",
        "kind": "Type and range",
        "required_column": "Required",
        "note": "Notes",
        "see_sheet": 'see sheet "{}"',
        "list_help": "One record a row; a row left empty is not counted; at most {} records.",
        "indicator": "Indicator",
        "points": "Points",
        "claimed": "Claimed score",
        "na": "Not applicable",
        "total": "Total",
        "grade": "Grade",
        "claims_help": "The scores the report claims (optional); perfscore compares each with "
        "the computed one. Not applicable is open only where the rubric allows it.",
        "records_claims": 'Claimed scores of the rows of a list go in its sheet\'s "{}" column.',
        "true": "yes",
        "false": "no",
        "boolean": "yes or no",
        "percent": "percent: 95.87 means 95.87%",
        "error_title": "Invalid entry",
        "error_number": "Enter {}.",
        "error_list": "Pick a value from the drop-down list.",
        "error_date": "Enter a date, e.g. 2022-01-30.",
        "error_text": "At most {} characters.",
        "state": "Status",
        "state_note": "Why unknown/doubtful",
        "state_field": "Unknown/doubtful field",
        "known": "known",
        "unknown": "unknown",
        "doubtful": "doubtful",
        "state_prompt": "Illegible or missing: pick unknown and leave the value empty; given but "
        "uncertain: pick doubtful. Say why in the next cell.",
        "state_list_prompt": "One field of this row illegible or missing: pick it here, then "
        "unknown (field left empty) or doubtful (field filled), and say why.",
    },
}


#: What the review of claimed scores says, keyed by the finding's or discrepancy's code.
REVIEW: dict[str, dict[str, str]] = {
    "zh": {
        "claimed-total-differs": "按规则计算的总分（含封顶/保底规则）",
        "claims-do-not-add-up": "自评总分 {claimed} 不等于各指标自评得分之和 {sum}",
        "implied-score": "报告未给出{name}（{id}）的自评得分；"
        "自评总分 {total} 推算其得分为 {value}",
        "implied-score-out-of-range": "报告未给出{name}（{id}）的自评得分；自评总分 {total} "
        "推算其得分为 {value}，超出其分值范围 [{min}, {max}]",
        "many-missing": "{count} 个指标没有自评得分，无法核对自评总分",
        "unclaimed-indicators": "{count} 个指标没有自评得分，且未给出自评总分：{names}",
        "claimed-grade-unknown": "自评等级“{claimed}”不是评分规则的等级（{grades}）",
        "claimed-grade-not-computed": "自评等级“{claimed}”，按评分规则计算为“{computed}”"
        "（总分 {total}）",
        "claimed-grade-differs": "自评等级“{claimed}”与自评总分 {total} 不符，"
        "按评分规则应为“{expected}”",
        "claimed-score-out-of-bounds": "{name}（{id}）自评 {claimed} 分，超出其分值范围 "
        "[{min}, {max}]",
        "claimed-score-unreachable": "{name}（{id}）自评 {claimed} 分，按可见数据可得 "
        "[{low}, {high}]",
        "claimed-total-unreachable": "自评总分 {claimed}，按可见数据{reachable}",
        "missing-claims-sum": "{count} 个指标没有自评得分：按自评总分，它们合计应为 {sum}{detail}",
    },
    "en": {
        "claimed-total-differs": "total computed by the rules (including the cap and floor)",
        "claims-do-not-add-up": "claimed total {claimed} is not the sum of the claimed indicator "
        "scores ({sum})",
        "implied-score": "no claimed score for {name} ({id}); the claimed total {total} implies "
        "{value}",
        "implied-score-out-of-range": "no claimed score for {name} ({id}); the claimed total "
        "{total} implies {value}, outside its range [{min}, {max}]",
        "many-missing": "{count} indicators have no claimed score, so the claimed total cannot be "
        "checked",
        "unclaimed-indicators": "{count} indicators have no claimed score and no claimed total is "
        "given: {names}",
        "claimed-grade-unknown": "claimed grade '{claimed}' is none of the rubric's grades "
        "({grades})",
        "claimed-grade-not-computed": "claimed grade '{claimed}'; the rubric gives "
        "'{computed}' (total {total})",
        "claimed-grade-differs": "claimed grade '{claimed}' does not follow from the claimed "
        "total {total}; the rubric gives '{expected}'",
        "claimed-score-out-of-bounds": "{name} ({id}) claims {claimed}, outside its range "
        "[{min}, {max}]",
        "claimed-score-unreachable": "{name} ({id}) claims {claimed}; the known values allow "
        "[{low}, {high}]",
        "claimed-total-unreachable": "claimed {claimed}, reachable {reachable}",
        "missing-claims-sum": "{count} indicators have no claimed score: by the claimed total "
        "the missing claims must sum to {sum}{detail}",
    },
}


def in_language(table: Mapping[str, Mapping[str, str]], language: str) -> Mapping[str, str]:
    """`table`'s words in `language`, or in the default language for one it lacks."""
    return table.get(language) or table[DEFAULT_LANGUAGE]


class _Step(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def rule(self) -> str | None: ...
    @property
    def detail(self) -> str: ...


class _Trace(Protocol):
    @property
    def steps(self) -> Iterable[_Step]: ...


class _Traced(Protocol):
    @property
    def trace(self) -> _Trace | None: ...


# the trace steps that say why a score is what it is (a plain "max N" start says nothing)
_EXPLAINING = frozenset(
    (
        "band",
        "deduction",
        "floor",
        "tier",
        "not_applicable",
        "clamp",
        "round",
        "scale",
        "note",
        "range",
    )
)


def reason(item: _Traced, language: str = DEFAULT_LANGUAGE) -> str:
    """How an indicator got its score, from its trace: bands, deductions, floors, tiers,
    clamps and rounding; or, for a formula or ratio, the values it read (the 扣分原因)."""
    if item.trace is None:
        return ""
    steps = tuple(item.trace.steps)
    # a formula's or ratio's start names its rule; the rubric's own words (a note) win over it
    noted = any(s.kind == "note" for s in steps)
    shown = [
        s.detail
        for s in steps
        if s.kind in _EXPLAINING or (s.kind == "start" and s.rule is not None and not noted)
    ]
    return in_language(MARKS, language)["part"].join(shown)


_PHRASES: dict[str, dict[str, str]] = {
    "zh": {
        "formula": "{inputs} → {score}",
        "ratio": "满分 {top} × {actual} / {target} = {score}",
        "band": "{measure} = {value}，落在 {range}{label} → {score}",
        "band_label": "{label}（{value}）→ {score}",
        "no_band": "{measure} = {value} 不在任何区间 → 其他情形 {score}",
        "start_max": "满分 {max}",
        "per_unit": "{measure} = {value}：{units} 个单位（每单位 {unit}）× {points} 分",
        "per_unit_reason": "{reason}：扣 {deduction} 分",
        "floor": "扣完为止（最低 {floor} 分）",
        "target_zero": "目标值为 0 → {score}",
        "tier_assessed": "档次 {tier} {range}：评定得分 {score}",
        "tier_default": "档次 {tier} {range}：取默认 {percent}% 分值",
        "na_full": "不涉及，按满分计",
        "na_excluded": "不涉及，不计分，分值按比例分配给同组其他指标",
        "scale": "× {factor}：同组不涉及指标的分值按比例分配",
        "round": "按 {step} 分{mode}取整",
        "clamp_high": "{value} 超过上限，取 {bound}",
        "clamp_low": "{value} 低于下限，取 {bound}",
        "total": "基础分 {base} + 加减分 {bonus}",
        "total_cap": "总分封顶 {bound}",
        "total_scaled": "各指标分值合计 {max}，基础分按 {scale} 分制折算",
        "total_floor": "总分保底 {bound}",
        "records_rescaled": "{group}各指标分值合计 {total}，应为 {expected}：已按比例折算",
        "records_sum": "{group}各指标分值合计 {total}，与应有的 {expected} 不符",
        "record_notice": "{list}第 {row} 条：{text}",
        "plausible": "{label}为 {value}，不在合理范围 {range} 内，请核对",
        "plausible_percent": "{label}为 {value}，不在合理范围 {range} 内，请核对：是否应为 "
        "{percent}%？",
        "plausible_row": "{list}第 {row} 条的{label}为 {value}，不在合理范围 {range} 内，请核对",
        "plausible_row_percent": "{list}第 {row} 条的{label}为 {value}，不在合理范围 {range} "
        "内，请核对：是否应为 {percent}%？",
        "range": "{unknown}未知 → 得分在 [{low}, {high}] 之间",
        "at_most": "最高可得 {bound}",
        "at_least": "最低可得 {bound}",
        "missing_ranges": "；各自可能为 {ranges}",
        "missing_ranges_others": "；各自可能为 {ranges}，"
        "其余 {others} 个可取其分值范围内的任何分数",
        "missing_any": "；每个都可取其分值范围内的任何分数",
        "missing_impossible": "，超出其分值合计范围 [{low}, {high}]",
        "total_range": "总分在 [{low}, {high}] 之间",
        "check_unknown": "核查 [{check}] 读取未知数据，无法判断是否成立",
        "check_unknown_fired": "核查 [{check}] 成立（其说明读取未知数据）",
        "row_check_unknown": "{name}：核查 [{check}] 读取未知数据，无法判断是否成立",
        "row_check_unknown_fired": "{name}：核查 [{check}] 成立（其说明读取未知数据）",
        "doubtful": "{name}（{id}）读取存疑数据：{facts}，请核对",
        "doubtful_input": "所用数据{label}存疑：{reason}",
    },
    "en": {
        "formula": "{inputs} → {score}",
        "ratio": "{top} × {actual} / {target} = {score}",
        "band": "{measure} = {value} in {range}{label} → {score}",
        "band_label": "{label} ({value}) → {score}",
        "no_band": "{measure} = {value} matches no band → otherwise {score}",
        "start_max": "max {max}",
        "per_unit": "{measure} = {value}: {units} units of {unit} × {points} points",
        "per_unit_reason": "{reason}: −{deduction}",
        "floor": "deducted down to the floor of {floor}",
        "target_zero": "target is 0 → {score}",
        "tier_assessed": "tier {tier} {range}: assessed score {score}",
        "tier_default": "tier {tier} {range}: default {percent}% of max",
        "na_full": "not applicable: full marks",
        "na_excluded": "not applicable: excluded; its points go to the rest of its group",
        "scale": "× {factor}: points of not-applicable indicators spread over the group",
        "round": "rounded to a multiple of {step} ({mode})",
        "clamp_high": "{value} is above the max; clamped to {bound}",
        "clamp_low": "{value} is below the min; clamped to {bound}",
        "total": "base {base} + bonus {bonus}",
        "total_cap": "total capped at {bound}",
        "total_scaled": "the points add up to {max}; the base is converted to a scale of {scale}",
        "total_floor": "total raised to the floor of {bound}",
        "records_rescaled": "the indicators of {group} carry {total} points instead of "
        "{expected}; rescaled in proportion",
        "records_sum": "the indicators of {group} carry {total} points instead of {expected}",
        "record_notice": "{list}, record {row}: {text}",
        "plausible": "{label} is {value}, outside its plausible range {range}; please check it",
        "plausible_percent": "{label} is {value}, outside its plausible range {range}; did you "
        "mean {percent}%?",
        "plausible_row": "{label} in row {row} of {list} is {value}, outside its plausible "
        "range {range}; please check it",
        "plausible_row_percent": "{label} in row {row} of {list} is {value}, outside its "
        "plausible range {range}; did you mean {percent}%?",
        "range": "{unknown} not known → the score lies in [{low}, {high}]",
        "at_most": "at most {bound}",
        "at_least": "at least {bound}",
        "missing_ranges": "; each can be {ranges}",
        "missing_ranges_others": "; each can be {ranges}, the other {others} anything within "
        "their points",
        "missing_any": "; each can be anything within its points",
        "missing_impossible": ", outside what their points allow [{low}, {high}]",
        "total_range": "the total lies in [{low}, {high}]",
        "check_unknown": "check [{check}] reads unknown values: cannot tell whether it holds",
        "check_unknown_fired": "check [{check}] holds (its message reads unknown values)",
        "row_check_unknown": "{name}: check [{check}] reads unknown values: cannot tell whether "
        "it holds",
        "row_check_unknown_fired": "{name}: check [{check}] holds (its message reads unknown "
        "values)",
        "doubtful": "{name} ({id}) read a doubtful value: {facts}; please check it",
        "doubtful_input": "the value of {label} is doubtful: {reason}",
    },
}


def review_phrase(language: str, code: str, **values: object) -> str:
    """What the review says for finding or discrepancy `code` in `language`, with `values`."""
    return in_language(REVIEW, language)[code].format(**values)


def phrase(language: str, key: str, **values: object) -> str:
    """The phrase `key` in `language`, filled with `values`."""
    table = _PHRASES.get(language, _PHRASES["zh"])
    return table[key].format(**values)


# --- the trace in words ------------------------------------------------------------------------
# The engine records what it did as events (kind, raw values, labels, templates); these turn
# them into the rubric's language when the scorecard is assembled.

_TRACE_WORDS: dict[str, dict[str, str]] = {
    "zh": {"true": "是", "false": "否", "records": "{count} 条", "full": "满分"},
    "en": {"true": "true", "false": "false", "records": "{count} records", "full": "points"},
}  # fmt: skip

#: rounding modes in words (English writes the mode's own name)
_MODE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "floor": "向下",
        "ceiling": "向上",
        "half_up": "四舍五入",
        "half_even": "四舍六入五成双",
        "half_down": "五舍六入",
        "down": "向零",
        "up": "远离零",
    },
    "en": {
        mode: mode
        for mode in ("floor", "ceiling", "half_up", "half_even", "half_down", "down", "up")
    },
}


def show(value: object, language: str) -> str:
    """A value as the trace writes it: numbers as computed (0.90 stays 0.90), long quotients
    shortened, ISO dates, booleans and list sizes in the rubric's language."""
    if type(value) is Decimal and value.is_finite():  # the common case, without as_tuple
        text = format(value, "f")  # exactly -exponent digits after the point
        dot = text.find(".")
        if dot < 0 or len(text) - dot <= 7:
            return text[1:] if text[0] == "-" and value.is_zero() else text
    if isinstance(value, bool):
        return _TRACE_WORDS[language]["true" if value else "false"]
    if isinstance(value, Decimal):
        if value.as_tuple().exponent < -6:  # type: ignore[operator]
            # a long quotient; the trace inputs keep the exact value
            return "≈" + format_decimal(value.quantize(Decimal("0.0001")))
        return format(value.copy_abs() if value.is_zero() else value, "f")
    if isinstance(value, Records):
        return _TRACE_WORDS[language]["records"].format(count=len(value))
    if value is None:
        return "—"
    return str(value)


def _named(value: object, language: str) -> str:
    """``label value`` for a labelled value (a record's points named in words), else the value."""
    if isinstance(value, Named):
        label = value.label if value.label is not None else _TRACE_WORDS[language]["full"]
        return f"{label} {show(value.value, language)}"
    return show(value, language)


def _filled(template: object, values: object, language: str) -> str:
    assert isinstance(template, Template)
    assert isinstance(values, Mapping)
    return template.fill(values, lambda v: show(v, language))


def _formula(language: str, args: Mapping[str, object]) -> str:
    score = show(args["score"], language)
    if args["source"] is not None:  # a formula that reads nothing
        return f"{args['source']} = {score}"
    inputs = args["inputs"]
    assert isinstance(inputs, tuple)
    shown = in_language(MARKS, language)["comma"].join(_named(v, language) for v in inputs)
    return phrase(language, "formula", inputs=shown, score=score)


def _range(language: str, args: Mapping[str, object]) -> str:
    """The unknown values an indicator read, by label with the document's reason, and the
    range its score lies in."""
    marks = in_language(MARKS, language)
    unknown = args["unknown"]
    assert isinstance(unknown, tuple)
    shown = marks["list"].join(
        f"{label}{marks['open']}{why}{marks['close']}" if why else str(label)
        for label, why in unknown
    )
    return phrase(
        language,
        "range",
        unknown=shown,
        low=show(args["low"], language),
        high=show(args["high"], language),
    )


def _ratio(language: str, args: Mapping[str, object]) -> str:
    return phrase(
        language,
        "ratio",
        top=show(args["top"], language),
        actual=_named(args["actual"], language),
        target=_named(args["target"], language),
        score=show(args["score"], language),
    )


def _per_unit(language: str, args: Mapping[str, object]) -> str:
    reason = args["reason"]
    text = _filled(reason, args["values"], language) if reason is not None else ""
    if text:
        deduction = show(args["deduction"], language)
        return phrase(language, "per_unit_reason", reason=text, deduction=deduction)
    keys = ("measure", "value", "units", "unit", "points")
    return phrase(language, "per_unit", **{k: show(args[k], language) for k in keys})


def _round(language: str, args: Mapping[str, object]) -> str:
    mode = str(args["mode"])
    words = in_language(_MODE_WORDS, language)
    return phrase(language, "round", step=show(args["step"], language), mode=words[mode])


def _template(language: str, args: Mapping[str, object]) -> str:
    return _filled(args["template"], args["values"], language)


#: events whose words are more than their phrase filled with each value shown
_COMPOSED: dict[str, Callable[[str, Mapping[str, object]], str]] = {
    "template": _template,
    "formula": _formula,
    "range": _range,
    "ratio": _ratio,
    "per_unit": _per_unit,
    "round": _round,
}


def step_text(language: str, phrase_key: str, args: Mapping[str, object]) -> str:
    """The words of one trace event."""
    composed = _COMPOSED.get(phrase_key)
    if composed is not None:
        return composed(language, args)
    table = _PHRASES.get(language, _PHRASES["zh"])
    return table[phrase_key].format_map({k: show(v, language) for k, v in args.items()})


_IDENTIFIER = re.compile(r"(?<![\w.'\"])([A-Za-z_][A-Za-z0-9_]*)(?![\w(.'\"])")


def measure_words(
    language: str, source: object, value: object, names: Mapping[str, str], percents: Iterable[str]
) -> dict[str, object]:
    """A band's measure as a Chinese reader reads it: each fact by its label, a percent with %.

    ``spend_rate`` becomes ``部门预算资金支出率`` and its value ``95.87%``; in a formula
    (``spent / budget * 100``) each fact or derived value is named by its label. English
    rubrics keep the ids, which are English words already.
    """
    if language != "zh" or not isinstance(source, str) or not names:
        return {}
    shown = show(value, language)
    if source in names:
        return {"measure": names[source], "value": shown + ("%" if source in percents else "")}
    return {"measure": _IDENTIFIER.sub(lambda m: names.get(m.group(1), m.group(1)), source)}


#: the notices of a check run per record (`for_each`) that cannot be decided for one record
_RECORD_NOTICES = frozenset({"record_check_unknown", "record_check_unknown_fired"})


def notice_text(language: str, phrase_key: str, args: Mapping[str, object]) -> str:
    """The words of a check that fired, or of a records group whose points do not add up."""
    if phrase_key == "template":
        return _filled(args["template"], args["values"], language)
    if phrase_key == "record_template":  # a check run per record: the record is named first
        text = _filled(args["template"], args["values"], language)
        return phrase(language, "record_notice", list=args["list"], row=args["row"], text=text)
    if phrase_key in _RECORD_NOTICES:  # the same, for a record it cannot decide
        text = phrase(language, phrase_key.removeprefix("record_"), check=args["check"])
        return phrase(language, "record_notice", list=args["list"], row=args["row"], text=text)
    return phrase(language, phrase_key, **args)


#: Every table of words, by name; a test checks each has every language and the same keys.
TABLES: dict[str, dict[str, dict[str, str]]] = {
    "marks": MARKS,
    "labels": LABELS,
    "template": TEMPLATE,
    "workbook": WORKBOOK,
    "report": REPORT,
    "review": REVIEW,
    "summary": SUMMARY,
    "phrases": _PHRASES,
    "trace": _TRACE_WORDS,
    "modes": _MODE_WORDS,
}
