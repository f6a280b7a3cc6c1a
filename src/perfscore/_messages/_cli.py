"""Messages of the perfscore command: its own messages and help texts."""

from __future__ import annotations

from typing import Final

_EXIT_CODES_EN = "exit codes: 0 success; 2 unusable input; 3 internal error; 4 output not written"
_EXIT_CODES_ZH = "退出码：0 成功；2 输入无法使用；3 内部错误；4 输出未能写出"

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {
        # the command's own messages
        "cli-see-help": "see '{prog} --help'",
        "cli-hint-option-meant": "did you mean {option!r}? see '{prog} --help'",
        "cli-output-not-folder": "-o {path} names a file, but {count} documents are scored: "
        "-o is then a folder, one scorecard in it for each",
        "cli-hint-output-not-folder": "for one table of them all, use --summary {path}; for a "
        "scorecard each, name a folder (-o cards/)",
        "cli-output-failed": "cannot write the output: {reason}",
        "cli-pipe-closed": "the program reading the output closed the pipe",
        "cli-pipe-hint": "let the reader read the whole output, or write it to a file",
        "cli-percent-expected": "expected a percentage from 0 to 100, got {value}",
        "cli-positive-expected": "expected a whole number from 1, got {value}",
        "cli-args-required": "the following arguments are required: {names}",
        "cli-args-unrecognized": "unrecognized arguments: {names}",
        "cli-arg-problem": "argument {argument}: {problem}",
        "cli-arg-invalid-choice": "invalid choice: {value} (choose from {choices})",
        "cli-arg-expected-one": "expected one argument",
        "cli-arg-expected-some": "expected at least one argument",
        "cli-arg-invalid-value": "invalid {type} value: {value}",
        "cli-lang-env": "PERFSCORE_LANG is {value}; expected zh or en",
        "cli-lang-env-hint": "set PERFSCORE_LANG=zh or PERFSCORE_LANG=en, or unset it",
        "cli-properties-need": "check --properties needs Hypothesis",
        "cli-no-such-path": "no such file or folder: {name}",
        "cli-no-facts-found": "no facts documents found",
        "cli-no-facts-hint": "pass *.yaml, *.yml or *.json files, or folders holding them",
        "cli-schema-needs-rubric": "'schema facts' needs the rubric",
        "cli-schema-needs-rubric-hint": "perfscore schema facts RUBRIC (a file or id@version)",
        "cli-schema-no-rubric": "'schema {kind}' takes no rubric",
        "cli-schema-no-rubric-hint": "only 'schema facts RUBRIC' names a rubric",
        "cli-compiled": "{ref}: {fast} of {total} formulas run as generated Python, "
        "{slow} on the interpreter; --show prints the source",
        "cli-exists": "{path} exists already; the template would overwrite it",
        "cli-exists-hint": "remove it first, or choose another file name",
        "cli-cannot-write": "cannot write {path!r}: {reason}",
        "cli-wrote": "wrote {path}",
        "cli-xlsx-needs-output": "--format xlsx writes a workbook, which needs a file name",
        "cli-xlsx-needs-output-hint": "add -o FILE.xlsx",
        "cli-binary-to-terminal": "--format {format} writes a binary file and stdout is a terminal",
        "cli-binary-to-terminal-hint": "add -o FILE{suffix}, or redirect the output to a file",
        "cli-no-stdin": "'-' names stdin, but there is none",
        "cli-no-cases": "no *.cases.yaml files found",
        "cli-no-cases-hint": "name case files <version>.cases.yaml",
        "cli-internal": "internal error: {kind}: {error}",
        "cli-bug": "this is a bug in perfscore; please report it with the input",
        "cli-warning": "warning: {text}",
        "cli-shadowed": "  (shadowed by the one above)",
        "cli-origin-bundled": "bundled",
        # help texts
        "cli-help-description": "Score performance self-evaluations from a "
        "YAML rubric and explain every point.",
        "cli-help-help": "show this help message and exit",
        "cli-help-version": "show program's version number and exit",
        "cli-help-lang": "the language of messages and help: zh or en (default: the rubric's "
        "language; where there is none, PERFSCORE_LANG, else zh)",
        "cli-help-rubric-dir": "a folder of rubrics laid out <DIR>/<id>/<version>.yaml, searched "
        "for id@version before PERFSCORE_RUBRIC_PATH and the bundled rubrics (repeatable)",
        "cli-help-encoding": "read {what} in this encoding instead of UTF-8 (e.g. gb18030)",
        "cli-help-output": "write to FILE instead of stdout",
        "cli-help-format": "the output format",
        "cli-help-rubric-ref": "rubric file or id@version",
        "cli-what-score": "the facts files and the rubric file",
        "cli-what-test": "the case files, their rubrics and base facts",
        "cli-what-check": "the rubric files",
        "cli-what-diff": "the rubric files and the facts documents",
        "cli-what-rubric": "the rubric file",
        "cli-help-score": "score facts documents and review their claimed scores",
        "cli-help-score-facts": "facts documents (YAML, JSON, xlsx), folders searched for them, "
        "'-' for stdin, or .jsonl files (one JSON document per line)",
        "cli-help-score-rubric": "rubric file or id@version (default: the document's "
        "'rubric' reference, resolved in the rubric search path and among the bundled rubrics)",
        "cli-help-score-layout": "the official table of --format xlsx/docx "
        "(default: the rubric's layout)",
        "cli-help-score-output": "one document: write the scorecard to this file (or into this "
        "folder); without --format, the file's suffix (.json, .md, .html, .xlsx, .docx) "
        "chooses the format; several: write one scorecard per document into this folder",
        "cli-format-suffix-conflict": "-o {name} ends in {suffix}, a {implied} file, but "
        "--format is {format}",
        "cli-format-suffix-conflict-hint": "drop --format and the suffix chooses the format, or "
        "write to {name}",
        "cli-help-score-summary": "also write the summary table to FILE (.csv, .json, or .xlsx "
        "with the xlsx extra)",
        "cli-help-score-jobs": "score in N worker processes (default 1)",
        "cli-help-score-quiet": "no progress bar on a terminal",
        "cli-help-score-no-trace": "leave traces out (faster; scores are the same)",
        "cli-help-fail-on": "exit 1 when {when}: error (a check of severity error), warning "
        "(also warnings), discrepancy (also a claimed score that differs or claims that do not "
        "add up); notices (info) never fail",
        "cli-help-fail-on-when": "a finding reaches LEVEL",
        "cli-help-fail-on-discrepancy": "the same as --fail-on discrepancy",
        "cli-help-test": "run rubric test cases (*.cases.yaml)",
        "cli-help-test-paths": "case files, or folders to search for them",
        "cli-help-test-coverage": "report rules no case exercised",
        "cli-help-test-threshold": "fail when rule or formula branch coverage is below P percent "
        "(implies --coverage)",
        "cli-help-test-verbose": "show the trace of failures",
        "cli-help-test-fail-on-when": "a case's scorecard has a finding at LEVEL or above its "
        "expect does not list",
        "cli-help-test-allow-dir": "a folder besides each case file's own that its rubric: and "
        "base: may name (repeatable)",
        "cli-help-test-format": "json: one object with every case and the coverage (for CI)",
        "cli-help-rubrics": "list the rubrics id@version resolves to",
        "cli-help-check": "find problems in a rubric without facts",
        "cli-help-check-rubrics": "rubric files or id@version",
        "cli-help-check-strict": "fail on warnings too",
        "cli-help-check-properties": "also try each declared monotonic promise with random facts "
        "(needs hypothesis)",
        "cli-help-check-unknowns": "also list, per fact, the indicators that become a range when "
        "it is unknown",
        "cli-help-diff": "compare two versions of a rubric, on a corpus if given",
        "cli-help-diff-old": "the rubric in force (file or id@version)",
        "cli-help-diff-new": "the proposed rubric (file or id@version)",
        "cli-help-diff-facts": "facts documents, or folders searched for *.yaml, *.yml and *.json",
        "cli-help-diff-fail-on-change": "exit 1 when anything changes",
        "cli-help-schema": "print a JSON Schema (rubric, facts RUBRIC, scorecard)",
        "cli-help-schema-kind": "what to describe",
        "cli-help-schema-rubric": "the rubric whose facts documents to describe",
        "cli-help-template": "write a facts document skeleton for a rubric",
        "cli-help-template-output": "write here instead of stdout",
        "cli-help-template-format": "yaml: a facts document skeleton; xlsx: a fact-entry workbook "
        "(needs -o; the xlsx extra)",
        "cli-help-compile": "generate a rubric's Python fast path; --show it",
        "cli-help-compile-show": "print the generated source",
        # argparse's own words in --help
        "cli-argparse-usage": "usage: ",
        "cli-argparse-positionals": "positional arguments",
        "cli-argparse-options": "options",
        # each command's example and exit codes, at the end of its --help
        "cli-epilog-score": """\
examples:
  perfscore score report.yaml
  perfscore score depts/ -o cards/ --summary summary.csv --jobs 2
  perfscore score all.jsonl --format json
  perfscore score depts\\ -o cards\\                    (Windows)

exit codes: 0 scored; 1 a finding at the --fail-on level (in any document);
2 an input could not be used (in a batch: any one; the others are still scored);
3 internal error; 4 output not written""",
        "cli-epilog-test": """\
example:
  perfscore test rubric/ --coverage --threshold 90

exit codes: 0 every case passed; 1 a case failed, or coverage is below
--threshold; 2 unusable input; 3 internal error; 4 output not written""",
        "cli-epilog-rubrics": f"""\
examples:
  perfscore rubrics --rubric-dir rubrics/
  perfscore rubrics --rubric-dir rubrics\\                 (Windows)

{_EXIT_CODES_EN}""",
        "cli-epilog-check": """\
example:
  perfscore check rubric/dept-overall-huizhou/2022.2.yaml --strict

exit codes: 0 no error (with --strict: no warning either);
1 an error, or a warning with --strict; 2 a rubric could not be loaded;
3 internal error; 4 output not written""",
        "cli-epilog-diff": """\
examples:
  perfscore diff dept-overall-huizhou@2022.2 dept-overall-huizhou@2022.3
  perfscore diff 2022.1.yaml 2022.2.yaml --facts examples/ --fail-on-change

exit codes: 0 compared; 1 something changed, with --fail-on-change; 2 unusable
input (a document neither version can score: the others are still compared);
3 internal error; 4 output not written""",
        "cli-epilog-schema": f"""\
example:
  perfscore schema facts dept-overall-huizhou@2022.3 -o facts.schema.json

{_EXIT_CODES_EN}""",
        "cli-epilog-template": """\
example:
  perfscore template dept-overall-huizhou@2022.3 -o report.yaml

exit codes: 0 written; 2 unusable input (or FILE exists);
3 internal error; 4 output not written""",
    },
    "zh": {
        "cli-see-help": "参见 '{prog} --help'",
        "cli-hint-option-meant": "是不是要写 {option!r}？参见 '{prog} --help'",
        "cli-output-not-folder": "-o {path} 是文件名，但要评 {count} 份文档：这时 -o 应为文件夹，"
        "每份文档在其中写一份评分表",
        "cli-hint-output-not-folder": "要把所有文档汇成一张表，请用 --summary {path}；要每份一张"
        "评分表，请写文件夹名（-o 评分表/）",
        "cli-output-failed": "无法写出输出：{reason}",
        "cli-pipe-closed": "读取输出的程序关闭了管道",
        "cli-pipe-hint": "让读取的程序读完全部输出，或把输出写到文件",
        "cli-percent-expected": "应为 0 到 100 之间的百分数，实际为 {value}",
        "cli-positive-expected": "应为不小于 1 的整数，实际为 {value}",
        "cli-args-required": "缺少必需的参数：{names}",
        "cli-args-unrecognized": "无法识别的参数：{names}",
        "cli-arg-problem": "参数 {argument}：{problem}",
        "cli-arg-invalid-choice": "无效的选项 {value}（可选：{choices}）",
        "cli-arg-expected-one": "需要一个值",
        "cli-arg-expected-some": "至少需要一个值",
        "cli-arg-invalid-value": "无效的 {type} 值：{value}",
        "cli-lang-env": "PERFSCORE_LANG 为 {value}，应为 zh 或 en",
        "cli-lang-env-hint": "设为 PERFSCORE_LANG=zh 或 PERFSCORE_LANG=en，或者删除这个变量",
        "cli-properties-need": "check --properties 需要安装 Hypothesis",
        "cli-no-such-path": "没有这个文件或文件夹：{name}",
        "cli-no-facts-found": "没有找到事实文档",
        "cli-no-facts-hint": "请给出 *.yaml、*.yml 或 *.json 文件，或存放它们的文件夹",
        "cli-schema-needs-rubric": "'schema facts' 需要指定评分规则",
        "cli-schema-needs-rubric-hint": "perfscore schema facts 评分规则（文件或 id@version）",
        "cli-schema-no-rubric": "'schema {kind}' 不接受评分规则参数",
        "cli-schema-no-rubric-hint": "只有 'schema facts 评分规则' 需要指定评分规则",
        "cli-compiled": "{ref}：{total} 个公式中 {fast} 个以生成的 Python 运行，"
        "{slow} 个由解释器运行；--show 显示源码",
        "cli-exists": "{path} 已存在，模板会覆盖它",
        "cli-exists-hint": "请先删除它，或换一个文件名",
        "cli-cannot-write": "无法写入 {path!r}：{reason}",
        "cli-wrote": "已写出 {path}",
        "cli-xlsx-needs-output": "--format xlsx 生成工作簿，需要指定文件名",
        "cli-xlsx-needs-output-hint": "加上 -o 文件名.xlsx",
        "cli-binary-to-terminal": "--format {format} 生成二进制文件，而标准输出是终端",
        "cli-binary-to-terminal-hint": "加上 -o 文件名{suffix}，或把输出重定向到文件",
        "cli-no-stdin": "'-' 表示标准输入，但没有标准输入",
        "cli-no-cases": "没有找到 *.cases.yaml 文件",
        "cli-no-cases-hint": "用例文件应命名为 <版本>.cases.yaml",
        "cli-internal": "内部错误：{kind}：{error}",
        "cli-bug": "这是 perfscore 的缺陷，请连同输入一并报告",
        "cli-warning": "警告：{text}",
        "cli-shadowed": "  （被上一行的同名评分规则遮蔽）",
        "cli-origin-bundled": "内置",
        "cli-help-description": "按 YAML 评分规则为绩效自评打分，并说明每一分的来由。",
        "cli-help-help": "显示本帮助并退出",
        "cli-help-version": "显示版本号并退出",
        "cli-help-lang": "消息和帮助的语言：zh 或 en（默认：评分规则的语言；没有评分规则时取 "
        "PERFSCORE_LANG，再没有则为 zh）",
        "cli-help-rubric-dir": "存放评分规则的文件夹，按 <DIR>/<id>/<version>.yaml 排列；解析 "
        "id@version 时先于 PERFSCORE_RUBRIC_PATH 和内置评分规则查找（可重复）",
        "cli-help-encoding": "按这个编码读取{what}，而不是 UTF-8（例如 gb18030）",
        "cli-help-output": "写到文件 FILE，而不是标准输出",
        "cli-help-format": "输出格式",
        "cli-help-rubric-ref": "评分规则文件或 id@version",
        "cli-what-score": "事实文件和评分规则文件",
        "cli-what-test": "用例文件及其评分规则和基础事实",
        "cli-what-check": "评分规则文件",
        "cli-what-diff": "评分规则文件和事实文档",
        "cli-what-rubric": "评分规则文件",
        "cli-help-score": "为事实文档评分，并复核其自评分",
        "cli-help-score-facts": "事实文档（YAML、JSON、xlsx）、在其中查找事实文档的文件夹、"
        "表示标准输入的 '-'，或 .jsonl 文件（每行一个 JSON 文档）",
        "cli-help-score-rubric": "评分规则文件或 id@version（默认：文档中 'rubric' 所指的评分规则，"
        "在评分规则查找路径和内置评分规则中解析）",
        "cli-help-score-layout": "--format xlsx/docx 使用的官方表样（默认：评分规则的表样）",
        "cli-help-score-output": "一个文档：把评分表写到这个文件（或这个文件夹）；"
        "不加 --format 时由文件后缀（.json、.md、.html、.xlsx、.docx）决定格式；"
        "多个文档：每个文档一份评分表，写到这个文件夹",
        "cli-format-suffix-conflict": "-o {name} 的后缀 {suffix} 是 {implied} 文件，"
        "但 --format 是 {format}",
        "cli-format-suffix-conflict-hint": "去掉 --format，由后缀决定格式；或写到 {name}",
        "cli-help-score-summary": "同时把汇总表写到文件 FILE（.csv、.json，或装有 xlsx "
        "扩展时的 .xlsx）",
        "cli-help-score-jobs": "用 N 个工作进程评分（默认 1）",
        "cli-help-score-quiet": "在终端上也不显示进度条",
        "cli-help-score-no-trace": "不记录计算过程（更快；分数相同）",
        "cli-help-fail-on": "{when}时以退出码 1 结束：error（严重程度为错误的校验）、warning"
        "（还包括警告）、discrepancy（还包括自评分不符或自评分合计不符）；提示（info）"
        "从不导致失败",
        "cli-help-fail-on-when": "有发现达到 LEVEL 级别",
        "cli-help-fail-on-discrepancy": "等同于 --fail-on discrepancy",
        "cli-help-test": "运行评分规则的测试用例（*.cases.yaml）",
        "cli-help-test-paths": "用例文件，或在其中查找用例文件的文件夹",
        "cli-help-test-coverage": "报告没有用例覆盖的规则",
        "cli-help-test-threshold": "规则覆盖率或公式分支覆盖率低于 P（百分数）时失败"
        "（隐含 --coverage）",
        "cli-help-test-verbose": "显示失败用例的计算过程",
        "cli-help-test-fail-on-when": "用例的评分表中有达到 LEVEL 级别、而其 expect 未列出的发现",
        "cli-help-test-allow-dir": "除各用例文件所在文件夹外，其 rubric: 和 base: "
        "可以引用的文件夹（可重复）",
        "cli-help-test-format": "json：一个包含全部用例和覆盖率的对象（供 CI 使用）",
        "cli-help-rubrics": "列出 id@version 可解析到的评分规则",
        "cli-help-check": "不需要事实，检查评分规则本身的问题",
        "cli-help-check-rubrics": "评分规则文件或 id@version",
        "cli-help-check-strict": "有警告也算失败",
        "cli-help-check-properties": "另用随机事实检验每条声明的单调性承诺（需要 hypothesis）",
        "cli-help-check-unknowns": "另按事实列出：该事实不详时，哪些指标的得分变成区间",
        "cli-help-diff": "比较评分规则的两个版本；给出事实文档时也比较其得分",
        "cli-help-diff-old": "现行评分规则（文件或 id@version）",
        "cli-help-diff-new": "拟用评分规则（文件或 id@version）",
        "cli-help-diff-facts": "事实文档，或在其中查找 *.yaml、*.yml 和 *.json 的文件夹",
        "cli-help-diff-fail-on-change": "有任何变化时以退出码 1 结束",
        "cli-help-schema": "输出 JSON Schema（rubric、facts 评分规则、scorecard）",
        "cli-help-schema-kind": "要描述的对象",
        "cli-help-schema-rubric": "要描述其事实文档的评分规则",
        "cli-help-template": "为评分规则生成事实文档的填写框架",
        "cli-help-template-output": "写到这里，而不是标准输出",
        "cli-help-template-format": "yaml：事实文档框架；xlsx：事实填报工作簿"
        "（需要 -o；需要 xlsx 扩展）",
        "cli-help-compile": "为评分规则生成 Python 快速路径；--show 显示它",
        "cli-help-compile-show": "显示生成的源码",
        "cli-argparse-usage": "用法：",
        "cli-argparse-positionals": "位置参数",
        "cli-argparse-options": "选项",
        "cli-epilog-score": """\
示例：
  perfscore score report.yaml
  perfscore score depts/ -o cards/ --summary summary.csv --jobs 2
  perfscore score all.jsonl --format json
  perfscore score depts\\ -o cards\\                    （Windows）

退出码：0 已评分；1 有达到 --fail-on 级别的发现（任一文档）；
2 有输入无法使用（批量评分时任一个即是，其余文档照常评分）；
3 内部错误；4 输出未能写出""",
        "cli-epilog-test": """\
示例：
  perfscore test rubric/ --coverage --threshold 90

退出码：0 全部用例通过；1 有用例未通过，或覆盖率低于阈值；
2 输入无法使用；3 内部错误；4 输出未能写出""",
        "cli-epilog-rubrics": f"""\
示例：
  perfscore rubrics --rubric-dir rubrics/
  perfscore rubrics --rubric-dir rubrics\\                 （Windows）

{_EXIT_CODES_ZH}""",
        "cli-epilog-check": """\
示例：
  perfscore check rubric/dept-overall-huizhou/2022.2.yaml --strict

退出码：0 没有错误（加 --strict 时：也没有警告）；1 有错误，或加 --strict 时有
警告；2 有评分规则无法载入；3 内部错误；4 输出未能写出""",
        "cli-epilog-diff": """\
示例：
  perfscore diff dept-overall-huizhou@2022.2 dept-overall-huizhou@2022.3
  perfscore diff 2022.1.yaml 2022.2.yaml --facts examples/ --fail-on-change

退出码：0 已比较；1 加 --fail-on-change 时有变化；
2 输入无法使用（有文档在两个版本下都无法评分；其余文档照常比较）；
3 内部错误；4 输出未能写出""",
        "cli-epilog-schema": f"""\
示例：
  perfscore schema facts dept-overall-huizhou@2022.3 -o facts.schema.json

{_EXIT_CODES_ZH}""",
        "cli-epilog-template": """\
示例：
  perfscore template dept-overall-huizhou@2022.3 -o report.yaml

退出码：0 已写出；2 输入无法使用（或 FILE 已存在）；3 内部错误；4 输出未能写出""",
    },
}
