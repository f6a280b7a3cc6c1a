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
    ("doc-json-problem", "{problem}", "JSON 格式有误：{problem}"),
    ("doc-hint-tabs", "indent with spaces, not tabs", "请用空格缩进，不要用制表符"),
    (
        "doc-not-key-value",
        "{word} is neither 'key: value' nor indented under a key",
        "{word} 既不是 'key: value'，也没有缩进在某个键之下",
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
    ("doc-hint-number", "write a number", "请写一个数字"),
)

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {key: english for key, english, _ in _ROWS},
    "zh": {key: chinese for key, _, chinese in _ROWS},
}
