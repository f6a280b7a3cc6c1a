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
        "record {number} of {list!r} has an unknown {name!r}; a record's "
        "id, name, points and kind must be known to make its row",
        "{list!r} 中第 {number} 条记录的 {name!r} 为未知；记录的编号、名称、分值和类型"
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
        "record {number} of {list!r} has id {id!r}; a record's id starts "
        "with a letter and has only ASCII letters, digits and '_'",
        "{list!r} 中第 {number} 条记录的编号为 {id!r}；记录编号须以字母开头，"
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
        "record {number} of {list!r} has {field} {value}; "
        "an indicator's points must be greater than 0",
        "{list!r} 中第 {number} 条记录的 {field} 为 {value}；指标的分值必须大于 0",
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
    # formulas at run time (_lang/_expr.py)
    (
        "formula-step-positive",
        "{name}() needs a step greater than 0, got {step}",
        "{name}() 的步长必须大于 0，实际是 {step}",
    ),
    (
        "formula-hint-step",
        "e.g. 1 for whole numbers, 0.5 for halves, 0.01 for hundredths",
        "例如取整用 1，取半用 0.5，保留两位小数用 0.01",
    ),
    ("formula-no-value", "{name!r} has no value", "{name!r} 没有值"),
    (
        "formula-clamp-order",
        "clamp() needs lo <= hi, got lo={lo}, hi={hi}",
        "clamp() 要求 lo <= hi，实际是 lo={lo}，hi={hi}",
    ),
    ("formula-mean-empty", "mean() of an empty list is undefined", "空列表无法求 mean() 平均值"),
    (
        "formula-weights-zero",
        "formula divides by zero: the weights ('{weight}') add up to 0",
        "公式除以零：权重（'{weight}'）合计为 0",
    ),
    (
        "formula-overflow",
        "a value exceeds 34 digits or the exponent limit of {emax}",
        "有数值超过 34 位有效数字或指数上限 {emax}",
    ),
    (
        "formula-undefined",
        "formula's arithmetic is undefined (such as 0 / 0)",
        "公式的运算结果无定义（例如 0 / 0）",
    ),
    ("formula-zero-division", "formula divides by zero", "公式除以零"),
    (
        "formula-cannot-evaluate",
        "formula cannot be evaluated: {error}: {text}",
        "公式无法计算：{error}: {text}",
    ),
    ("formula-detail-formula", "formula", "公式"),
    ("formula-detail-with", "with", "取值"),
    ("formula-detail-here", "here", "位置"),
    ("formula-detail-rule", "rule", "规则"),
    # formulas checked when the rubric is compiled (_lang/_expr.py)
    ("formula-forbidden", "{what} cannot be used in a formula", "公式中不能使用{what}"),
    ("formula-what-operator", "the operator {name}", "运算符 {name}"),
    ("formula-what-subscript", "subscripts ('x[...]')", "下标（'x[...]'）"),
    (
        "formula-hint-subscript",
        "read list facts with sum(), mean() or count()",
        "请用 sum()、mean() 或 count() 读取列表事实",
    ),
    ("formula-what-lambda", "lambda", "lambda"),
    ("formula-what-comprehension", "comprehensions", "推导式"),
    (
        "formula-hint-comprehension",
        "use sum(), mean(), weighted_mean() or count()",
        "请用 sum()、mean()、weighted_mean() 或 count()",
    ),
    ("formula-what-f-string", "f-strings", "f 字符串"),
    (
        "formula-hint-f-string",
        "a formula computes a value; messages belong in templates",
        "公式只计算数值；提示文字请写在模板里",
    ),
    ("formula-what-walrus", "assignment expressions (':=')", "赋值表达式（':='）"),
    ("formula-hint-derived", "declare a derived value instead", "请改为声明一个派生值"),
    ("formula-what-list", "list displays ('[...]')", "列表字面量（'[...]'）"),
    ("formula-what-tuple", "tuples", "元组"),
    ("formula-what-set", "set displays ('{{...}}')", "集合字面量（'{{...}}'）"),
    ("formula-what-dict", "dict displays ('{{...}}')", "字典字面量（'{{...}}'）"),
    ("formula-what-starred", "unpacking with '*'", "用 '*' 解包"),
    ("formula-hint-by-position", "pass each argument by position", "请按位置逐个传入参数"),
    ("formula-what-power", "'**' (power)", "'**'（乘方）"),
    ("formula-hint-power", "use a product; powers are not supported", "请写成乘积；不支持乘方"),
    ("formula-what-percent", "'%' (remainder and text formatting)", "'%'（取余和文本格式化）"),
    (
        "formula-hint-percent-op",
        "a percent fact already holds percent units: write 'rate >= 90', not 'rate >= 90%'; "
        "a share is 'part / whole * 100'",
        "百分比事实本身已是百分数：请写 'rate >= 90'，不要写 'rate >= 90%'；"
        "求占比请写 'part / whole * 100'",
    ),
    ("formula-what-floor-division", "'//' (floor division)", "'//'（整除）"),
    ("formula-hint-floor-division", "use floor(a / b)", "请用 floor(a / b)"),
    ("formula-what-bit-and", "the bitwise operator '&'", "按位运算符 '&'"),
    ("formula-hint-use-and", "use 'and'", "请用 'and'"),
    ("formula-what-bit-or", "the bitwise operator '|'", "按位运算符 '|'"),
    ("formula-hint-use-or", "use 'or'", "请用 'or'"),
    ("formula-what-bit-xor", "the bitwise operator '^'", "按位运算符 '^'"),
    ("formula-what-lshift", "the shift operator '<<'", "移位运算符 '<<'"),
    ("formula-what-rshift", "the shift operator '>>'", "移位运算符 '>>'"),
    ("formula-what-invert", "the bitwise operator '~'", "按位运算符 '~'"),
    ("formula-hint-use-not", "use 'not' for booleans", "布尔值请用 'not'"),
    ("formula-hint-compare-eq", "compare values with ==", "请用 == 比较值"),
    ("formula-hint-compare-ne", "compare values with !=", "请用 != 比较值"),
    ("formula-hint-in", "compare with == and combine with 'or'", "请用 == 比较，再用 'or' 组合"),
    (
        "formula-hint-not-in",
        "compare with != and combine with 'and'",
        "请用 != 比较，再用 'and' 组合",
    ),
    ("formula-cannot-add", "cannot add {left} and {right}", "不能把 {left} 和 {right} 相加"),
    (
        "formula-cannot-subtract",
        "cannot subtract {right} from {left}",
        "不能从 {left} 中减去 {right}",
    ),
    ("formula-cannot-multiply", "cannot multiply {left} by {right}", "不能把 {left} 乘以 {right}"),
    ("formula-cannot-divide", "cannot divide {left} by {right}", "不能把 {left} 除以 {right}"),
    (
        "formula-hint-attribute",
        "read facts by name, and list fields with sum(), mean() or count()",
        "请直接用名称读取事实，列表字段请用 sum()、mean() 或 count() 读取",
    ),
    ("formula-hint-split", "split it into derived values", "请拆分成几个派生值"),
    (
        "formula-hint-leading-zeros",
        "leave out the leading zeros, e.g. 7 for 007 and 0.5 for 00.5",
        "请去掉开头的 0，例如 007 写成 7，00.5 写成 0.5",
    ),
    (
        "formula-non-ascii-name",
        " (it holds the non-ASCII character '{ch}', {codepoint})",
        "（其中含有非 ASCII 字符 '{ch}'，{codepoint}）",
    ),
    ("formula-arity-at-least", "at least {count} arguments", "至少 {count} 个参数"),
    ("formula-arity-one", "{count} argument", "{count} 个参数"),
    ("formula-arity-many", "{count} arguments", "{count} 个参数"),
    ("formula-arity-or", "{fewest} or {most} arguments", "{fewest} 个或 {most} 个参数"),
    ("formula-backslash", "'\\' cannot be used in a formula", "公式中不能使用 '\\'"),
    (
        "formula-hint-backslash",
        "write text literals as they are, without escape sequences",
        "文本请照原样书写，不要用转义序列",
    ),
    ("formula-hash", "'#' cannot be used outside a text literal", "文本之外不能使用 '#'"),
    (
        "formula-hint-hash",
        "'#' starts a comment in Python and would silently drop the rest of the formula",
        "'#' 在 Python 中表示注释，会悄悄丢掉公式的其余部分",
    ),
    ("formula-hint-tab", "use spaces between words", "词与词之间请用空格"),
    (
        "formula-hint-retype",
        "delete it and retype the text around it",
        "请删除它，并重新输入它前后的文字",
    ),
    (
        "formula-invisible",
        "invisible or control character {codepoint} in the formula",
        "公式中有不可见字符或控制字符 {codepoint}",
    ),
    (
        "formula-character",
        "character '{ch}' ({codepoint}) cannot be used outside a text literal",
        "文本之外不能使用字符 '{ch}'（{codepoint}）",
    ),
    (
        "formula-character-nfkc",
        "character '{ch}' ({codepoint}) cannot be used outside a text literal: "
        "Python would read it as '{normal}'",
        "文本之外不能使用字符 '{ch}'（{codepoint}）：Python 会把它读作 '{normal}'",
    ),
    (
        "formula-hint-lookalike",
        "'{ch}' (U+{code}) where '{meant}' was meant",
        "此处应为 '{meant}'，却写成了 '{ch}'（U+{code}）",
    ),
    (
        "formula-hint-full-width",
        "full-width '{ch}' (U+{code}) where '{meant}' was meant; "
        "switch the input method to half-width (半角)",
        "此处应为 '{meant}'，却写成了全角的 '{ch}'（U+{code}）；请把输入法切换到半角",
    ),
    ("formula-hint-type-ascii", "type '{normal}' in ASCII", "请用 ASCII 输入 '{normal}'"),
    ("formula-hint-ascii", "formulas are written in ASCII", "公式须用 ASCII 字符书写"),
    (
        "formula-too-deep-to-parse",
        "formula is too deeply nested to parse",
        "公式嵌套太深，无法解析",
    ),
    ("formula-too-many-parentheses", "formula nests too many parentheses", "公式嵌套的括号太多"),
    (
        "formula-semicolon",
        "a formula is one expression; ';' would start a second statement",
        "公式只能是一个表达式；';' 会开始第二条语句",
    ),
    (
        "formula-hint-semicolon",
        "declare each value as its own derived value",
        "请把每个值分别声明为派生值",
    ),
    (
        "formula-assign",
        "'=' assigns a value, which a formula cannot do",
        "'=' 是赋值，公式不能赋值",
    ),
    (
        "formula-hint-assign",
        "write '==' to compare, or declare a derived value",
        "比较请写 '=='，或声明一个派生值",
    ),
    ("formula-leading-zero", "a number cannot start with 0", "数字不能以 0 开头"),
    # syntax errors, by what Python stopped at (_lang/_expr.py `_explain_syntax`)
    ("formula-unclosed", "a '{bracket}' is never closed", "括号 '{bracket}' 未闭合"),
    (
        "formula-hint-unclosed",
        "add '{closer}' where the part it opens ends",
        "请在括号内容结束处补上 '{closer}'",
    ),
    (
        "formula-unmatched",
        "'{bracket}' closes a bracket that was never opened",
        "'{bracket}' 没有对应的左括号",
    ),
    (
        "formula-hint-unmatched",
        "remove it, or add the matching '{opener}' where the part it closes starts",
        "请删去它，或在括号内容开始处补上对应的 '{opener}'",
    ),
    (
        "formula-mismatched",
        "'{bracket}' does not match the '{opener}' it closes",
        "'{bracket}' 与它闭合的 '{opener}' 不匹配",
    ),
    (
        "formula-hint-mismatched",
        "close '{opener}' with '{closer}'",
        "'{opener}' 请用 '{closer}' 闭合",
    ),
    (
        "formula-if-without-else",
        "'if' without 'else': the formula must say what it gives when the condition fails",
        "'if' 缺少 'else'：公式须写明条件不成立时的值",
    ),
    (
        "formula-ends-early",
        "the formula ends after {last}, where a value is expected",
        "公式在 {last} 之后就结束了，这里还缺少一个值",
    ),
    (
        "formula-hint-ends-early",
        "add the missing value after {last}, or remove {last}",
        "请在 {last} 之后补上缺少的值，或删去 {last}",
    ),
    (
        "formula-value-missing",
        "a value is missing between {before} and {found}",
        "{before} 与 {found} 之间缺少一个值",
    ),
    ("formula-value-missing-first", "a value is missing before {found}", "{found} 之前缺少一个值"),
    (
        "formula-hint-value-missing",
        "write a fact, a number or a function call there",
        "请在这里写上事实、数字或函数调用",
    ),
    (
        "formula-no-operator",
        "{found} follows {before} with no operator between them",
        "{before} 与 {found} 之间缺少运算符",
    ),
    (
        "formula-hint-no-operator",
        "put an operator (+ - * / == != < > and or) between two values, and a comma between "
        "the arguments of a function",
        "两个值之间请写运算符（+ - * / == != < > and or），函数的各参数之间请用逗号分隔",
    ),
    (
        "formula-hint-operators",
        "the operators are + - * / for numbers, == != < <= > >= to compare, and, or, not for "
        "conditions",
        "可用的运算符：数字用 + - * /，比较用 == != < <= > >=，条件用 and、or、not",
    ),
    (
        "formula-unterminated-text",
        "the text begun with {quote} is never closed",
        "以 {quote} 开头的文字没有结束的引号",
    ),
    ("formula-hint-unterminated-text", "end the text with {quote}", "请用 {quote} 结束这段文字"),
    (
        "formula-invalid-at",
        "the formula cannot be read from column {column} ({found})",
        "公式从第 {column} 列（{found}）起无法解析",
    ),
    (
        "formula-invalid-at-reason",
        "the formula cannot be read from column {column} ({found}): {reason}",
        "公式从第 {column} 列（{found}）起无法解析：{reason}",
    ),
    ("formula-what-greater-equal", "'=>'", "'=>'"),
    ("formula-hint-write-greater-equal", "write '>=': 'rate >= 90'", "请写 '>='：'rate >= 90'"),
    ("formula-what-less-equal", "'=<'", "'=<'"),
    ("formula-hint-write-less-equal", "write '<=': 'rate <= 10'", "请写 '<='：'rate <= 10'"),
    (
        "formula-too-many-parts",
        "formula has more than {limit} parts (names, numbers, operations)",
        "公式的组成部分（名称、数字、运算）超过 {limit} 个",
    ),
    ("formula-too-deep", "formula nests deeper than {limit} levels", "公式嵌套超过 {limit} 层"),
    ("formula-what-attribute", "attribute access ('.{name}')", "属性访问（'.{name}'）"),
    ("formula-hint-call-by-name", "call a function by name", "请按名称调用函数"),
    ("formula-what-call-result", "calling the result of an expression", "调用表达式的结果"),
    ("formula-what-keyword", "keyword arguments ('{name}=')", "关键字参数（'{name}='）"),
    ("formula-what-double-star", "'**' unpacking", "'**' 解包"),
    (
        "formula-hint-pass-by-position",
        "pass arguments by position: {signature}",
        "请按位置传入参数：{signature}",
    ),
    ("formula-hint-pass-each", "pass each argument: {signature}", "请逐个传入参数：{signature}"),
    (
        "formula-hint-days",
        "days(start, end) gives the number of days from start to end",
        "days(start, end) 给出从 start 到 end 的天数",
    ),
    (
        "formula-hint-bool-not-number",
        "a bool is not a number; write (1 if condition else 0)",
        "布尔值不是数字；请写 (1 if condition else 0)",
    ),
    ("formula-cannot-apply", "cannot apply '{sign}' to {kind}", "不能对 {kind} 使用 '{sign}'"),
    (
        "formula-hint-compare-explicitly",
        "compare explicitly, e.g. x > 0",
        "请明确写出比较，例如 x > 0",
    ),
    ("formula-kind-number", "number", "数值"),
    ("formula-kind-bool", "bool", "布尔值"),
    ("formula-kind-date", "date", "日期"),
    ("formula-kind-text", "text", "文本"),
    ("formula-kind-list", "list", "列表"),
    ("formula-needs-bool", "{what} needs a bool, got {kind}", "{what} 需要布尔值，实际是 {kind}"),
    (
        "formula-condition-bool",
        "the condition of 'if ... else' must be bool, got {kind}",
        "'if ... else' 的条件必须是布尔值，实际是 {kind}",
    ),
    (
        "formula-branches-type",
        "both branches of 'if ... else' must have one type, got {then} and {other}",
        "'if ... else' 的两个分支必须是同一类型，实际是 {then} 和 {other}",
    ),
    (
        "formula-hint-text-number",
        "text never equals a number; quote the value ('1') or use a number fact",
        "文本永远不等于数字；请给值加引号（'1'），或改用数字事实",
    ),
    (
        "formula-cannot-compare",
        "cannot compare {left} and {right} with '{symbol}'",
        "不能用 '{symbol}' 比较 {left} 和 {right}",
    ),
    (
        "formula-cannot-order",
        "cannot order {kind} with '{symbol}': {kind} compares only with == and !=",
        "不能用 '{symbol}' 比较 {kind} 的大小：{kind} 只能用 == 和 != 比较",
    ),
    (
        "formula-hint-ordered-enum",
        "declare the enum 'ordered: descending' (values listed best first) or "
        "'ordered: ascending' to compare its levels; two ordered enums compare only "
        "when they list the same values in the same order",
        "要比较枚举的等次，请把枚举声明为 'ordered: descending'（取值按从好到差排列）或 "
        "'ordered: ascending'；两个有序枚举只有取值相同、顺序相同才能比较",
    ),
    (
        "formula-not-a-value",
        "{value!r} is not a value of {name}, so this is always {always}",
        "{value!r} 不是 {name} 的取值，所以结果总是 {always}",
    ),
    ("formula-label-field", "field '{field}' of '{list}'", "'{list}' 的字段 '{field}'"),
    ("formula-hint-its-values", "its values: {values}", "可用的取值：{values}"),
    (
        "formula-hint-is-function",
        "{name} is a function: call it as {signature}",
        "{name} 是函数：请这样调用 {signature}",
    ),
    (
        "formula-hint-booleans",
        "the booleans are written True and False",
        "布尔值写作 True 和 False",
    ),
    ("formula-unknown-name", "unknown name {name!r}{non_ascii}", "未知的名称 {name!r}{non_ascii}"),
    (
        "formula-list-fact-read",
        "list fact '{name}' can only be read by sum(), mean(), weighted_mean() or count()",
        "列表事实 '{name}' 只能用 sum()、mean()、weighted_mean() 或 count() 读取",
    ),
    ("formula-hint-eg", "e.g. {example}", "例如 {example}"),
    (
        "formula-text-too-long",
        "text has {length} characters, the limit is {limit}",
        "文本有 {length} 个字符，上限是 {limit}",
    ),
    ("formula-what-bytes", "bytes literals", "字节串字面量"),
    (
        "formula-hint-values",
        "values are numbers, True, False, text or facts",
        "值只能是数字、True、False、文本或事实",
    ),
    (
        "formula-number-too-long",
        "number has {length} characters, the limit is {limit}",
        "数字有 {length} 个字符，上限是 {limit}",
    ),
    ("formula-hint-declare-fact", "declare it as a fact", "请把它声明为事实"),
    ("formula-number-not-decimal", "number {text!r} is not in base 10", "数字 {text!r} 不是十进制"),
    ("formula-hint-decimal-digits", "write the number in decimal digits", "请用十进制数字书写"),
    (
        "formula-number-underscore",
        "number {text!r} groups digits with '_'",
        "数字 {text!r} 用 '_' 分隔了数位",
    ),
    ("formula-hint-write", "write {text}", "请写成 {text}"),
    ("formula-number-imaginary", "number {text!r} is imaginary", "数字 {text!r} 是虚数"),
    ("formula-hint-real", "formulas compute with real numbers only", "公式只计算实数"),
    (
        "formula-number-exponent",
        "number {text!r} uses exponent notation",
        "数字 {text!r} 用了科学计数法",
    ),
    (
        "formula-hint-all-digits",
        "write all the digits, e.g. 1500000 for 1.5e6",
        "请写出全部数字，例如 1.5e6 写成 1500000",
    ),
    (
        "formula-number-no-leading-digit",
        "number {text!r} has no digit before '.'",
        "数字 {text!r} 的 '.' 前没有数字",
    ),
    ("formula-number-trailing-dot", "number {text!r} ends with '.'", "数字 {text!r} 以 '.' 结尾"),
    ("formula-hint-write-or", "write {text} or {other}", "请写成 {text} 或 {other}"),
    ("formula-hint-functions", "functions: {names}", "可用的函数：{names}"),
    (
        "formula-hint-exact-numbers",
        "numbers are exact already; use round(x), floor(x) or ceil(x)",
        "数字本来就是精确的；请用 round(x)、floor(x) 或 ceil(x)",
    ),
    (
        "formula-unknown-function",
        "function {name!r}{non_ascii} is not available",
        "函数 {name!r}{non_ascii} 不可用",
    ),
    ("formula-hint-signature", "signature: {signature}", "用法：{signature}"),
    (
        "formula-arguments",
        "{name}() takes {expected}, got {given}",
        "{name}() 需要{expected}，实际给了 {given} 个",
    ),
    (
        "formula-given-needs-name",
        "given() needs the bare name of a fact, a field or a derived value",
        "given() 需要事实、字段或派生值的名称本身（不加引号）",
    ),
    (
        "formula-not-applicable-needs-id",
        "not_applicable() needs an indicator id in quotes",
        "not_applicable() 需要加引号的指标编号",
    ),
    (
        "formula-hint-not-applicable-quote",
        "write not_applicable('{id}'): an indicator id is text, not a value",
        "请写 not_applicable('{id}')：指标编号是文本，不是值",
    ),
    (
        "formula-argument-kind",
        "{name}() needs a {kind} as argument {position}, got {got}",
        "{name}() 的第 {position} 个参数须为 {kind}，实际是 {got}",
    ),
    (
        "formula-needs-list",
        "{name}() needs a list fact as argument 1, got {got}",
        "{name}() 的第 1 个参数须为列表事实，实际是 {got}",
    ),
    (
        "formula-condition-over-fields",
        "{name}() needs a condition (yes/no) over the fields of '{list}' "
        "as its last argument, got {got}",
        "{name}() 的最后一个参数须为针对 '{list}' 字段的条件（是/否），实际是 {got}",
    ),
    (
        "formula-argument-field-bare",
        "argument {position} must name a field of '{list}', written bare",
        "第 {position} 个参数须为 '{list}' 的字段名（不加引号）",
    ),
    ("formula-hint-its-fields", "its fields: {names}", "它的字段：{names}"),
    ("formula-no-field", "list '{list}' has no field {name!r}", "列表 '{list}' 没有字段 {name!r}"),
    (
        "formula-optional-field",
        "field '{name}' of '{list}' may have no value and cannot be read by a formula",
        "'{list}' 的字段 '{name}' 可能没有值，公式不能读取",
    ),
    (
        "formula-hint-required-field",
        "make the field required or give it a default",
        "请把该字段设为必填，或给它一个默认值",
    ),
    (
        "formula-argument-number-field",
        "argument {position} must be a number field; '{name}' is {kind}",
        "第 {position} 个参数须为数字字段；'{name}' 是 {kind}",
    ),
    ("formula-what-strict-eq", "'===' (strict equality)", "'==='（严格相等）"),
    ("formula-hint-write-eq", "write '==' to compare", "比较请写 '=='"),
    ("formula-what-strict-ne", "'!==' (strict inequality)", "'!=='（严格不等）"),
    ("formula-hint-write-ne", "write '!=' to compare", "比较请写 '!='"),
    ("formula-what-and", "'&&' (and)", "'&&'（并且）"),
    ("formula-hint-write-and", "write 'and': 'a > 0 and b > 0'", "请写 'and'：'a > 0 and b > 0'"),
    ("formula-what-or", "'||' (or)", "'||'（或者）"),
    ("formula-hint-write-or-op", "write 'or': 'a > 0 or b > 0'", "请写 'or'：'a > 0 or b > 0'"),
    ("formula-what-not-equal", "'<>' (not equal)", "'<>'（不等于）"),
    (
        "formula-hint-write-not-equal",
        "write '!=': 'level != \"达成\"'",
        "请写 '!='：'level != \"达成\"'",
    ),
    ("formula-what-choice", "'c ? x : y' (choice)", "'c ? x : y'（条件选择）"),
    (
        "formula-hint-write-if",
        "write 'x if c else y': 'full if rate >= 90 else 0'",
        "请写 'x if c else y'：'full if rate >= 90 else 0'",
    ),
    ("formula-habit", "{what} is not part of the formula language", "公式语言中没有 {what}"),
    (
        "formula-hint-percent-sign",
        "a percent fact already holds percent units (95.87 means 95.87%): write "
        "'rate >= 90', not 'rate >= 90%'",
        "百分比事实本身已是百分数（95.87 即 95.87%）：请写 'rate >= 90'，不要写 'rate >= 90%'",
    ),
    (
        "formula-percent-sign",
        "'%' after a number is not a percent sign in a formula",
        "在公式中，数字后的 '%' 不是百分号",
    ),
    ("formula-bang", "'!' (not) is not part of the formula language", "公式语言中没有 '!'（非）"),
    ("formula-hint-write-not", "write 'not': 'not p'", "请写 'not'：'not p'"),
    (
        "formula-hint-assign-compare",
        "write '==' to compare: 'full if level == \"达成\" else 0'",
        "比较请写 '=='：'full if level == \"达成\" else 0'",
    ),
    ("formula-unknown-rounding", "unknown rounding mode {mode!r}", "未知的舍入方式 {mode!r}"),
    (
        "formula-expect",
        "expect must be 'number' or 'bool', not {expect!r}",
        "expect 须为 'number' 或 'bool'，而不是 {expect!r}",
    ),
    ("formula-empty", "formula is empty", "公式为空"),
    (
        "formula-too-long",
        "formula has {length} characters, the limit is {limit}",
        "公式有 {length} 个字符，上限是 {limit}",
    ),
    (
        "formula-hint-one-line",
        "a YAML literal block (|) keeps line breaks, use a plain or folded (>) scalar",
        "YAML 的字面块（|）会保留换行，请用普通标量或折叠块（>）",
    ),
    ("formula-one-line", "a formula must be one line", "公式必须写在一行内"),
    (
        "formula-gives",
        "formula gives {result}, expected {expect}",
        "公式的结果是 {result}，应为 {expect}",
    ),
    # scoring methods: compile and run-time errors (_methods/*.py)
    (
        "method-template-format",
        "template placeholder {{{placeholder}}} has an unknown format {spec!r}",
        "模板占位符 {{{placeholder}}} 的格式 {spec!r} 无法识别",
    ),
    (
        "method-hint-template-formats",
        "formats: .2f (2 decimals), .1% (× 100, 1 decimal, '%'); 0 to 6 places",
        "可用格式：.2f（保留 2 位小数）、.1%（乘以 100，保留 1 位小数，加 '%'）；小数位 0 到 6 位",
    ),
    (
        "method-template-unknown-name",
        "template names {name!r}, which is not a fact or derived value",
        "模板引用了 {name!r}，它不是事实，也不是派生值",
    ),
    (
        "method-template-unbalanced",
        "unbalanced '{{' or '}}' in template",
        "模板中的 '{{' 或 '}}' 不成对",
    ),
    (
        "method-hint-template-brace",
        "write '{{{{' or '}}}}' for a literal brace",
        "要显示花括号本身，请写 '{{{{' 或 '}}}}'",
    ),
    ("method-no-band", "no band holds {measure} = {value}", "没有哪个分档包含 {measure} = {value}"),
    (
        "method-hint-no-band",
        "add a band for this value or an 'otherwise' score",
        "请为该值增加一个分档，或设置 'otherwise' 得分",
    ),
    ("method-ratio-target-zero", "ratio target is zero", "比率的目标值为零"),
    ("method-detail-actual", "actual", "实际值"),
    ("method-detail-target", "target", "目标值"),
    (
        "method-hint-when-target-zero",
        "declare when_target_zero for this indicator",
        "请为该指标声明 when_target_zero",
    ),
    ("method-floor-above-max", "floor {floor} is above max {max}", "下限 {floor} 高于满分 {max}"),
    ("method-item-twice", "item id {id!r} is used twice", "条目编号 {id!r} 用了两次"),
    ("method-checklist-floor", "floor is above max", "下限高于满分"),
    (
        "method-item-negative",
        "item {id!r} deducts a negative amount ({amount})",
        "条目 {id!r} 扣减的分数为负数（{amount}）",
    ),
    ("method-detail-points", "points", "分值"),
    (
        "method-tiers-level",
        "tiers.level must name an enum fact, got {name!r}",
        "tiers.level 须指向枚举类型的事实，实际是 {name!r}",
    ),
    (
        "method-tiers-score",
        "tiers.score must name a number fact, got {name!r}",
        "tiers.score 须指向数字类型的事实，实际是 {name!r}",
    ),
    ("method-tier-twice", "tier {level!r} is listed twice", "档次 {level!r} 列了两次"),
    (
        "method-tier-default",
        "default {default} lies outside the tier's range {range}",
        "默认分 {default} 不在该档次的范围 {range} 内",
    ),
    (
        "method-tier-range",
        "tier range {range} must lie within [0, 100] (percent of max)",
        "档次范围 {range} 须在 [0, 100] 之内（占满分的百分比）",
    ),
    (
        "method-tiers-values",
        "tiers must match the values of fact {name!r}: missing {missing}, unknown {unknown}",
        "tiers 须与事实 {name!r} 的取值一一对应：缺少 {missing}，多出 {unknown}",
    ),
    ("method-tier-named", "{level!r} ({label})", "{level!r}（{label}）"),
    (
        "method-tier-terms",
        "tier {level!r} is {range} % of the {top} points, {points}",
        "档次 {level!r} 为 {top} 分的 {range} %，即 {points}",
    ),
    (
        "method-tier-fit",
        "the level {level!r}, whose range holds {value}",
        "范围包含 {value} 的档次 {level!r}",
    ),
    ("method-another-level", "another level", "其他档次"),
    (
        "method-hint-tier-only",
        "tier {level!r} allows only {only}: give {other}",
        "档次 {level!r} 只允许 {only} 分：请改填{other}",
    ),
    (
        "method-hint-tier-score-or",
        "{terms}: give a score in it, or {other}",
        "{terms}：请给出该范围内的分数，或改填{other}",
    ),
    (
        "method-tier-allows-only",
        "tier {level!r} allows only {only}",
        "档次 {level!r} 只允许 {only} 分",
    ),
    (
        "method-hint-tier-choose",
        "give the level that was assessed, one of {levels}",
        "请填写评定的档次，可选 {levels}",
    ),
    ("method-hint-tier-allows", "{allows}: {choose}", "{allows}：{choose}"),
    (
        "method-hint-tier-give-score",
        "{terms}: give {score!r} a score in it, or another level",
        "{terms}：请为 {score!r} 给出该范围内的分数，或改填其他档次",
    ),
    (
        "method-tier-no-level",
        "{name!r} has no value: the assessed tier is needed to score this",
        "{name!r} 没有值：评分需要评定的档次",
    ),
    ("method-hint-give-one-of", "give one of {values}", "请填写以下之一：{values}"),
    (
        "method-tier-mismatch",
        "assessed score {value} is outside tier {tier}, which allows {allows}",
        "评定得分 {value} 不在档次 {tier} 允许的范围 {allows} 内",
    ),
    (
        "method-tier-needs-score",
        "tier {tier} has no default score and needs an assessed score",
        "档次 {tier} 没有默认分，需要填写评定得分",
    ),
    (
        "method-tier-needs-score-in",
        "tier {tier} has no default score and needs an assessed score in {score!r}",
        "档次 {tier} 没有默认分，需要在 {score!r} 中填写评定得分",
    ),
)

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {key: english for key, english, _ in _ROWS},
    "zh": {key: chinese for key, _, chinese in _ROWS},
}
