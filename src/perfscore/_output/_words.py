"""Phrases of traces, reviews and reports in the rubric's language (``zh`` or ``en``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from perfscore._methods._base import Named, Template
from perfscore._numbers import format_decimal
from perfscore._values import Records

__all__ = ["notice_text", "phrase", "show", "step_text"]

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
        "total_differs": "按规则计算的总分（含封顶/保底规则）",
        "records_rescaled": "{group}各指标分值合计 {total}，应为 {expected}：已按比例折算",
        "records_sum": "{group}各指标分值合计 {total}，与应有的 {expected} 不符",
        "sum_mismatch": "自评总分 {claimed} 不等于各指标自评得分之和 {sum}",
        "implied": "报告未给出{name}（{id}）的自评得分；自评总分 {total} 推算其得分为 {value}",
        "implied_outside": "，超出其分值范围 [{min}, {max}]",
        "many_missing": "{count} 个指标没有自评得分，无法核对自评总分",
        "unclaimed": "{count} 个指标没有自评得分，且未给出自评总分：{names}",
        "grade_mismatch": "自评等级“{claimed}”与自评总分 {total} 不符，按评分规则应为“{expected}”",
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
        "total_differs": "total computed by the rules (including the cap and floor)",
        "records_rescaled": "the indicators of {group} carry {total} points instead of "
        "{expected}; rescaled in proportion",
        "records_sum": "the indicators of {group} carry {total} points instead of {expected}",
        "sum_mismatch": "claimed total {claimed} is not the sum of the claimed indicator scores "
        "({sum})",
        "implied": "no claimed score for {name} ({id}); the claimed total {total} implies {value}",
        "implied_outside": ", outside its range [{min}, {max}]",
        "unclaimed": "{count} indicators have no claimed score and no claimed total is given: "
        "{names}",
        "many_missing": "{count} indicators have no claimed score, so the claimed total cannot be "
        "checked",
        "grade_mismatch": "claimed grade '{claimed}' does not follow from the claimed total "
        "{total}; the rubric gives '{expected}'",
    },
}


def phrase(language: str, key: str, **values: object) -> str:
    """The phrase `key` in `language`, filled with `values`."""
    table = _PHRASES.get(language, _PHRASES["zh"])
    return table[key].format(**values)


# --- the trace in words ------------------------------------------------------------------------
# The engine records what it did as events (kind, raw values, labels, templates); these turn
# them into the rubric's language when the scorecard is assembled.

_TRACE_WORDS: dict[str, dict[str, str]] = {
    "zh": {"true": "是", "false": "否", "records": "{count} 条", "full": "满分", "and": "，"},
    "en": {"true": "true", "false": "false", "records": "{count} records", "full": "points",
           "and": ", "},
}  # fmt: skip

#: rounding modes in words; a language without an entry writes the mode's own name
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
}


def show(value: object, language: str) -> str:
    """A value as the trace writes it: numbers as computed (0.90 stays 0.90), long quotients
    shortened, ISO dates, booleans and list sizes in the rubric's language."""
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
    shown = _TRACE_WORDS[language]["and"].join(_named(v, language) for v in inputs)
    return phrase(language, "formula", inputs=shown, score=score)


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
    words = _MODE_WORDS.get(language, {})
    return phrase(language, "round", step=show(args["step"], language), mode=words.get(mode, mode))


def _template(language: str, args: Mapping[str, object]) -> str:
    return _filled(args["template"], args["values"], language)


#: events whose words are more than their phrase filled with each value shown
_COMPOSED: dict[str, Callable[[str, Mapping[str, object]], str]] = {
    "template": _template,
    "formula": _formula,
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


def notice_text(language: str, phrase_key: str, args: Mapping[str, object]) -> str:
    """The words of a check that fired, or of a records group whose points do not add up."""
    if phrase_key == "template":
        return _filled(args["template"], args["values"], language)
    return phrase(language, phrase_key, **args)
