"""Messages of the workbook readers: the xlsx archive checks, the fact-entry template read back,
the official 项目支出绩效自评表 reader, and the hints that say what to type in a cell.

Written as one row per message, ``(key, English, Chinese)``, as in `_errors`; `TABLE` is built
from the rows. The English is the text ``str(error)`` has always shown.
"""

from __future__ import annotations

from typing import Final

_ROWS: Final[tuple[tuple[str, str, str], ...]] = (
    # the xlsx archive (_load/_xlsx.py, _load/_workbook.py)
    (
        "workbook-needs-openpyxl",
        "reading and writing xlsx workbooks needs openpyxl, which is not installed",
        "读写 xlsx 工作簿需要 openpyxl，但它没有安装",
    ),
    ("workbook-hint-give-file", "give the path of an xlsx workbook", "请给出 xlsx 工作簿的路径"),
    ("workbook-file-bytes", "file is {size:,} bytes", "文件有 {size:,} 字节"),
    ("workbook-not-regular", "{name!r} is not a regular file", "{name!r} 不是普通文件"),
    ("workbook-file-grew", "file grew while it was read", "文件在读取过程中变大了"),
    ("workbook-over-limit", "{what}, over the limit of {limit:,}", "{what}，超过上限 {limit:,}"),
    (
        "workbook-too-large-hint",
        "a self-evaluation workbook is far smaller; remove unused sheets, or check the file",
        "自评工作簿远没有这么大；请删除不用的工作表，或检查这个文件",
    ),
    (
        "workbook-hint-save-xlsx",
        "save it as an Excel workbook (*.xlsx)",
        "请另存为 Excel 工作簿（*.xlsx）",
    ),
    (
        "workbook-hint-old-xls",
        "this is an old binary .xls (or an encrypted workbook): save it as .xlsx",
        "这是旧版二进制 .xls 文件（或加密的工作簿）：请另存为 .xlsx",
    ),
    (
        "workbook-not-zip",
        "the file is not an xlsx workbook (not a zip)",
        "文件不是 xlsx 工作簿（不是 zip 压缩包）",
    ),
    (
        "workbook-damaged-zip",
        "the file is a damaged zip archive: {error}",
        "文件是损坏的 zip 压缩包：{error}",
    ),
    ("workbook-parts", "the archive has {count:,} parts", "压缩包有 {count:,} 个部件"),
    ("workbook-unpacks", "the archive unpacks to {size:,} bytes", "压缩包解压后有 {size:,} 字节"),
    (
        "workbook-no-xl-parts",
        "the zip archive is not an xlsx workbook (no xl/ parts)",
        "这个 zip 压缩包不是 xlsx 工作簿（没有 xl/ 部件）",
    ),
    (
        "workbook-hint-save-from-office",
        "save it from Excel, WPS or LibreOffice as an Excel workbook (*.xlsx)",
        "请用 Excel、WPS 或 LibreOffice 另存为 Excel 工作簿（*.xlsx）",
    ),
    (
        "workbook-macros",
        "the workbook carries macros (vbaProject.bin); perfscore does not read them",
        "工作簿带有宏（vbaProject.bin）；perfscore 不读取宏",
    ),
    (
        "workbook-hint-no-macros",
        "save it as a plain Excel workbook (*.xlsx), without macros",
        "请另存为不带宏的普通 Excel 工作簿（*.xlsx）",
    ),
    (
        "workbook-external-links",
        "the workbook links to other workbooks; values computed from them are not read",
        "工作簿链接了其他工作簿；由它们算出的值不会被读取",
    ),
    (
        "workbook-hint-break-links",
        "break the links (Excel: 数据 › 编辑链接 › 断开链接) and save again",
        "请断开链接（Excel：数据 › 编辑链接 › 断开链接）后重新保存",
    ),
    (
        "workbook-part-not-utf8",
        "part {part} is not written in UTF-8, as every Office program writes workbooks",
        "部件 {part} 不是 UTF-8 编码的，而各种办公软件写工作簿时都用 UTF-8",
    ),
    (
        "workbook-dtd",
        "part {part} declares a DTD, which xlsx never needs",
        "部件 {part} 声明了 DTD，而 xlsx 从不需要它",
    ),
    (
        "workbook-hint-not-office",
        "the file was not written by an office program; check it",
        "这个文件不是由办公软件写出的；请检查它",
    ),
    ("workbook-cells", "the sheets hold more cells", "工作表中的单元格过多"),
    (
        "workbook-merged-cells",
        "a sheet's merged cells cover more cells",
        "工作表中合并单元格覆盖的单元格过多",
    ),
    (
        "workbook-part-unreadable",
        "part {part} of the archive cannot be read: {error}",
        "无法读取压缩包的部件 {part}：{error}",
    ),
    (
        "workbook-unreadable",
        "the workbook cannot be read: {kind}: {error}",
        "无法读取工作簿：{kind}：{error}",
    ),
    (
        "workbook-bad-number",
        "cell {cell} of {part} is written as the number {value}, which is no number",
        "{part} 中的单元格 {cell} 以数值写入了 {value}，这不是数字",
    ),
    (
        "workbook-error-value",
        "the cell shows the error value {value}",
        "单元格显示错误值 {value}",
    ),
    (
        "workbook-hint-correct-formula",
        "correct the formula or type the value itself",
        "请修正公式，或直接填写数值",
    ),
    (
        "workbook-formula-no-value",
        "the cell holds the formula {formula} but no computed value",
        "单元格中是公式 {formula}，但没有计算结果",
    ),
    (
        "workbook-hint-save-again",
        "open the workbook in Excel, WPS or LibreOffice and save it again, or type the value "
        "itself",
        "请用 Excel、WPS 或 LibreOffice 打开工作簿并重新保存，或直接填写数值",
    ),
    (
        "workbook-empty-list",
        "sheet {sheet} holds no record: {label} is scored as an empty list",
        "工作表“{sheet}”没有填写任何记录：{label} 按没有记录评分",
    ),
    (
        "workbook-hint-empty-list",
        "when the report has records, type one a row from {cell}; when it truly has none, "
        "leave the sheet empty (this warning stays, to be read)",
        "原表有记录时，请从 {cell} 起每行填写一条；原表确实没有记录时，保持空白即可（本警告会保留，"
        "供复核）",
    ),
    (
        "workbook-formula-cached",
        "the cell holds the formula {formula}; its last computed value {value} is read",
        "单元格中是公式 {formula}；读取的是它上次计算的结果 {value}",
    ),
    (
        "workbook-hint-type-itself",
        "type the value itself to make the workbook self-evident",
        "请直接填写数值，使工作簿一目了然",
    ),
    (
        "workbook-xlsm",
        "a macro-enabled workbook (.xlsm) is not read",
        "不读取启用宏的工作簿（.xlsm）",
    ),
    (
        "workbook-unknown-layout",
        "the workbook is neither a perfscore fact-entry template (no hidden sheet {sheet!r}) "
        "nor a 项目支出绩效自评表 in the official layout (no sheet with a 一级指标 … 三级指标 "
        "header row)",
        "工作簿既不是 perfscore 的事实填报模板（没有隐藏工作表 {sheet!r}），也不是官方格式的"
        "项目支出绩效自评表（没有表头为 一级指标 … 三级指标 的工作表）",
    ),
    (
        "workbook-unknown-layout-hint",
        "write a template with 'perfscore template RUBRIC --format xlsx -o FILE' and fill it "
        "in, or give the department's 项目支出绩效自评表 as it was filled",
        "请用 'perfscore template RUBRIC --format xlsx -o FILE' 生成模板并填写，"
        "或提供部门原样填报的项目支出绩效自评表",
    ),
    # the fact-entry template read back (_load/_template_map.py)
    (
        "workbook-map-hint",
        "fill a fresh template (perfscore template RUBRIC --format xlsx -o FILE); do not edit "
        "the hidden sheet or move rows",
        "请重新生成模板并填写（perfscore template RUBRIC --format xlsx -o FILE）；"
        "不要编辑隐藏工作表，也不要移动行",
    ),
    (
        "workbook-map-too-long",
        "the map has more than {limit:,} rows",
        "单元格映射超过 {limit:,} 行",
    ),
    (
        "workbook-map-not-a-map",
        "the hidden sheet {sheet!r} is not a perfscore cell map of version {version}",
        "隐藏工作表 {sheet!r} 不是版本 {version} 的 perfscore 单元格映射",
    ),
    (
        "workbook-map-changed",
        "the hidden cell map was changed (its digest does not match)",
        "隐藏的单元格映射被改动过（摘要不符）",
    ),
    ("workbook-map-unknown-entry", "unknown map entry {kind!r}", "未知的映射条目 {kind!r}"),
    (
        "workbook-map-label-moved",
        "{cell} reads {shown!r} where the map expects the label {label!r}: rows were moved or "
        "the sheet was edited",
        "{cell} 的内容是 {shown!r}，而映射要求这里是标签 {label!r}：行被移动过，或工作表被编辑过",
    ),
    ("workbook-map-summary", "{name}: the template's cell map", "{name}：模板的单元格映射"),
    (
        "workbook-map-no-sheet",
        "the map names a sheet {sheet!r} the workbook does not have",
        "映射中的工作表 {sheet!r} 在工作簿中不存在",
    ),
    (
        "workbook-map-twice",
        "the map names {kind} {key!r} twice",
        "映射中 {kind} {key!r} 出现了两次",
    ),
    (
        "workbook-map-unknown-type",
        "unknown type {type!r} in the map",
        "映射中有未知的类型 {type!r}",
    ),
    (
        "workbook-map-bad-rows",
        "bad row range {cell!r} for list {key!r}",
        "列表 {key!r} 的行范围 {cell!r} 无效",
    ),
    (
        "workbook-map-rows-too-long",
        "row range {cell!r} for list {key!r} is too long",
        "列表 {key!r} 的行范围 {cell!r} 过长",
    ),
    (
        "workbook-map-bad-marks",
        "bad mark columns {cell!r} for list {key!r}",
        "列表 {key!r} 的标记列 {cell!r} 无效",
    ),
    (
        "workbook-map-bad-field",
        "bad field entry {key!r} at column {cell!r}",
        "第 {cell!r} 列的字段条目 {key!r} 无效",
    ),
    ("workbook-map-bad-cell", "bad cell {cell!r} in the map", "映射中的单元格 {cell!r} 无效"),
    (
        "workbook-map-fields-no-list",
        "fields of {list!r} without a list entry",
        "{list!r} 有字段，但没有对应的列表条目",
    ),
    # the template's layout checked before any value is read (_load/_template_map.py)
    (
        "workbook-sheet-missing",
        "the workbook has no sheet {sheet!r}, which the template's map expects (its sheets are "
        "{sheets}): was the sheet renamed or deleted?",
        "工作簿中没有模板映射要求的工作表 {sheet!r}（现有工作表：{sheets}）：是否重命名或删除了"
        "这张工作表？",
    ),
    (
        "workbook-sheet-missing-hint",
        "give the sheet its name {sheet!r} again, or copy the values into a fresh template "
        "(perfscore template {rubric} --format xlsx -o FILE)",
        "请把工作表改回原名 {sheet!r}，或把数据复制到新生成的模板中"
        "（perfscore template {rubric} --format xlsx -o FILE）",
    ),
    (
        "workbook-labels-differ",
        "sheet {sheet}: {where} do not match the template ({expected}): {verdict}",
        "{sheet} 工作表：{where}标签与模板不符（{expected}）：{verdict}",
    ),
    (
        "workbook-labels-from-row",
        "from row {row} on, the labels in column {column}",
        "从第 {row} 行起，{column} 列的",
    ),
    (
        "workbook-labels-from-column",
        "from column {column} on, the labels in row {row}",
        "从 {column} 列起，第 {row} 行的",
    ),
    (
        "workbook-label-expected",
        "{cell} should read {label!r}, it reads {shown!r}",
        "{cell} 应为 {label!r}，实际为 {shown!r}",
    ),
    (
        "workbook-label-expected-blank",
        "{cell} should read {label!r}, it is blank",
        "{cell} 应为 {label!r}，实际为空",
    ),
    (
        "workbook-rows-inserted",
        "{count} row(s) were inserted above row {row}",
        "第 {row} 行上方插入了 {count} 行",
    ),
    (
        "workbook-rows-deleted",
        "{count} row(s) were deleted from row {row} on",
        "从第 {row} 行起删除了 {count} 行",
    ),
    (
        "workbook-rows-deleted-above",
        "{count} row(s) were deleted above row {row}",
        "第 {row} 行上方删除了 {count} 行",
    ),
    (
        "workbook-columns-inserted",
        "{count} column(s) were inserted left of column {column}",
        "{column} 列左侧插入了 {count} 列",
    ),
    (
        "workbook-columns-deleted",
        "{count} column(s) were deleted from column {column} on",
        "从 {column} 列起删除了 {count} 列",
    ),
    (
        "workbook-columns-deleted-above",
        "{count} column(s) were deleted left of column {column}",
        "{column} 列左侧删除了 {count} 列",
    ),
    (
        "workbook-labels-edited",
        "were rows or columns inserted or deleted, or labels edited?",
        "是否插入或删除了行或列，或修改了标签？",
    ),
    (
        "workbook-layout-hint",
        "undo the inserted or deleted rows or columns (perfscore reads each value from the cell "
        "the template put it in, and does not look for it by its label), or copy the values "
        "into a fresh template (perfscore template {rubric} --format xlsx -o FILE)",
        "请撤销插入或删除的行或列（perfscore 按模板原来的单元格读取每个值，不会按标签去找），"
        "或把数据复制到新生成的模板中（perfscore template {rubric} --format xlsx -o FILE）",
    ),
    (
        "workbook-cell-merged",
        "{cell} is merged with {top} ({range}) and cannot be filled on its own: unmerge the cells",
        "{cell} 与 {top} 合并在一起（{range}），无法单独填写：请取消合并",
    ),
    (
        "workbook-cell-merged-hint",
        "select {range} and unmerge it (Home > Merge & Center), then type each value into its "
        "own cell",
        "选中 {range}，取消合并（开始 > 合并后居中），再把每个值填在各自的单元格中",
    ),
    (
        "workbook-summary",
        "{name}: {count} problem(s) in the workbook",
        "{name}：工作簿中有 {count} 个问题",
    ),
    (
        "workbook-expected-two",
        "expected {one} or {other}, got {got!r}",
        "应为 {one} 或 {other}，实际为 {got!r}",
    ),
    (
        "workbook-expected-three",
        "expected {known}, {unknown} or {doubtful}, got {got!r}",
        "应为 {known}、{unknown} 或 {doubtful}，实际为 {got!r}",
    ),
    (
        "workbook-hint-pick-or-empty",
        "pick a value from the drop-down list, or leave the cell empty",
        "请从下拉列表中选择，或将单元格留空",
    ),
    (
        "workbook-mark-no-field",
        "状态 {state!r} names no field: the field column is empty",
        "状态 {state!r} 没有指明字段：字段列为空",
    ),
    (
        "workbook-mark-no-field-hint",
        "pick the field that is unknown or doubtful from the drop-down list",
        "请从下拉列表中选择不详或存疑的字段",
    ),
    (
        "workbook-mark-not-a-field",
        "{which!r} is not a field this row may mark",
        "{which!r} 不是这一行可以标记的字段",
    ),
    (
        "workbook-mark-pick-field",
        "pick one from the drop-down list: {fields}",
        "请从下拉列表中选择一项：{fields}",
    ),
    (
        "workbook-mark-note-alone",
        "a reason is given but the 状态 is not {unknown} or {doubtful}",
        "填写了原因，但状态不是 {unknown} 或 {doubtful}",
    ),
    (
        "workbook-mark-note-alone-hint",
        "choose {unknown} or {doubtful} in the 状态 cell, or clear this cell",
        "请在状态单元格中选择 {unknown} 或 {doubtful}，或清空这个单元格",
    ),
    (
        "workbook-mark-unknown-given",
        "marked {unknown}, but the value cell holds {value!r}",
        "标记为 {unknown}，但数值单元格中有 {value!r}",
    ),
    (
        "workbook-mark-unknown-given-hint",
        "clear the value, or choose {doubtful} if it is given but uncertain",
        "请清空数值；如果材料给出了数值但不确定，请选择 {doubtful}",
    ),
    (
        "workbook-mark-doubtful-empty",
        "marked {doubtful}, but the value cell is empty",
        "标记为 {doubtful}，但数值单元格为空",
    ),
    (
        "workbook-mark-doubtful-empty-hint",
        "type the value as the source gives it, or choose {unknown}",
        "请按材料原样填写数值，或选择 {unknown}",
    ),
    (
        "workbook-mark-doubtful-no-reason",
        "a value marked {doubtful} needs a reason",
        "标记为 {doubtful} 的数值须填写原因",
    ),
    (
        "workbook-mark-doubtful-no-reason-hint",
        "say why the value is uncertain (for example 扫描件数字模糊)",
        "请说明数值为何不确定（例如 扫描件数字模糊）",
    ),
    # the official 项目支出绩效自评表 (_load/_project_sheet.py)
    (
        "workbook-sheet-not-a-number",
        "{what}: {value!r} is not a number",
        "{what}：{value!r} 不是数字",
    ),
    ("workbook-sheet-not-text", "{what}: {value!r} is not text", "{what}：{value!r} 不是文本"),
    (
        "workbook-sheet-no-header",
        "sheet {sheet!r} has no 一级指标 header",
        "工作表 {sheet!r} 没有 一级指标 表头",
    ),
    (
        "workbook-sheet-cut-off",
        "the sheet ends at row {last} without its 总分 row: it is read as cut off",
        "工作表在第 {last} 行结束，没有总分行：按截断处理",
    ),
    (
        "workbook-sheet-cut-off-hint",
        "the claimed total and grade are not visible: only the rows shown are scored, and the "
        "scorecard says the sheet is cut off",
        "自评总分和等级不可见：只按可见各行评分，评分表会注明该表被截断",
    ),
    ("workbook-sheet-summary", "{name}: {count} problem(s)", "{name}：{count} 个问题"),
    (
        "workbook-sheet-funds-row",
        "funds row {label!r} is not one of the template's rows",
        "资金行 {label!r} 不是模板中的行",
    ),
    (
        "workbook-sheet-funds-points",
        "分值 of the 年度资金总额 row is {points}, not the template's 10: the rubric scores "
        "预算执行率 out of 10",
        "年度资金总额 行的分值是 {points}，不是模板规定的 10：评分规则按满分 10 分评 预算执行率",
    ),
    (
        "workbook-sheet-no-column",
        "the indicator header has no {column} column",
        "指标表头没有 {column} 列",
    ),
    (
        "workbook-sheet-no-column-hint",
        "the columns are found by their headings, as the national template prints them",
        "各列按全国模板印制的列标题查找",
    ),
    (
        "workbook-sheet-placeholder",
        "placeholder row {name!r} without 分值 is skipped",
        "占位行 {name!r} 没有分值，已跳过",
    ),
    (
        "workbook-sheet-level1",
        "row {row}: 一级指标 {level1!r} is none of 产出指标, 效益指标, 满意度指标; the row is "
        "not read",
        "第 {row} 行：一级指标 {level1!r} 不是 产出指标、效益指标、满意度指标 之一；该行未读取",
    ),
    (
        "workbook-sheet-level2-empty",
        "二级指标 is empty; read as {level2!r}, the heading of the row above",
        "二级指标为空；按上一行的标题读作 {level2!r}",
    ),
    (
        "workbook-hint-text-cell",
        "the cell holds the number as text: format it as a number (or General) and type it again",
        "该单元格把数字存成了文本：请把单元格格式改为“数值”或“常规”后重新输入",
    ),
    (
        "workbook-sheet-actual-fraction",
        "实际完成值 {actual} against 年度指标值 {target}: if {percent}% is meant, type {percent} "
        "(or format the cell as a percentage); it is scored as {actual}%",
        "实际完成值 {actual}，年度指标值为 {target}：如指 {percent}%，请填 {percent}（或把单元格"
        "设为百分比格式）；现按 {actual}% 计分",
    ),
    (
        "workbook-sheet-another",
        "sheet {sheet!r} is another 项目支出绩效自评表; only {read!r} is read",
        "工作表 {sheet!r} 也是一张项目支出绩效自评表，未读取；只读取了 {read!r}",
    ),
    (
        "workbook-sheet-another-hint",
        "save each project's sheet in a workbook of its own, and score them together",
        "请把每个项目的自评表各存为一个工作簿，再一起评分",
    ),
    (
        "workbook-sheet-no-score-column",
        "the indicator header has no 得分 column: no claimed score of any row is read",
        "指标表头没有 得分 列：各行的自评得分均未读取",
    ),
    (
        "workbook-sheet-level1-empty",
        "一级指标 is empty; read as {level1!r}, the heading of the row above",
        "一级指标为空；按上一行的标题读作 {level1!r}",
    ),
    ("workbook-sheet-points-empty", "{name}: 分值 is empty", "{name}：分值为空"),
    (
        "workbook-sheet-direction-unknown",
        "指标性质 {printed!r} is not ≥, ≤, = or 定性; the row has no 指标性质",
        "指标性质 {printed!r} 不是 ≥、≤、= 或 定性；该行没有指标性质",
    ),
    (
        "workbook-sheet-direction-read",
        "指标性质 {printed!r} is read as {direction!r}",
        "指标性质 {printed!r} 读作 {direction!r}",
    ),
    (
        "workbook-sheet-direction-conflict",
        "年度指标值 {text!r} says {printed!r} but 指标性质 says {direction!r}; 指标性质 is read",
        "年度指标值 {text!r} 写的是 {printed!r}，而指标性质是 {direction!r}；以指标性质为准",
    ),
    (
        "workbook-sheet-target-read",
        "{text!r} is read as {direction!r}",
        "{text!r} 读作 {direction!r}",
    ),
    (
        "workbook-sheet-target-no-operator",
        "年度指标值 {text!r} has no operator; read as '='",
        "年度指标值 {text!r} 没有比较符号；按 '=' 读取",
    ),
    (
        "workbook-sheet-target-no-number",
        "年度指标值 {text!r}: no number after the operator",
        "年度指标值 {text!r}：比较符号后面没有数字",
    ),
    (
        "workbook-sheet-actual-no-number",
        "实际完成值 {text!r} is no number; the row is scored without it",
        "实际完成值 {text!r} 不是数字；该行按没有实际完成值评分",
    ),
    (
        "workbook-sheet-actual-met",
        "实际完成值 {text!r} is read as the 达成程度 达成",
        "实际完成值 {text!r} 读作达成程度 达成",
    ),
    (
        "workbook-sheet-actual-met-hint",
        "a reviewer who judges otherwise corrects the level in the facts",
        "审核人如有不同判断，请在事实中更正达成程度",
    ),
    (
        "workbook-sheet-actual-no-level",
        "实际完成值 {text!r} states no 达成程度; the row needs an assessment",
        "实际完成值 {text!r} 没有写明达成程度；该行需要评定",
    ),
    # what to type in a wrong cell (_load/_cell_hints.py)
    (
        "workbook-hint-type-value-or-unknown",
        "type the value in {cell}; if the source does not show it, leave it empty and pick "
        "不详 in the 状态 cell of the row (column G)",
        "请在 {cell} 中填写；如果材料中没有这个值，请留空，并在该行的状态单元格（G 列）中选择 不详",
    ),
    (
        "workbook-hint-type-field-or-unknown",
        "type the value in {cell}; if the source does not show it, leave it empty, pick this "
        "field in the row's 不详/存疑的字段 cell and 不详 in its 状态 cell",
        "请在 {cell} 中填写；如果材料中没有这个值，请留空，并在该行的“不详/存疑的字段”中选择这个"
        "字段、“状态”中选择 不详",
    ),
    ("workbook-hint-type-value", "type the value in {cell}", "请在 {cell} 中填写"),
    ("workbook-hint-guess", " ({word} for {value!r})", "（{value!r} 即 {word}）"),
    (
        "workbook-hint-pick-yes-no",
        "pick {yes} or {no} from the cell's drop-down list{guess}",
        "请从单元格的下拉列表中选择 {yes} 或 {no}{guess}",
    ),
    (
        "workbook-outside",
        "{value} is typed outside the template's cells (they end at {last}): it would not be read",
        "{value} 填在了模板的单元格之外（模板到 {last} 为止），不会被读取",
    ),
    (
        "workbook-hint-outside",
        "a value belongs in the template's cells on {sheet}; a note may stay, it is not read",
        "若是要填的值，请移到 {sheet} 工作表模板内的单元格；若是备注，可以留着，它不会被读取",
    ),
    (
        "workbook-hint-outside-list",
        "a list holds as many records as the template has rows; for more, raise the list's "
        "max_items in the rubric and fill a fresh template",
        "列表最多容纳模板所留行数的记录；需要更多时，请在评分规则中调大该列表的 max_items，"
        "再重新生成模板填写",
    ),
    (
        "workbook-hint-date",
        "type the date as {day} (a date cell, not text)",
        "请把日期填成 {day}（日期单元格，不要填文本）",
    ),
    (
        "workbook-hint-pick-one",
        "pick one from the cell's drop-down list: {values}",
        "请从单元格的下拉列表中选择一项：{values}",
    ),
    (
        "workbook-rubric-cell-changed",
        "the rubric cell {cell} reads {shown}, but this template was made for {rubric}: its "
        "cells hold that rubric's facts",
        "评分规则单元格 {cell} 改成了 {shown}，但这份模板是为 {rubric} 生成的，各单元格填的是"
        "该评分规则的事实",
    ),
    (
        "workbook-rubric-cell-blank",
        "the rubric cell {cell} was cleared, but this template was made for {rubric}",
        "评分规则单元格 {cell} 被清空了，但这份模板是为 {rubric} 生成的",
    ),
    (
        "workbook-rubric-cell-hint",
        "put {rubric} back; to score with another rubric, fill a template made for it "
        "(perfscore template RUBRIC --format xlsx -o FILE) and copy the values over",
        "请改回 {rubric}；要按别的评分规则评分，请用它生成模板（perfscore template 评分规则 "
        "--format xlsx -o 文件），再把数据复制过去",
    ),
    (
        "workbook-hint-number-not-date",
        "the cell is formatted as a date, so it holds a day: set its format to Number (or General) "
        "and type the number again",
        "该单元格的格式是日期，存的是日子而不是数：请把单元格格式改为“数值”（或“常规”），再重新填写数字",
    ),
    (
        "workbook-hint-number-alone",
        "type a number alone, e.g. {example}, without unit or words",
        "只填数字，例如 {example}，不要带单位或文字",
    ),
    (
        "workbook-hint-percent-written",
        "type {written} (it means {written}%): a percent cell holds the number of percent, "
        "without '%'",
        "请填 {written}（表示 {written}%）：百分比单元格只填百分数的数值，不带 '%'",
    ),
    (
        "workbook-hint-number-as-text",
        "the cell holds {written} as text (its format is Text, or it begins with '): set the "
        "cell's format to Number (or General) and type {written} again",
        "该单元格把 {written} 存成了文本（格式为“文本”，或以 ' 开头）：请把单元格格式改为“数值”"
        "（或“常规”），再重新填写 {written}",
    ),
    (
        "workbook-hint-number-written",
        "type {written}: the number alone, without unit or separators",
        "请填 {written}：只填数字，不带单位或千位分隔符",
    ),
    (
        "workbook-hint-whole",
        "type a whole number ({down} or {up}), not {number}",
        "请填整数（{down} 或 {up}），不要填 {number}",
    ),
    ("workbook-hint-span-from-to", "from {low} to {high}", "在 {low} 到 {high} 之间"),
    ("workbook-hint-span-at-least", "of at least {low}", "不小于 {low}"),
    ("workbook-hint-span-at-most", "of at most {high}", "不大于 {high}"),
    (
        "workbook-hint-percent-units",
        "type {shown} for {shown}% (a percent cell holds percent units), a number {span}",
        "{shown}% 请填 {shown}（百分比单元格填百分数的数值），数值应{span}",
    ),
    ("workbook-hint-span", "type a number {span}", "请填一个数，数值应{span}"),
    (
        "workbook-hint-percent-span",
        "type a number {span} (95.87 means 95.87%)",
        "请填一个数，数值应{span}（95.87 表示 95.87%）",
    ),
)

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {key: english for key, english, _ in _ROWS},
    "zh": {key: chinese for key, _, chinese in _ROWS},
}
