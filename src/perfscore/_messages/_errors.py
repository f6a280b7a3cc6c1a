"""Messages of errors and hints raised while loading rubrics and facts and while scoring.

Written as one row per message, ``(key, English, Chinese)``, so a reader sees both wordings side
by side and a row cannot lose one of them; `TABLE` is built from the rows. The English is the
text ``str(error)`` has always shown: change it only together with the tests that pin it.
"""

from __future__ import annotations

from typing import Final

_ROWS: Final[tuple[tuple[str, str, str], ...]] = (
    # documents (_load/_document.py)
    ("doc-cannot-open", "cannot open {name!r}: {reason}", "无法打开 {name!r}：{reason}"),
    ("doc-not-a-file", "{name!r} is {kind}, not a file", "{name!r} 是{kind}，不是文件"),
    ("doc-kind-folder", "a folder", "文件夹"),
    ("doc-kind-fifo", "a named pipe", "命名管道"),
    ("doc-kind-chr", "a character device", "字符设备"),
    ("doc-kind-blk", "a block device", "块设备"),
    ("doc-kind-sock", "a socket", "套接字"),
    ("doc-kind-other", "not a regular file", "非普通文件"),
    (
        "doc-hint-give-file",
        "give the path of a YAML or JSON file",
        "请给出 YAML 或 JSON 文件的路径",
    ),
    (
        "doc-hint-give-file-inside",
        "give the path of a YAML or JSON file inside it",
        "请给出其中某个 YAML 或 JSON 文件的路径",
    ),
    ("usage-unknown-encoding", "unknown encoding {encoding!r}", "未知的编码 {encoding!r}"),
    ("usage-hint-gb18030", "try 'gb18030'", "可尝试 'gb18030'"),
    (
        "usage-document-format",
        "format must be 'yaml' or 'json', got {format!r}",
        "格式须为 'yaml' 或 'json'，收到的是 {format!r}",
    ),
    ("doc-forbidden-character", "forbidden character U+{code}", "禁用字符 U+{code}"),
    (
        "doc-forbidden-character-named",
        "forbidden character U+{code} ({label})",
        "禁用字符 U+{code}（{label}）",
    ),
    (
        "doc-hint-forbidden",
        "delete it: control, bidi and zero-width characters can hide what the text says",
        "请删除它：控制字符、双向控制字符和零宽字符会遮蔽文本的真实内容",
    ),
    (
        "doc-too-large",
        "file is {size:,} bytes, over the limit of {limit:,} bytes",
        "文件有 {size:,} 字节，超过上限 {limit:,} 字节",
    ),
    (
        "doc-hint-split-or-trim",
        "split the file or remove unused content",
        "请拆分文件或删除不用的内容",
    ),
    ("doc-invalid-byte", "invalid {codec} byte {byte}", "无效的 {codec} 字节 {byte}"),
    ("doc-invalid-utf8", "invalid UTF-8 byte {byte}", "无效的 UTF-8 字节 {byte}"),
    (
        "doc-invalid-utf8-gb",
        "invalid UTF-8 byte {byte}; the file looks GB18030/GBK-encoded",
        "无效的 UTF-8 字节 {byte}；文件看起来是 GB18030/GBK 编码",
    ),
    ("doc-hint-save-utf8", "save the file as UTF-8", "请将文件另存为 UTF-8 编码"),
    (
        "doc-is-zip",
        "this is a zip archive (an .xlsx workbook or a .docx file), not YAML or JSON text",
        "这是 zip 压缩文件（.xlsx 工作簿或 .docx 文件），不是 YAML 或 JSON 文本",
    ),
    (
        "doc-hint-zip",
        "a fact-entry workbook is read when its name ends in .xlsx: rename it",
        "事实填报工作簿要以 .xlsx 结尾才会按工作簿读取：请改名",
    ),
    (
        "doc-is-ole",
        "this is an old binary Office file (.xls, .doc or a WPS .et), not YAML or JSON text",
        "这是旧版二进制 Office 文件（.xls、.doc 或 WPS 的 .et），不是 YAML 或 JSON 文本",
    ),
    (
        "doc-hint-ole",
        "save a spreadsheet as an Excel workbook (*.xlsx) and score that",
        "请把表格另存为 Excel 工作簿（*.xlsx）再评分",
    ),
    (
        "doc-is-pdf",
        "this is a PDF file, not YAML or JSON text",
        "这是 PDF 文件，不是 YAML 或 JSON 文本",
    ),
    (
        "doc-hint-pdf",
        "perfscore reads facts from YAML, JSON or the fact-entry workbook (perfscore template "
        "RUBRIC --format xlsx); type the report's figures into one of them",
        "perfscore 从 YAML、JSON 或事实填报工作簿（perfscore template 评分规则 --format xlsx）"
        "读取事实：请把报告中的数据填入其中之一",
    ),
    (
        "doc-is-binary",
        "this file is binary, not YAML or JSON text",
        "这是二进制文件，不是 YAML 或 JSON 文本",
    ),
    (
        "doc-hint-binary",
        "give a facts document (.yaml, .json) or a fact-entry workbook (.xlsx)",
        "请给出事实文档（.yaml、.json）或事实填报工作簿（.xlsx）",
    ),
    (
        "doc-hint-iconv",
        "convert it with `iconv -f GB18030 -t UTF-8 {name} > {name}.utf8`, "
        'or pass encoding="gb18030" (CLI: --encoding gb18030)',
        "请用 `iconv -f GB18030 -t UTF-8 {name} > {name}.utf8` 转换，"
        '或传入 encoding="gb18030"（命令行：--encoding gb18030）',
    ),
    (
        "doc-too-many-nodes",
        "the document has more than {limit:,} values",
        "文档中的值超过 {limit:,} 个",
    ),
    ("doc-hint-split", "split the file", "请拆分文件"),
    (
        "doc-duplicate-key",
        "duplicate key {key} (first at line {line})",
        "重复的键 {key}（首次出现在第 {line} 行）",
    ),
    ("doc-hint-keep-one", "keep one of the two entries", "请只保留其中一项"),
    ("doc-too-deep", "the document nests deeper than {limit} levels", "文档嵌套超过 {limit} 层"),
    ("doc-hint-flatten", "flatten the structure", "请减少嵌套层次"),
    ("doc-too-deep-to-parse", "the document nests too deeply to parse", "文档嵌套太深，无法解析"),
    ("doc-out-of-memory", "out of memory while parsing", "解析时内存不足"),
    ("doc-second-document", "a second YAML document", "出现了第二个 YAML 文档"),
    (
        "doc-hint-one-document",
        "keep one document per file: remove the second '---' or split the file",
        "每个文件只放一个文档：请删除第二个 '---' 或拆分文件",
    ),
    ("doc-found-alias", "alias '*{anchor}'", "别名 '*{anchor}'"),
    ("doc-found-anchor", "anchor '&{anchor}'", "锚点 '&{anchor}'"),
    ("doc-found-merge-key", "merge key '<<'", "合并键 '<<'"),
    (
        "doc-alias",
        "anchors and aliases are not allowed (found {found})",
        "不允许使用锚点和别名（发现{found}）",
    ),
    ("doc-hint-write-out", "write the values out in full", "请把值完整写出"),
    ("doc-tag", "tag {tag!r} is not allowed", "不允许使用标签 {tag!r}"),
    (
        "doc-hint-tag",
        "remove the tag; perfscore reads plain YAML only",
        "请删除该标签；perfscore 只读取普通 YAML",
    ),
    ("doc-yaml-problem", "{problem}", "YAML 格式有误：{problem}"),
    # PyYAML's reasons, said in the catalogue's words (the English is PyYAML's own)
    (
        "doc-yaml-end-of-stream",
        "found unexpected end of stream",
        "文件意外结束：这里开始的括号或引号没有闭合",
    ),
    (
        "doc-yaml-unclosed-quote",
        "found unexpected end of stream: the quoted text that starts here is never closed",
        "这里开始的带引号文本没有闭合（缺少结尾的引号）",
    ),
    (
        "doc-yaml-flow-list",
        "did not find expected ',' or ']'",
        "这里应有 ','（隔开列表中的各项）或 ']'（结束列表）",
    ),
    (
        "doc-yaml-flow-mapping",
        "did not find expected ',' or '}}'",
        "这里应有 ','（隔开映射中的各项）或 '}}'（结束映射）",
    ),
    (
        "doc-yaml-dash-expected",
        "did not find expected '-' indicator",
        "这里应是以 '- ' 开头的列表项：同一列表的各项须对齐，且都以 '- ' 开头",
    ),
    ("doc-yaml-node-expected", "did not find expected node content", "这里应有一个值"),
    ("doc-yaml-key-expected", "did not find expected key", "这里应是一个键（key: value）"),
    (
        "doc-yaml-bad-start",
        "found character that cannot start any token",
        "这个字符不能作为 YAML 值的开头（如 @、`、%）",
    ),
    (
        "doc-hint-full-width-comma",
        "this is a full-width '，' (typed with a Chinese input method): YAML separates items with "
        "','",
        "这是全角逗号 '，'（中文输入法输入）：YAML 用半角 ',' 隔开各项",
    ),
    ("doc-hint-quote-text", "put the value in quotes: {quoted}", "请给值加引号：{quoted}"),
    ("doc-json-problem", "{problem}", "JSON 格式有误：{problem}"),
    # the json module's reasons, said in the catalogue's words (its own text is English)
    ("doc-json-key-expected", "a key in double quotes belongs here", "这里应是用双引号括起的键"),
    (
        "doc-json-key-trailing-comma",
        "a key in double quotes belongs here (JSON allows no ',' before '}}')",
        "这里应是用双引号括起的键（JSON 中 '}}' 之前不能有 ','）",
    ),
    (
        "doc-json-key-double-comma",
        "a key in double quotes belongs here, not a second ','",
        "这里应是用双引号括起的键，而不是又一个 ','",
    ),
    (
        "doc-json-key-single-quotes",
        "a key in double quotes belongs here: JSON quotes keys and texts with \", not '",
        "这里应是用双引号括起的键：JSON 的键和文本用 \" 括起，不用 '",
    ),
    (
        "doc-json-comma-expected",
        "a ',' belongs here, between two items",
        "这里应有 ','，把前后两项隔开",
    ),
    ("doc-json-colon-expected", "a ':' belongs here, after the key", "这里应有 ':'，写在键之后"),
    (
        "doc-json-value-expected",
        'a value belongs here: a number, a "text", true, false, null, a [list] or a {{mapping}}',
        '这里应是一个值：数、"文本"、true、false、null、[列表] 或 {{映射}}',
    ),
    (
        "doc-json-control-character",
        "a line break or tab inside a text: a text ends with '\"' on its own line",
        "文本中有换行或制表符：文本须在同一行内以 '\"' 结束",
    ),
    ("doc-json-unterminated", "a text is never closed with '\"'", "文本没有以 '\"' 结束"),
    (
        "doc-json-extra-data",
        "more text after the end of the JSON document",
        "JSON 文档结束之后还有内容",
    ),
    (
        "doc-json-escape",
        "an escape after '\\' that JSON does not have",
        "'\\' 之后的转义在 JSON 中不存在",
    ),
    ("doc-hint-tabs", "indent with spaces, not tabs", "请用空格缩进，不要用制表符"),
    (
        "doc-yaml-wide-indent",
        "line {line} is indented with a {code} space, which YAML does not take for indentation",
        "第 {line} 行用 {code} 空格（全角或不换行空格）缩进，YAML 不把它当作缩进",
    ),
    (
        "doc-hint-wide-indent",
        "indent with ordinary spaces: switch the input method to half-width before typing them",
        "请用半角空格缩进：输入空格前把输入法切换到半角",
    ),
    (
        "doc-not-key-value",
        "{word} is neither 'key: value' nor indented under a key",
        "{word} 既不是 'key: value'，也没有缩进在某个键之下",
    ),
    (
        "doc-hint-full-width-colon",
        "the colon here is the full-width '：': write the ASCII ':' and a space ('key: value')",
        "这里的冒号是全角的 '：'：请改为半角冒号加一个空格（'key: value'）",
    ),
    (
        "doc-hint-space-after-colon",
        "put a space after the colon: 'key: value', not 'key:value'",
        "冒号后要加一个空格：写成 'key: value'，而不是 'key:value'",
    ),
    (
        "doc-hint-key-value",
        "write 'key: value' on one line, or indent the value further than its key",
        "请把 'key: value' 写在同一行，或让值比它的键缩进更多",
    ),
    (
        "doc-colon-in-value",
        "the value of {key} holds ': ', which YAML reads as a new key",
        "{key} 的值中含有 ': '，YAML 会把它读成一个新键",
    ),
    (
        "doc-hint-quote-value-as",
        "quote the value: {key}: {quoted}",
        "请给值加引号：{key}: {quoted}",
    ),
    ("doc-hint-quote-value", "quote the value", "请给值加引号"),
    (
        "doc-indented-more",
        "line {line} is indented more than line {above} above it ({spaces}, not {indent})",
        "第 {line} 行比上面的第 {above} 行缩进更多（{spaces}，而不是 {indent} 个）",
    ),
    (
        "doc-hint-indent-like",
        "indent it with {indent} spaces like line {above}, or, if it continues "
        "the value of line {above}, quote that value",
        "请像第 {above} 行一样缩进 {indent} 个空格；如果它是第 {above} 行的值的延续，"
        "请给那个值加引号",
    ),
    (
        "doc-indent-no-level",
        "line {line} is indented {spaces}, which matches no level above it",
        "第 {line} 行缩进了 {spaces}，与上面任何一层都对不上",
    ),
    (
        "doc-hint-indent-levels",
        "indent it with {levels} spaces, like the keys it belongs with",
        "请缩进 {levels} 个空格，与它所属的键对齐",
    ),
    ("doc-either", "{first} or {second}", "{first} 或 {second}"),
    ("doc-space", "{count} space", "{count} 个空格"),
    ("doc-spaces", "{count} spaces", "{count} 个空格"),
    ("doc-key-collection", "a mapping or sequence cannot be a key", "映射或列表不能作为键"),
    ("doc-hint-plain-keys", "keys are plain strings", "键只能是普通字符串"),
    ("doc-key-block", "a block scalar cannot be a key", "块标量不能作为键"),
    ("doc-hint-plain-key", "use a plain key", "请使用普通的键"),
    (
        "doc-key-not-string",
        "key {key!r} is {kind}, not a string",
        "键 {key!r} 是{kind}，不是字符串",
    ),
    ("doc-kind-boolean", "a boolean", "布尔值"),
    ("doc-kind-null", "null", "空值（null）"),
    ("doc-kind-number", "a number", "数字"),
    ("doc-hint-quote-key", 'quote it: "{key}"', '请加引号："{key}"'),
    ("doc-hint-key-name", "write the key's name", "请写出键名"),
    (
        "doc-json-constant",
        "{value} is not a JSON number perfscore accepts (NaN/Infinity)",
        "{value} 不是 perfscore 接受的 JSON 数字（NaN/Infinity）",
    ),
    ("doc-json-int", "integer of more than {digits} digits", "整数超过 {digits} 位"),
    ("doc-json-number", "number of more than {chars} characters", "数字超过 {chars} 个字符"),
    ("doc-hint-number", "write a number", "请写一个数字"),
    # references to other files (_load/_paths.py)
    ("path-folder-of", "the folder of {name}", "{name} 所在的文件夹"),
    ("path-either", "{first} or {second}", "{first} 或 {second}"),
    (
        "path-hint-copy",
        "copy the file into the folder of {name} (or a folder below it) and refer to "
        "it relatively; a bundled rubric is referred to as id@version",
        "请把文件复制到 {name} 所在的文件夹（或其下的文件夹）并用相对路径引用；"
        "内置评分规则用 id@version 引用",
    ),
    (
        "path-absolute",
        "{path} is an absolute path; references must stay inside {folders}",
        "{path} 是绝对路径；引用不能超出 {folders}",
    ),
    ("path-outside", "{path} leads outside {folders}", "{path} 指向了 {folders} 之外"),
    (
        "path-symlink",
        "{path} is, or passes through, a symlink that leads outside {folders}",
        "{path} 本身是或经过一个符号链接，指向了 {folders} 之外",
    ),
    # inheritance (_load/_extends.py)
    (
        "extends-not-a-reference",
        "extends must be a rubric path or id@version",
        "extends 须为评分规则的路径或 id@version",
    ),
    (
        "extends-cycle",
        "extends chain is a cycle or longer than {limit}: {chain}",
        "extends 继承链成环或超过 {limit} 层：{chain}",
    ),
    (
        "extends-base-not-mapping",
        "the extended rubric is not a mapping",
        "被继承的评分规则不是映射",
    ),
    (
        "extends-problems",
        "{name}: {count} problem(s) in extends",
        "{name}：继承（extends）中有 {count} 个问题",
    ),
    ("extends-remove-not-list", "remove must be a list of ids", "remove 须为 id 列表"),
    (
        "extends-remove-unknown",
        "remove names {name!r}, which the extended rubric does not have",
        "remove 中的 {name!r} 在被继承的评分规则中不存在",
    ),
    (
        "extends-section-not-mapping",
        "{section} must map ids to changes",
        "{section} 须为 id 到修改内容的映射",
    ),
    (
        "extends-section-unknown",
        "{section} names {name!r}, which is not an indicator or group of the extended rubric",
        "{section} 中的 {name!r} 不是被继承评分规则中的指标或指标组",
    ),
    (
        "extends-change-not-mapping",
        "a {section} must be a mapping of keys",
        "{section} 的每一项须为键的映射",
    ),
    (
        "extends-add-not-list",
        "add must be a list of {{parent, after?, item}}",
        "add 须为 {{parent, after?, item}} 的列表",
    ),
    (
        "extends-add-no-item",
        "an addition needs an 'item' (and a 'parent', except for a top-level group)",
        "新增项需要 'item'（除顶层指标组外还需要 'parent'）",
    ),
    (
        "extends-add-no-group",
        "add: no group {name!r} in the extended rubric",
        "add：被继承的评分规则中没有指标组 {name!r}",
    ),
    (
        "extends-add-not-group",
        "add: {name!r} is not a group with children",
        "add：{name!r} 不是含下级指标的指标组",
    ),
    ("extends-add-child-of", "a child of {name!r}", "{name!r} 的下级"),
    ("extends-add-top-level", "a top-level group", "顶层指标组"),
    (
        "extends-add-after-and-before",
        "add: give 'after' or 'before', not both",
        "add：'after' 与 'before' 只能给一个",
    ),
    ("extends-add-not-sibling", "add: {name!r} is not {owner}", "add：{name!r} 不是{owner}"),
    # what a value is (describe) and what a problem is about (subjects)
    ("value-null", "nothing (null)", "空值（null）"),
    ("value-boolean", "boolean {value}", "布尔值 {value}"),
    ("value-number", "number {value}", "数字 {value}"),
    ("value-text", "text {value}", "文本 {value}"),
    ("value-text-unquoted", "text", "文本"),
    ("value-mapping", "a mapping", "映射"),
    ("value-list", "a list", "列表"),
    ("value-float", "float {value}", "浮点数 {value}"),
    ("value-date", "date {value}", "日期 {value}"),
    ("value-datetime", "date and time {value}", "日期时间 {value}"),
    ("value-other", "{kind} {value}", "{kind} {value}"),
    ("hint-did-you-mean", "did you mean {name!r}?", "是不是要写 {name!r}？"),
    ("subject-fact", "fact {id!r}", "事实 {id!r}"),
    ("subject-derived", "derived value {id!r}", "派生值 {id!r}"),
    ("subject-indicator", "indicator {id!r}", "指标 {id!r}"),
    ("subject-group", "group {id!r}", "指标组 {id!r}"),
    ("subject-check", "check {id!r}", "校验 {id!r}"),
    ("subject-item", "item {id!r}", "条目 {id!r}"),
    ("subject-entry", "entry {id!r}", "项 {id!r}"),
    ("subject-and-item", "{subject}, item {id!r}", "{subject}，条目 {id!r}"),
    ("subject-key", "key {key!r}", "键 {key!r}"),
    # the rubric format (_load/_model.py)
    ("rubric-expected-number", "expected a number, got {got}", "应为数字，实际是{got}"),
    ("rubric-expected-id", "expected an id, got {got}", "应为 id，实际是{got}"),
    (
        "rubric-id-underscore",
        "id {value} starts with '_'; an id starts with a letter (letters, digits, '_')",
        "id {value} 以 '_' 开头；id 须以字母开头（由字母、数字和 '_' 组成）",
    ),
    (
        "rubric-id-not-ascii",
        "id {value} is not an ASCII identifier (letters, digits, '_'; Chinese belongs in "
        "'name' or 'label')",
        "id {value} 不是 ASCII 标识符（只能用字母、数字和 '_'；中文请写在 'name' 或 'label' 中）",
    ),
    ("rubric-expected-text", "expected text, got {got}", "应为文本，实际是{got}"),
    ("rubric-expected-formula", "expected a formula, got {got}", "应为公式，实际是{got}"),
    (
        "rubric-range-unknown-constant",
        "range {value} names {name}, which is not a constant; declare it under 'constants:'",
        "区间 {value} 中的 {name} 不是常量；请在 'constants:' 下声明它",
    ),
    (
        "rubric-range-unknown-constant-hint",
        "range {value} names {name}, which is not a constant; {hint}",
        "区间 {value} 中的 {name} 不是常量；{hint}",
    ),
    (
        "rubric-range-expected",
        "expected a range like '[80, 90)', got {got}",
        "应为形如 '[80, 90)' 的区间，实际是{got}",
    ),
    (
        "rubric-range-unreadable",
        "cannot read range {value}; write it like '[80, 90)' ('[' includes the edge, "
        "'(' excludes it, 'inf' for no bound)",
        "无法读取区间 {value}；请写成 '[80, 90)' 的形式（'[' 包含端点，'(' 不包含，"
        "'inf' 表示不设界）",
    ),
    (
        "rubric-range-infinite-edge",
        "range {value}: an infinite edge cannot be included; write '(-inf' or 'inf)'",
        "区间 {value}：无穷的端点不能包含在内；请写成 '(-inf' 或 'inf)'",
    ),
    ("rubric-range-empty", "range {value} is empty", "区间 {value} 是空的"),
    (
        "rubric-rounding-mode",
        "unknown rounding mode {value}; use one of {modes}",
        "未知的舍入方式 {value}；可用的有 {modes}",
    ),
    ("rubric-ordered-enum-only", "'ordered' belongs to enums only", "'ordered' 只用于枚举（enum）"),
    (
        "rubric-field-default-optional",
        "a field with a default is optional already; drop 'required'",
        "有默认值的字段本来就可以不填；请去掉 'required'",
    ),
    ("rubric-enum-needs-values", "an enum needs 'values'", "枚举（enum）需要 'values'"),
    ("rubric-enum-duplicate", "an enum lists a value twice", "枚举中有重复的值"),
    ("rubric-values-enum-only", "'values' belongs to enums only", "'values' 只用于枚举（enum）"),
    (
        "rubric-min-max-numbers-only",
        "'min' and 'max' belong to numbers only",
        "'min' 和 'max' 只用于数值",
    ),
    ("rubric-min-above-max", "min is greater than max", "min 大于 max"),
    (
        "rubric-plausible-numbers-only",
        "'plausible' belongs to numbers only",
        "'plausible' 只用于数值",
    ),
    (
        "rubric-plausible-outside",
        "plausible range {plausible} reaches outside the bounds {bounds}; a plausible "
        "range narrows what min and max allow",
        "合理区间 {plausible} 超出了取值范围 {bounds}；合理区间应在 min 和 max 允许的范围之内",
    ),
    ("rubric-list-needs-fields", "a list fact needs 'fields'", "列表型事实需要 'fields'"),
    (
        "rubric-fields-lists-only",
        "'fields' and 'max_items' belong to list facts only",
        "'fields' 和 'max_items' 只用于列表型事实",
    ),
    (
        "rubric-fact-default-optional",
        "a fact with a default is optional already; drop 'required'",
        "有默认值的事实本来就可以不填；请去掉 'required'",
    ),
    (
        "rubric-one-method",
        "{what} needs exactly one scoring method ({methods}); found {found}",
        "{what}须有且只有一种计分方法（{methods}）；实际有：{found}",
    ),
    ("rubric-what-indicator", "an indicator", "指标"),
    ("rubric-what-rule", "a rule", "规则"),
    ("rubric-none", "none", "无"),
    (
        "rubric-group-children-or-records",
        "a group needs either 'children' or 'records' (indicators listed in the facts)",
        "指标组须有 'children' 或 'records'（由事实列出指标）二者之一",
    ),
    (
        "rubric-format-version",
        "format version {got} is not supported; this perfscore reads format {want}",
        "不支持格式版本 {got}；本版 perfscore 读取格式 {want}",
    ),
    (
        "rubric-id",
        "rubric id {value} must be lowercase ASCII letters, digits, '-', '_' or '.'",
        "评分规则 id {value} 只能由小写 ASCII 字母、数字、'-'、'_' 或 '.' 组成",
    ),
    (
        "rubric-version",
        "version {value} must be ASCII letters, digits, '.', '-' or '_'",
        "版本 {value} 只能由 ASCII 字母、数字、'.'、'-' 或 '_' 组成",
    ),
    (
        "rubric-not-mapping",
        "a rubric must be a mapping of keys, got {got}",
        "评分规则须为键的映射，实际是{got}",
    ),
    (
        "rubric-is-case-file",
        "this is a case file (it lists 'cases' for a rubric), not a rubric",
        "这是案例文件（它为某个评分规则列出 'cases'），不是评分规则",
    ),
    (
        "rubric-hint-case-file",
        "run its cases with 'perfscore test {name}'; check the rubric it names under 'rubric:'",
        "请用 'perfscore test {name}' 运行其中的案例；并检查它在 'rubric:' 下指定的评分规则",
    ),
    (
        "facts-is-scorecard",
        "this is a scorecard (perfscore's result for {ref}), not a facts document",
        "这是评分卡（perfscore 按 {ref} 评出的结果），不是事实文档",
    ),
    (
        "rubric-is-scorecard",
        "this is a scorecard (perfscore's result for {ref}), not a rubric",
        "这是评分卡（perfscore 按 {ref} 评出的结果），不是评分规则",
    ),
    (
        "hint-scorecard",
        "score the facts document it was made from; in Python, Scorecard.model_validate_json "
        "reads it back",
        "请为它所依据的事实文档评分；在 Python 中可用 Scorecard.model_validate_json 读回",
    ),
    (
        "facts-is-rubric",
        "this is a rubric (it declares 'perfscore:' and its indicators), not a facts document",
        "这是评分规则（其中声明了 'perfscore:' 和指标），不是事实文档",
    ),
    (
        "facts-hint-rubric",
        "score a facts document with it: perfscore score FACTS.yaml --rubric {name}; check it "
        "with perfscore check {name}",
        "请用它为事实文档评分：perfscore score 事实.yaml --rubric {name}；检查它：perfscore check "
        "{name}",
    ),
    (
        "rubric-is-facts-document",
        "this is a facts document (it gives 'facts' to score), not a rubric",
        "这是事实文档（其中是待评分的 'facts'），不是评分规则",
    ),
    (
        "rubric-hint-facts-document",
        "score it with 'perfscore score {name}'",
        "请用 'perfscore score {name}' 为它评分",
    ),
    (
        "rubric-hint-facts-document-ref",
        "score it with 'perfscore score {name}'; the rubric it names is checked with "
        "'perfscore check {ref}'",
        "请用 'perfscore score {name}' 为它评分；它所指的评分规则可以用 'perfscore check {ref}' "
        "检查",
    ),
    (
        "rubric-problems",
        "{name}: {count} problem(s) in the rubric",
        "{name}：评分规则中有 {count} 个问题",
    ),
    (
        "rubric-use-unknown",
        "use names {name}, which is not a rule template",
        "use 指定的 {name} 不是规则模板",
    ),
    (
        "rubric-args-not-mapping",
        "args must be a mapping of parameter: value",
        "args 须为“参数: 值”的映射",
    ),
    (
        "rubric-template-args",
        "template {name!r} takes {params}: {problems}",
        "模板 {name!r} 的参数是 {params}：{problems}",
    ),
    ("rubric-template-missing", "missing {names}", "缺少 {names}"),
    ("rubric-template-unknown", "unknown {names}", "多出 {names}"),
    ("rubric-template-both", "{missing}, {unknown}", "{missing}，{unknown}"),
    (
        "rubric-template-and-method",
        "an indicator that uses a template cannot also give {taken}",
        "使用模板的指标不能再给出 {taken}",
    ),
    (
        "rubric-hint-template-rule",
        "the template gives the rule; change the template, or write the rule without use",
        "规则由模板给出；请修改模板，或不用 use 而直接写出规则",
    ),
    ("rubric-unknown-key", "unknown key {key!r}", "未知的键 {key!r}"),
    (
        "rubric-hint-other-part",
        "{key!r} is a key of another part of the format, not of this one",
        "{key!r} 是格式中其他部分的键，不属于这里",
    ),
    ("rubric-hint-keys-here", "the keys here are {keys}", "这里可用的键有 {keys}"),
    ("rubric-missing-key", "missing key {key!r}", "缺少键 {key!r}"),
    (
        "rubric-bound",
        "{key} must be {word} {limit}, got {shown}",
        "{key} 须{word} {limit}，实际是 {shown}",
    ),
    ("rubric-word-greater", "greater than", "大于"),
    ("rubric-word-at-least", "at least", "不小于"),
    ("rubric-word-less", "less than", "小于"),
    ("rubric-word-at-most", "at most", "不大于"),
    (
        "rubric-literal",
        "{key} must be {expected}, got {shown}",
        "{key} 须为 {expected}，实际是 {shown}",
    ),
    ("rubric-allowed-values", "one of the allowed values", "允许的值之一"),
    ("rubric-one-of", "{most} or {last}", "{most} 或 {last}"),
    ("rubric-format-problem", "{problem}", "不符合评分规则格式：{problem}"),
    (
        "rubric-wrong-type",
        "{key} must be {expected}, got {got}",
        "{key} 须为{expected}，实际是{got}",
    ),
    ("rubric-type-list", "a list", "列表"),
    ("rubric-type-mapping", "a mapping of keys", "由键组成的映射"),
    ("rubric-type-text", "text", "文本"),
    ("rubric-type-boolean", "true or false", " true 或 false"),
    ("rubric-type-integer", "a whole number", "整数"),
    (
        "rubric-hint-write-list",
        "write it as a list, each item on its own line after '- ' (see docs/rubric-format.md)",
        "请写成列表，每项单独一行，以 '- ' 开头（见 docs/rubric-format.md）",
    ),
    (
        "rubric-hint-derived-block",
        "a derived value is a block with its formula and label: {name}: {{formula: {formula}, "
        "label: ...}}",
        "派生值写成含公式和名称的块：{name}: {{formula: {formula}, label: ...}}",
    ),
    (
        "rubric-hint-write-mapping",
        "write it as keys and values, one 'key: value' per line, indented under {key}",
        "请写成键和值，每行一个 '键: 值'，缩进写在 {key} 之下",
    ),
    (
        "rubric-hint-block-or-none",
        "{key} is a block such as {{step: 0.5, mode: half_up}}, or the word none",
        "{key} 写成一个块，如 {{step: 0.5, mode: half_up}}，或写 none（不取整）",
    ),
    (
        "rubric-hint-quote-version",
        'quote it: version: "{value}" (unquoted, YAML reads it as a number)',
        '请加引号：version: "{value}"（不加引号，YAML 会把它读成数字）',
    ),
    # rubrics and scoring calls (_rubric.py)
    (
        "usage-bad-argument",
        "{call}: {parameter} must be {expected}, got {got}",
        "{call}：{parameter} 须为{expected}，收到的是{got}",
    ),
    (
        "usage-expected-list",
        "a list of {items}",
        "由{items}组成的列表",
    ),
    (
        "usage-hint-pass-list",
        "pass a list of {items}, even of one: [x], not x",
        "请传入由{items}组成的列表，只有一个也要写成 [x]，而不是 x",
    ),
    ("usage-items-ids", "indicator ids (text)", "指标 id（文本）"),
    (
        "usage-items-documents",
        "facts documents, mappings of facts or paths",
        "事实文档、事实映射或路径",
    ),
    ("usage-items-facts-documents", "FactsDocument objects", "FactsDocument 对象"),
    ("usage-items-paths", "paths of files or folders", "文件或文件夹的路径"),
    ("usage-expected-text-or-none", "text or None", "文本或 None"),
    (
        "usage-expected-rubric-pair",
        "text when the other of rubric_id and rubric_version is given (both, or neither)",
        "文本：rubric_id 和 rubric_version 要么都给出，要么都不给",
    ),
    (
        "usage-expected-facts-mapping",
        "a mapping of fact ids to values",
        "事实 id 到值的映射",
    ),
    (
        "usage-expected-facts",
        "a FactsDocument, a mapping of fact ids to values or the path of a facts file",
        "FactsDocument、事实 id 到值的映射或事实文件的路径",
    ),
    (
        "usage-expected-facts-document",
        "a FactsDocument or the path of a facts file",
        "FactsDocument 或事实文件的路径",
    ),
    (
        "usage-expected-rubric",
        "a Rubric, the path of a rubric file or a bundled id@version",
        "Rubric、评分规则文件的路径或内置的 id@version",
    ),
    ("usage-expected-path", "a path (str or os.PathLike)", "路径（str 或 os.PathLike）"),
    (
        "usage-got-document-text",
        "text of {lines} lines, a document's own text",
        "共 {lines} 行的文本，即文档本身的内容",
    ),
    (
        "usage-hint-rubric-text",
        "give the rubric file's path; parse_rubric(text) reads a rubric from its text",
        "请给出评分规则文件的路径；评分规则的文本请用 parse_rubric(text) 读取",
    ),
    (
        "usage-hint-facts-text",
        "give the facts file's path; facts already read go to Rubric.evaluate as a mapping of "
        "the facts section",
        "请给出事实文件的路径；已读入的事实请以映射（facts 部分）传给 Rubric.evaluate",
    ),
    (
        "usage-expected-rubric-text",
        "YAML or JSON text (str or bytes)",
        "YAML 或 JSON 文本（str 或 bytes）",
    ),
    ("usage-expected-claims", "a perfscore.Claims or None", "perfscore.Claims 或 None"),
    (
        "usage-expected-claimed-scores",
        "a mapping of indicator ids (text) to scores",
        "指标 id（文本）到分数的映射",
    ),
    (
        "usage-expected-document",
        "the document load_facts read (FactsDocument.document) or None",
        "由 load_facts 读入的文档（FactsDocument.document）或 None",
    ),
    (
        "usage-hint-claims",
        "pass perfscore.Claims(indicators={{...}}, total=..., grade=...)",
        "请传入 perfscore.Claims(indicators={{...}}, total=..., grade=...)",
    ),
    ("usage-expected-boolean", "True or False", "True 或 False"),
    ("usage-expected-bag", "a dask.bag.Bag", "dask.bag.Bag"),
    ("usage-expected-line", "a line number (an int from 1)", "行号（从 1 起的整数）"),
    (
        "dask-no-jsonl",
        "no JSON Lines file matches {paths}",
        "没有与 {paths} 匹配的 JSON Lines 文件",
    ),
    (
        "dask-no-jsonl-hint",
        "give the files' paths or a glob pattern (data/*.jsonl), as the workers can open them",
        "请给出文件路径或通配模式（data/*.jsonl），须是各 worker 能打开的路径",
    ),
    ("usage-expected-indicator-id", "an indicator's id (text)", "指标的 id（文本）"),
    ("usage-not-a-name", "{call}: {parameter}: {problem}", "{call}：{parameter}：{problem}"),
    (
        "usage-expected-language",
        "None (English) or one of {choices}",
        "空值（None，即英文）或 {choices} 之一",
    ),
    (
        "usage-expected-indent",
        "None or a whole number of spaces from 0 to 16",
        "空值（None）或 0 到 16 的整数（空格数）",
    ),
    (
        "usage-expected-layout",
        "None (the rubric's own), 'department' or 'project'",
        "空值（None，用评分规则自己的表样）、'department' 或 'project'",
    ),
    ("usage-expected-encoding", "an encoding name or None", "编码名称或 None"),
    ("usage-expected-scorecard", "a Scorecard", "Scorecard"),
    (
        "usage-expected-total",
        "a finite int or Decimal of at most 1E+15 in size",
        "绝对值不超过 1E+15 的有限整数或 Decimal",
    ),
    ("usage-expected-one-of", "one of {choices}", "以下之一：{choices}"),
    (
        "usage-processes",
        "evaluate_many: processes must be None, 0 or a positive number, got {value!r}",
        "evaluate_many：processes 须为 None、0 或正整数，收到的是 {value!r}",
    ),
    (
        "usage-hint-processes",
        "None scores in this process; 0 starts one worker per CPU",
        "None 表示在本进程中计分；0 表示每个 CPU 启动一个工作进程",
    ),
    (
        "usage-chunksize",
        "evaluate_many: chunksize must be a positive number, got {value!r}",
        "evaluate_many：chunksize 须为正整数，收到的是 {value!r}",
    ),
    (
        "facts-problems",
        "{name}: {count} problem(s) in the facts",
        "{name}：事实中有 {count} 个问题",
    ),
    (
        "facts-look-like",
        "the facts look like a document for {other}, not {ref}: {known} of {count} fact "
        "names are {other}'s",
        "这些事实看起来是 {other} 的文档，而不是 {ref} 的：{count} 个事实名中有 {known} 个"
        "属于 {other}",
    ),
    (
        "facts-hint-look-like",
        "change the document's 'rubric' to {other}, the rubric its facts are written for",
        "请把文档的 'rubric' 改为 {other}，即这些事实所对应的评分规则",
    ),
    (
        "facts-problems-look-like",
        "{name}: looks like facts for {other}; {count} problem(s) against {ref}",
        "{name}：看起来是 {other} 的事实；对照 {ref} 有 {count} 个问题",
    ),
    (
        "facts-rubric-mismatch",
        "facts are for rubric {wanted}, not {ref}",
        "这些事实对应评分规则 {wanted}，而不是 {ref}",
    ),
    (
        "facts-hint-rubric-mismatch",
        "score with the rubric {wanted}, or change the document's 'rubric' to {ref} if it "
        "fits that version",
        "请用评分规则 {wanted} 计分；如果文档也适用于 {ref}，可以把文档的 'rubric' 改为它",
    ),
    (
        "facts-hint-rubric-mismatch-template",
        "this workbook was made for {wanted}: score it with {wanted}, or fill a template made "
        "for {ref} (perfscore template {ref} --format xlsx -o FILE) and copy the values over",
        "这份工作簿是为 {wanted} 生成的：请按 {wanted} 评分，或用 {ref} 生成模板（perfscore "
        "template {ref} --format xlsx -o 文件），再把数据复制过去",
    ),
    ("facts-unknown-indicator", "unknown indicator {id!r}", "未知的指标 {id!r}"),
    (
        "facts-not-applicable-forbidden",
        "indicator {id!r} ({name}) may not be marked not applicable",
        "指标 {id!r}（{name}）不能标为不涉及",
    ),
    (
        "facts-hint-not-applicable-forbidden",
        "the rubric declares no not_applicable rule for it",
        "评分规则没有为它规定 not_applicable（不涉及）的处理办法",
    ),
    (
        "scoring-group-emptied",
        "every indicator of group {id!r} ({name}) is marked not applicable ({marked}): its "
        "points would go nowhere",
        "指标组 {id!r}（{name}）的所有指标都标为不涉及（{marked}）：它的分值无处可去",
    ),
    (
        "scoring-hint-group-emptied",
        "a group keeps at least one applicable indicator; leave one of these applicable",
        "指标组至少要保留一个适用的指标；请让其中一个保持适用",
    ),
    (
        "facts-claim-unknown-indicator",
        "claimed score for unknown indicator {id!r}",
        "自评分所填的指标 {id!r} 不存在",
    ),
    (
        "usage-not-a-document",
        "evaluate_many: document {index} is {what}, not a facts document, a mapping of facts "
        "or a path",
        "evaluate_many：第 {index} 个文档是{what}，不是事实文档、事实映射或路径",
    ),
    (
        "usage-hint-not-a-document",
        "pass FactsDocument objects (load_facts), mappings of fact ids to values, or paths",
        "请传入 FactsDocument 对象（load_facts）、事实 id 到值的映射或路径",
    ),
    (
        "usage-unsendable",
        "evaluate_many: document {index} cannot be sent to a worker process: {kind}: {error}",
        "evaluate_many：第 {index} 个文档无法发送到工作进程：{kind}: {error}",
    ),
    (
        "usage-hint-unsendable",
        "documents for worker processes must pickle; score it with processes=None",
        "发送给工作进程的文档须能 pickle；请用 processes=None 计分",
    ),
    (
        "rubric-extends-not-found",
        "extends {ref!r}: no such rubric file next to {name} and not a bundled id@version",
        "extends {ref!r}：{name} 旁没有这个评分规则文件，它也不是内置的 id@version",
    ),
    ("rubric-detail-bundled", "bundled", "内置"),
    ("rubric-detail-searched", "searched", "已查找"),
    ("rubric-detail-search-path", "search path", "查找路径"),
    ("rubric-none-bundled", "none", "无"),
    ("rubric-no-bundled-folder", "no bundled rubric folder", "没有内置评分规则文件夹"),
    (
        "rubric-needs-version",
        "{id!r} names a rubric without its version",
        "{id!r} 只写了评分规则的 id，没有写版本",
    ),
    (
        "rubric-hint-versions",
        "write id@version; {id} has {versions}",
        "请写成 id@version；{id} 有这些版本：{versions}",
    ),
    (
        "rubric-hint-bundled-as",
        "{id} is bundled as {versions}",
        "内置的 {id} 有这些版本：{versions}",
    ),
    (
        "rubric-hint-name-bundled",
        "name a bundled rubric, or give the rubric file's path",
        "请写内置评分规则的名称，或给出评分规则文件的路径",
    ),
    ("rubric-not-bundled", "no bundled rubric {ref!r}", "没有内置评分规则 {ref!r}"),
    (
        "rubric-link-outside",
        "rubric {ref!r} in {root} is a link to {real}, outside that folder",
        "{root} 中的评分规则 {ref!r} 是指向 {real} 的链接，超出了该文件夹",
    ),
    (
        "rubric-hint-link-outside",
        "copy the rubric into the folder instead of linking to it",
        "请把评分规则复制到文件夹中，而不是链接过去",
    ),
    (
        "rubric-not-in-search-path",
        "no rubric {ref!r} in the search path or among the bundled ones",
        "查找路径和内置评分规则中都没有 {ref!r}",
    ),
    # facts documents (_load/_facts.py)
    ("facts-unknown-name", "unknown {what} {key!r}{where}", "未知的{what} {key!r}{where}"),
    ("facts-what-key", "key", "键"),
    ("facts-what-fact", "fact", "事实"),
    ("facts-what-field", "field", "字段"),
    ("facts-in-record", " in record {number}", "（第 {number} 条记录）"),
    ("facts-hint-keys", "the keys are {keys}", "可用的键有 {keys}"),
    (
        "facts-not-mapping-got",
        "a facts document must be a mapping with a 'facts' key, got {got}",
        "事实文档须为含 'facts' 键的映射，实际是{got}",
    ),
    (
        "facts-claim-implausible",
        "{what} {number} is beyond any score (at most {limit} in size)",
        "{what} {number} 超出了任何分数的范围（绝对值至多 {limit}）",
    ),
    (
        "facts-hint-enum-label",
        "{label!r} is the label of {value!r}: write {value!r}",
        "{label!r} 是 {value!r} 的名称：请填 {value!r}",
    ),
    (
        "facts-hint-indicator-by-name",
        "{name!r} is the name of indicator {id!r}: write its id, {ref}",
        "{name!r} 是指标 {id!r} 的名称：请写它的 id，{ref}",
    ),
    ("facts-empty", "the file is empty: it holds no facts", "文件是空的：其中没有任何事实"),
    (
        "facts-hint-empty",
        "perfscore template RUBRIC -o FILE writes a facts document to fill in",
        "perfscore template 评分规则 -o 文件 可生成一份待填写的事实文档",
    ),
    (
        "facts-rubric-ref",
        "rubric must be 'id@version', got {got}",
        "rubric 须为 'id@version'，实际是{got}",
    ),
    (
        "facts-hint-rubric-ref",
        "for example 'dept-overall-huizhou@2022.1'",
        "例如 'dept-overall-huizhou@2022.1'",
    ),
    ("facts-missing-facts-key", "missing key 'facts'", "缺少键 'facts'"),
    (
        "facts-facts-not-mapping",
        "'facts' must be a mapping, got {got}",
        "'facts' 须为映射，实际是 {got}",
    ),
    (
        "facts-na-not-list",
        "'not_applicable' must be a list of indicator ids",
        "'not_applicable' 须为指标 id 的列表",
    ),
    ("facts-envelope-problems", "{name}: {count} problem(s)", "{name}：共 {count} 个问题"),
    ("facts-must-be-text", "{key} must be text, got {got}", "{key} 须为文本，实际是 {got}"),
    (
        "facts-claimed-not-mapping",
        "'claimed' must be a mapping with indicators, total, grade",
        "'claimed' 须为含 indicators、total、grade 的映射",
    ),
    (
        "facts-claimed-indicators",
        "'claimed.indicators' must map indicator ids to scores",
        "'claimed.indicators' 须为指标 id 到得分的映射",
    ),
    ("facts-claimed-score-of", "claimed score of {id!r}", "{id!r} 的自评分"),
    ("facts-claimed-total", "claimed total", "自评总分"),
    (
        "facts-claimed-grade",
        "claimed grade must be text, got {got}",
        "自评等级须为文本，实际是 {got}",
    ),
    ("facts-must-be-number", "{what} must be a number, got {got}", "{what}须为数字，实际是{got}"),
    (
        "facts-must-be-finite",
        "{what} must be a finite number, got {got}",
        "{what}须为有限的数，实际是 {got}",
    ),
    (
        "facts-values-not-mapping",
        "facts must be a mapping of fact ids to values",
        "facts 须为事实 id 到值的映射",
    ),
    (
        "facts-whole-document",
        "this mapping is a whole facts document (it has {keys}), not the facts themselves",
        "这个映射是整份事实文档（含 {keys}），不是其中的事实",
    ),
    (
        "facts-hint-whole-document",
        "pass the mapping under its 'facts', or the FactsDocument perfscore.load_facts gives",
        "传入其中 'facts' 下的映射，或 perfscore.load_facts 给出的 FactsDocument",
    ),
    ("facts-missing-fact", "missing fact {id!r} ({label})", "缺少事实 {id!r}（{label}）"),
    (
        "facts-hint-missing-fact",
        "add '{id}: <{type}>' under facts",
        "请在 facts 下添加 '{id}: <{type}>'",
    ),
    (
        "facts-expected-null",
        "expected {expected}, got nothing (null)",
        "应为{expected}，实际是空值（null）",
    ),
    (
        "facts-hint-null",
        "fill in the value; write {{unknown: true}} only for one the sheet does not show",
        "请填写这个值；只有表上确实没有的值才写 {{unknown: true}}",
    ),
    (
        "facts-expected-float",
        "expected {expected}, got float {value!r}",
        "应为{expected}，实际是浮点数 {value!r}",
    ),
    (
        "facts-hint-float",
        "floats are inexact: pass Decimal('...') or an int (perfscore.load_facts reads a "
        "file's numbers exactly; yaml.safe_load and json.load make them floats)",
        "浮点数不精确：请传入 Decimal('...') 或整数（perfscore.load_facts 按原文精确读取文件中的"
        "数；yaml.safe_load 与 json.load 会把它们读成浮点数）",
    ),
    ("facts-expected", "expected {expected}, got {got}", "应为{expected}，实际是{got}"),
    (
        "facts-expected-finite",
        "expected a finite number, got {number}",
        "应为有限的数，实际是 {number}",
    ),
    ("facts-hint-boolean", "write true or false", "请写 true 或 false"),
    (
        "facts-hint-boolean-yaml11",
        "write true or false; YAML 1.1 readings such as 'yes' or 'no' are not booleans in "
        "perfscore",
        "请写 true 或 false；在 perfscore 中，'yes'、'no' 这类 YAML 1.1 的写法不是布尔值",
    ),
    ("facts-hint-boolean-word", "write {word} for {value!r}", "{value!r} 请写作 {word}"),
    (
        "facts-expected-boolean",
        "expected true or false, got {got}",
        "应为 true 或 false，实际是{got}",
    ),
    (
        "facts-expected-date",
        "expected a date YYYY-MM-DD, got {got}",
        "应为 YYYY-MM-DD 格式的日期，实际是{got}",
    ),
    (
        "facts-date-no-such-day",
        "{value!r} is written as a date, but the calendar has no such day",
        "{value!r} 写成了日期，但日历上没有这一天",
    ),
    (
        "facts-date-with-time",
        "expected a date YYYY-MM-DD, got a date and time {value!r}",
        "应为 YYYY-MM-DD 格式的日期，实际是日期加时间 {value!r}",
    ),
    (
        "facts-hint-date-only",
        "write the date alone: {day}",
        "只写日期：{day}",
    ),
    (
        "facts-hint-date",
        "write dates as 2022-01-30 (ISO 8601, no time or zone)",
        "日期请写成 2022-01-30（ISO 8601，不带时间和时区）",
    ),
    (
        "facts-expected-enum",
        "expected one of {values}, got {got}",
        "应为 {values} 之一，实际是{got}",
    ),
    ("facts-expected-text", "expected text, got {got}", "应为文本，实际是{got}"),
    ("facts-hint-quote-text", "quote the value to make it text", "请给值加引号，使它成为文本"),
    (
        "facts-text-too-long",
        "text of {length} characters is longer than {limit}",
        "文本有 {length} 个字符，超过上限 {limit}",
    ),
    (
        "facts-not-one-line",
        "{key} is printed on one line: it may not contain a line break, a control or an "
        "invisible character (U+{code})",
        "{key} 印在一行里：不能含有换行、控制字符或不可见字符（U+{code}）",
    ),
    (
        "facts-text-forbidden",
        "text contains the control or invisible character U+{code}",
        "文本中含有控制字符或不可见字符 U+{code}",
    ),
    (
        "facts-unknown-extra-key",
        "an unknown value has only the key 'unknown', got {key!r} too",
        "未知值只能有 'unknown' 一个键，却还有 {key!r}",
    ),
    (
        "facts-hint-doubtful-form",
        "a value given but not certain is {{value: ..., doubtful: <why>}}",
        "给出但不确定的值写作 {{value: ..., doubtful: <原因>}}",
    ),
    (
        "facts-unknown-in-record",
        "a list fact cannot be unknown inside a record",
        "记录中的列表型事实不能标为未知",
    ),
    (
        "facts-unknown-reason",
        "'unknown' must be true or the reason as text, got {got}",
        "'unknown' 须为 true 或用文本写明原因，实际是{got}",
    ),
    (
        "facts-unknown-yes-no",
        "'unknown: {word}' says yes or no, not why the value is unknown",
        "'unknown: {word}' 只表示是或否，没有说明为何数据不详",
    ),
    (
        "facts-hint-unknown-yes-no",
        "for an unknown value write {{unknown: true}} or the reason ({{unknown: 表格在此行截断}}); "
        "a known value is written bare",
        "数据不详时写 {{unknown: true}} 或写明原因（{{unknown: 表格在此行截断}}）；"
        "已知的值直接写出",
    ),
    (
        "facts-hint-unknown-reason",
        "for example {{unknown: 表格在此行截断}}; a known value is written bare",
        "例如 {{unknown: 表格在此行截断}}；已知的值直接写出",
    ),
    (
        "facts-doubtful-unknown-key",
        "unknown key {key!r} in a doubtful value",
        "存疑值中有未知的键 {key!r}",
    ),
    (
        "facts-hint-doubtful-keys",
        "a doubtful value has the keys 'value' and 'doubtful'",
        "存疑值的键是 'value' 和 'doubtful'",
    ),
    (
        "facts-doubtful-reason",
        "'doubtful' must say why, as text, got {got}",
        "'doubtful' 须用文本说明原因，实际是{got}",
    ),
    (
        "facts-hint-doubtful-reason",
        "for example {{value: 93, doubtful: OCR 看不清}}",
        "例如 {{value: 93, doubtful: OCR 看不清}}",
    ),
    ("facts-doubtful-needs-value", "a doubtful value needs its 'value'", "存疑值需要给出 'value'"),
    (
        "facts-value-needs-doubtful",
        "a value given as {{value: ...}} is a doubtful one, and needs its reason under 'doubtful'",
        "写成 {{value: ...}} 的是存疑值，须在 'doubtful' 下写明原因",
    ),
    (
        "facts-hint-doubtful-value",
        "write {{value: 93, doubtful: ...}}; a value not shown at all is {{unknown: true}}",
        "请写 {{value: 93, doubtful: ...}}；完全没有给出的值写作 {{unknown: true}}",
    ),
    ("facts-doubtful-single", "only a single value can be doubtful", "只有单个值可以标为存疑"),
    (
        "facts-doubtful-list",
        "a list fact cannot be doubtful; mark the doubtful fields of its records",
        "列表型事实不能标为存疑；请标出其记录中存疑的字段",
    ),
    ("facts-expected-mapping", "expected {expected}, got a mapping", "应为{expected}，实际是映射"),
    (
        "facts-hint-mapping",
        "a mapping marks a value: {{unknown: true}} for a value not known, "
        "{{value: ..., doubtful: <why>}} for a doubtful one",
        "映射用来标记值：未知的值写 {{unknown: true}}，存疑的值写 {{value: ..., doubtful: <原因>}}",
    ),
    (
        "facts-expected-records",
        "expected a list of records, got {got}",
        "应为记录列表，实际是{got}",
    ),
    (
        "facts-too-many-records",
        "list of {count} records is longer than {limit}",
        "列表有 {count} 条记录，超过上限 {limit}",
    ),
    (
        "facts-record-not-mapping",
        "record {number} must be a mapping of fields, got {got}",
        "第 {number} 条记录须为字段的映射，实际是{got}",
    ),
    (
        "facts-record-missing-field",
        "record {number} has no field {name!r} ({label})",
        "第 {number} 条记录缺少字段 {name!r}（{label}）",
    ),
    (
        "facts-implausible",
        "{number} is beyond any plausible value (limit {limit})",
        "{number} 超出了任何合理的值（上限 {limit}）",
    ),
    ("facts-expected-integer", "expected an integer, got {number}", "应为整数，实际是 {number}"),
    ("facts-below-min", "{number} is less than the minimum of {low}", "{number} 小于最小值 {low}"),
    (
        "facts-above-max",
        "{number} is greater than the maximum of {high}",
        "{number} 大于最大值 {high}",
    ),
    (
        "facts-hint-percent-units",
        "percent facts are written in percent units: 95.87 means 95.87%",
        "百分比事实以百分数为单位填写：95.87 表示 95.87%",
    ),
    (
        "facts-hint-quote-enum",
        "quote it: '{text}' (enum values are text; a bare {text} is a number)",
        "请加引号：'{text}'（枚举值是文本；不加引号的 {text} 是数字）",
    ),
    ("facts-type-number", "a number", "数字"),
    ("facts-type-integer", "an integer", "整数"),
    ("facts-type-percent", "a percent number", "百分数"),
    ("facts-type-boolean", "true or false", "布尔值（true 或 false）"),
    ("facts-type-date", "a date", "日期"),
    ("facts-type-enum", "one of the values", "所列值之一"),
    ("facts-type-text", "text", "文本"),
    ("facts-type-list", "a list", "列表"),
    (
        "facts-hint-no-thousands",
        "write {number} without thousands separators",
        "请写成 {number}，不要千位分隔符",
    ),
    (
        "facts-decimal-point",
        "use '.' as the decimal point, not {written!r}",
        "小数点请用 '.'，不要用 {written!r}",
    ),
    (
        "facts-hint-decimal-or-thousands",
        "write {decimal} ({point}), or {plain} without the thousands separator",
        "请写成 {decimal}（{point}），或写成不带千位分隔符的 {plain}",
    ),
    ("facts-hint-decimal", "write {decimal}: {point}", "请写成 {decimal}：{point}"),
    (
        "facts-hint-plain-number",
        "write the number with '.' as the decimal point and no separators, not {written!r}",
        "请用 '.' 作小数点、不带分隔符地写数字，不要用 {written!r}",
    ),
    (
        "facts-hint-invisible-space",
        "remove the invisible space around the number ({spaces}): it makes the number text",
        "请删去数字前后看不见的空白字符（{spaces}）：有了它，数字就成了文本",
    ),
    (
        "facts-hint-too-many-digits",
        "a number of {digits} characters is beyond any value a fact takes (at most 1E+15 in size)",
        "这个数有 {digits} 位，超出了任何事实可取的值（绝对值至多 1E+15）",
    ),
    (
        "facts-hint-unquote",
        "remove the quotes: numbers are written bare",
        "请去掉引号：数字直接写出",
    ),
    (
        "facts-hint-no-percent",
        "write {number} without '%': percent facts are in percent units",
        "请写成 {number}，不带 '%'：百分比事实以百分数为单位",
    ),
    (
        "facts-hint-no-underscores",
        "write {number} without underscores",
        "请写成 {number}，不带下划线",
    ),
    (
        "facts-hint-no-exponent",
        "write the number in full, without an exponent",
        "请完整写出数字，不用指数形式",
    ),
    (
        "facts-hint-ascii-digits",
        "use ASCII digits 0-9 (full-width or other scripts' digits are not accepted)",
        "请用 ASCII 数字 0-9（不接受全角数字或其他文字的数字）",
    ),
    (
        "facts-hint-no-nan",
        "NaN and infinity are not numbers perfscore accepts; write the value",
        "NaN 和无穷大不是 perfscore 接受的数字；请写出具体的值",
    ),
    (
        "facts-hint-bare-number",
        "write the bare number; the unit is declared in the rubric",
        "请只写数字；单位已在评分规则中声明",
    ),
    # compiling a rubric (_engine/_compile.py)
    ("subject-constant", "constant {id!r}", "常量 {id!r}"),
    ("subject-grades", "grades", "等级"),
    ("subject-rule", "{subject}, rule {key!r}", "{subject}，规则 {key!r}"),
    (
        "rubric-for-each-not-list",
        "for_each must name a list fact, got {name!r}",
        "for_each 须指定一个列表型事实，实际是 {name!r}",
    ),
    ("rubric-hint-list-facts", "list facts: {names}", "列表型事实有：{names}"),
    (
        "rubric-duplicate-id",
        "id {id!r} is used twice (first at {first})",
        "id {id!r} 用了两次（第一次在 {first}）",
    ),
    (
        "rubric-group-sum",
        "max {max} is not the sum of its children's max ({parts} = {total})",
        "满分 {max} 不等于下级指标满分之和（{parts} = {total}）",
    ),
    (
        "rubric-bonus-needs-total",
        "a rubric with bonus indicators must declare 'total: {{cap: ...}}' (null lets the "
        "total exceed the base)",
        "含加分指标的评分规则须声明 'total: {{cap: ...}}'（写 null 表示总分可以超过基础分）",
    ),
    (
        "rubric-give-to",
        "when_empty.give_to must name another records group, got {name!r}",
        "when_empty.give_to 须指定另一个记录型指标组，实际是 {name!r}",
    ),
    ("rubric-default", "default: {problem}", "default：{problem}"),
    ("rubric-what-fact", "a fact", "事实"),
    ("rubric-what-derived", "a derived value", "派生值"),
    (
        "rubric-constant-shadowed",
        "constant {id!r} has the same id as {other}",
        "常量 {id!r} 与{other}同名",
    ),
    (
        "rubric-hint-rename",
        "rename one of them; a formula could not tell them apart",
        "请给其中一个改名；否则公式无法区分它们",
    ),
    (
        "rubric-derived-shadowed",
        "derived value {id!r} has the same id as a fact",
        "派生值 {id!r} 与某个事实同名",
    ),
    ("rubric-cycle", "derived values form a cycle: {cycle}", "派生值形成循环：{cycle}"),
    (
        "rubric-hint-cycle",
        "a derived value cannot depend on itself, directly or through others",
        "派生值不能直接或间接地依赖它自己",
    ),
    (
        "rubric-monotonic-unknown",
        "monotonic names {name!r}, which is not a fact",
        "monotonic 中的 {name!r} 不是事实",
    ),
    ("rubric-grade-twice", "grade {grade!r} is listed twice", "等级 {grade!r} 列了两次"),
    (
        "rubric-grade-min-last",
        "only the last grade may omit 'min'",
        "只有最后一个等级可以不写 'min'",
    ),
    (
        "rubric-grade-order",
        "grade {grade!r}: min {min} must be below the previous grade's min {previous} (list "
        "grades from best to worst)",
        "等级 {grade!r}：min {min} 须低于上一个等级的 min {previous}（等级按从高到低排列）",
    ),
    (
        "rubric-grades-gap",
        "grades leave totals below {min} without a grade",
        "低于 {min} 的总分没有对应的等级",
    ),
    (
        "rubric-hint-grades-gap",
        "omit 'min' on the last grade so it catches every lower total",
        "最后一个等级请不写 'min'，让它接住所有更低的总分",
    ),
    ("rubric-check-twice", "check id {id!r} is used twice", "校验 id {id!r} 用了两次"),
    (
        "rubric-records-list",
        "records.list must name a list fact, got {name!r}",
        "records.list 须指定一个列表型事实，实际是 {name!r}",
    ),
)

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {key: english for key, english, _ in _ROWS},
    "zh": {key: chinese for key, _, chinese in _ROWS},
}
