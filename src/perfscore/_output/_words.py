"""Phrases of traces, reviews and reports in the rubric's language (``zh`` or ``en``)."""

from __future__ import annotations

__all__ = ["phrase"]

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
