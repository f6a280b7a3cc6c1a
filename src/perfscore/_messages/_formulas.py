"""Messages of the formula language and scoring at run time: formula syntax, names, types and
functions (_lang), the methods' run-time errors, the interpreter's errors (_engine/_run.py) and
the compiler's records checks.

Written as one row per message, ``(key, English, Chinese)``, as in `_errors`; `TABLE` is built
from the rows. The English is the text ``str(error)`` has always shown.
"""

from __future__ import annotations

from typing import Final

_ROWS: Final[tuple[tuple[str, str, str], ...]] = (
    # scoring at run time (_engine/_run.py)
    ("formula-arithmetic-failed", "arithmetic failed: {error}", "计算失败：{error}"),
    (
        "formula-group-all-not-applicable",
        "every indicator of group {id!r} is not applicable",
        "指标组 {id!r} 的所有指标都不涉及",
    ),
    (
        "formula-records-list-unknown",
        "the list {list!r} of group {id!r} ({name}) is unknown; "
        "its records are the group's indicators",
        "指标组 {id!r}（{name}）的列表 {list!r} 为未知；该列表的每一行就是本组的指标",
    ),
    (
        "formula-hint-records-list-unknown",
        "list the rows the sheet shows and mark their unreadable fields unknown",
        "请列出表中显示的各行，看不清的字段标记为未知",
    ),
    (
        "formula-records-empty",
        "group {id!r} ({name}) lists no indicators in {list!r}",
        "指标组 {id!r}（{name}）在 {list!r} 中没有列出任何指标",
    ),
    (
        "formula-hint-records-empty",
        "add the sheet's indicators, or declare records.when_empty",
        "请补上表中的指标，或声明 records.when_empty",
    ),
    (
        "formula-records-sum",
        "the indicators of group {id!r} ({name}) carry {total} points; "
        "the group must total {expected}",
        "指标组 {id!r}（{name}）的指标合计 {total} 分；本组合计应为 {expected} 分",
    ),
    (
        "formula-hint-records-sum",
        "correct the points on the sheet, or declare records.sum: rescale or warn",
        "请更正表中的分值，或声明 records.sum: rescale 或 warn",
    ),
    (
        "formula-records-no-rule",
        "no rule scores {field} = {kind!r}",
        "没有规则为 {field} = {kind!r} 评分",
    ),
    (
        "formula-record-unknown-shape",
        "record {index} of {list!r} has an unknown {name!r}; a record's "
        "id, name, points and kind must be known to make its row",
        "{list!r} 中的记录 {index} 的 {name!r} 为未知；记录的编号、名称、分值和类型"
        "必须已知，才能生成它的行",
    ),
    (
        "formula-hint-record-unknown-shape",
        "give the value as the sheet prints it; only scored fields and "
        "claimed scores may be unknown",
        "请按表中印出的内容填写；只有参与评分的字段和自评分可以为未知",
    ),
    (
        "formula-record-bad-id",
        "record {index} of {list!r} has id {id!r}; a record's id starts "
        "with a letter and has only ASCII letters, digits and '_'",
        "{list!r} 中的记录 {index} 的编号为 {id!r}；记录编号须以字母开头，"
        "且只含 ASCII 字母、数字和 '_'",
    ),
    ("formula-hint-for-example", "for example {example!r}", "例如 {example!r}"),
    (
        "formula-record-duplicate-id",
        "two records of {list!r} have the id {id!r}",
        "{list!r} 中有两条记录的编号都是 {id!r}",
    ),
    (
        "formula-record-bad-points",
        "record {index} of {list!r} has {field} {value}; "
        "an indicator's points must be greater than 0",
        "{list!r} 中的记录 {index} 的 {field} 为 {value}；指标的分值必须大于 0",
    ),
    ("formula-subject-record", "indicator {id!r} ({name})", "指标 {id!r}（{name}）"),
    # records groups, checked when the rubric is compiled (_engine/_compile.py)
    (
        "formula-records-field-kind",
        "records.{key} must name a {kinds} field of {list!r}, got {name!r}",
        "records.{key} 须指向 {list!r} 中类型为 {kinds} 的字段，实际是 {name!r}",
    ),
    ("formula-kinds-text", "text", "text"),
    (
        "formula-kinds-number-integer-percent",
        "number or integer or percent",
        "number、integer 或 percent",
    ),
    ("formula-kinds-enum", "enum", "enum"),
    (
        "formula-records-field-shadows",
        "field {name!r} of {list!r} has the name of a fact, derived value or reserved name",
        "{list!r} 的字段 {name!r} 与某个事实、派生值或保留名称同名",
    ),
    (
        "formula-hint-rename-field",
        "rename the field: a rule could not tell them apart",
        "请给该字段改名：否则规则无法区分二者",
    ),
    (
        "formula-records-field-shadows-what",
        "field {name!r} of {list!r} has the name of {what}",
        "{list!r} 的字段 {name!r} 与{what}同名",
    ),
    ("formula-what-function", "a function of the formula language", "公式语言中的某个函数"),
    ("formula-what-constant", "a constant", "某个常量"),
    (
        "formula-hint-rename-field-named",
        "rename the field: in a rule {name!r} would not mean the field",
        "请给该字段改名：在规则中 {name!r} 不会指这个字段",
    ),
    (
        "formula-records-rules",
        "records.rules must give one rule per value of {select!r}: "
        "missing {missing}, unknown {unknown}",
        "records.rules 须为 {select!r} 的每个取值各给一条规则：缺少 {missing}，多出 {unknown}",
    ),
    (
        "formula-records-one-rule",
        "without records.select there must be exactly one rule",
        "未声明 records.select 时，只能有一条规则",
    ),
    (
        "formula-records-check-for-each",
        "a records group's checks already run once per record; for_each has no place here",
        "记录组的校验本来就逐条记录运行；这里不能用 for_each",
    ),
    (
        "formula-hint-records-check-for-each",
        "remove for_each, or move the check to the rubric's checks",
        "请删除 for_each，或把该校验移到评分规则的 checks 中",
    ),
    (
        "formula-records-check-reads",
        "a records group's checks run before the totals exist; reads has no place here",
        "记录组的校验在总分算出之前运行；这里不能用 reads",
    ),
    (
        "formula-hint-records-check-reads",
        "remove reads, or move the check to the rubric's checks",
        "请删除 reads，或把该校验移到评分规则的 checks 中",
    ),
    # @@EXPR@@
)

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {key: english for key, english, _ in _ROWS},
    "zh": {key: chinese for key, _, chinese in _ROWS},
}
