"""The HTML report in a real browser: headless Chromium renders the bundled examples' reports.

Driver: the DevTools protocol spoken directly over Chromium's `--remote-debugging-pipe` (JSON
messages separated by NUL bytes on file descriptors 3 and 4), with the standard library only.
Chosen over selenium and playwright because
- it needs no package at all (nothing to add to the `test` extra, nothing to keep in step with
  Debian's Chromium: selenium needs the matching chromedriver, playwright pins a protocol
  revision and its own browser build, which cannot be downloaded here);
- the protocol gives what the checks need and WebDriver does not: the font Chromium actually
  used for a node's text (`CSS.getPlatformFontsForNode`), console messages and uncaught
  exceptions as events, and a full-page screenshot;
- a pipe opens no port, so nothing listens on the machine while the test runs.

The test skips when Chromium is not installed, except in CI (CI=true), where it fails: `.ci/run`
installs `chromium` and `fonts-noto-cjk` from Debian.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore._output._html import render_html

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("PERFSCORE_SCREENSHOTS", tempfile.gettempdir()))
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)")


class Browser:
    """A headless Chromium driven over the DevTools pipe; one page, attached flat."""

    def __init__(self, executable: str, profile: str) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # the pipe protocol reads commands on fd 3, writes replies on fd 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            # the dup2'd descriptors are inheritable; the pipe's own ends are not
            close_fds=False,
            preexec_fn=fds,  # noqa: PLW1509 - no threads start chromium
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None
        self.target = ""

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if self.session is not None and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(deadline=time.monotonic() + 30)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        data: dict[str, Any] = json.loads(raw)
        return data

    def open_page(self) -> None:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.target = target
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "DOM", "CSS"):
            self.send(f"{domain}.enable")

    def close_page(self) -> None:
        self.session = None
        self.send("Target.closeTarget", targetId=self.target)

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, TimeoutError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = _chromium()
    b = Browser(executable, str(tmp_path_factory.mktemp("chromium-profile")))
    try:
        yield b
    finally:
        b.close()


def _card(example: str) -> perfscore.Scorecard:
    facts = perfscore.load_facts(ROOT / "examples" / f"{example}.yaml")
    rubric = perfscore.load_rubric(f"{facts.rubric_id}@{facts.rubric_version}")
    return rubric.evaluate(facts)


def _errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(str(params["exceptionDetails"]))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(str(params.get("args")))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(params["entry"]["text"])
    return found


_NON_BLANK = """
new Promise(function (done) {
  var image = new Image();
  image.onload = function () {
    var c = document.createElement("canvas");
    c.width = image.width; c.height = image.height;
    var g = c.getContext("2d"); g.drawImage(image, 0, 0);
    var d = g.getImageData(0, 0, c.width, c.height).data, ink = 0, colours = {};
    for (var i = 0; i < d.length; i += 4) {
      if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) ink++;
      colours[(d[i] >> 4) + "," + (d[i + 1] >> 4) + "," + (d[i + 2] >> 4)] = 1;
    }
    done([c.width, c.height, ink, Object.keys(colours).length]);
  };
  image.onerror = function () { done(null); };
  image.src = "data:image/png;base64,PNG";
})
"""


@pytest.mark.parametrize("example", ["huizhou-dayawan-zuzhibu-2022", "project-sheet-lijiang-2020"])
def test_report_renders_in_chromium(browser: Browser, example: str, tmp_path: Path) -> None:
    card = _card(example)
    page = tmp_path / f"{example}.html"
    page.write_text(render_html(card), encoding="utf-8")
    browser.events.clear()
    browser.open_page()
    browser.send(
        "Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1,
        mobile=False,
    )  # fmt: skip
    browser.send("Page.navigate", url=page.as_uri())
    browser.wait_for("Page.loadEventFired")

    # one bar per indicator, each as wide as its score's share of the chart's scale
    bars = browser.evaluate(
        "Array.from(document.querySelectorAll('#score-chart rect.score-bar'))"
        ".map(r => [r.closest('g').dataset.indicator, r.getBBox().width])"
    )
    assert [b[0] for b in bars] == [i.id for i in card.indicators]
    widest = max(i.max for i in card.indicators)
    for (_, drawn), item in zip(bars, card.indicators, strict=True):
        assert drawn == pytest.approx(float(item.score / widest) * 560, abs=0.2)
    claimed = browser.evaluate("document.querySelectorAll('#score-chart rect.claimed-bar').length")
    assert claimed == sum(1 for i in card.indicators if i.claimed is not None)

    # the total and the grade are on the page as a reader sees them
    total = browser.evaluate("document.querySelector('#total b').innerText")
    assert total == perfscore._numbers.format_decimal(card.total)
    assert card.grade in browser.evaluate("document.querySelector('#grade').innerText")
    traces = browser.evaluate("document.querySelectorAll('details[data-indicator]').length")
    assert traces == len(card.indicators)
    # findings come before the chart
    order = browser.evaluate(
        "[document.getElementById('findings'), document.getElementById('chart')]"
        ".map(e => e.getBoundingClientRect().top)"
    )
    assert order[0] < order[1]

    # nothing was fetched and nothing complained
    assert browser.evaluate("performance.getEntriesByType('resource').length") == 0
    assert _errors(browser.events) == []

    # the Chinese title is drawn with a CJK face, not boxes from a Latin fallback
    root = browser.send("DOM.getDocument")["root"]["nodeId"]
    heading = browser.send("DOM.querySelector", nodeId=root, selector="h1")["nodeId"]
    fonts = browser.send("CSS.getPlatformFontsForNode", nodeId=heading)["fonts"]
    assert fonts, "no font used for the heading"
    used = max(fonts, key=lambda f: f["glyphCount"])
    assert "CJK" in used["familyName"], fonts
    # and each Chinese character takes a full em, as a CJK face sets it
    em = browser.evaluate(
        "(function(){var s=document.createElement('span');s.style.fontSize='40px';"
        "s.textContent='绩效自评得分';document.body.appendChild(s);"
        "var w=s.getBoundingClientRect().width;s.remove();return w;})()"
    )
    assert em == pytest.approx(240, abs=2)

    # on paper every trace is shown, though the page shows them folded
    visible = "document.querySelector('details[data-indicator] ol').checkVisibility()"
    assert browser.evaluate(visible) is False
    browser.send("Emulation.setEmulatedMedia", media="print")
    assert browser.evaluate(visible) is True
    browser.send("Emulation.setEmulatedMedia", media="")

    shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    png = base64.b64decode(shot["data"])
    target = SHOTS / f"perfscore-report-{example}.png"
    target.write_bytes(png)
    browser.close_page()
    browser.open_page()  # about:blank: the report's own policy forbids data: images
    width, height, ink, colours = browser.evaluate(_NON_BLANK.replace("PNG", shot["data"]))
    assert width == 1200
    assert height > 900  # the whole page, not only the first screen
    assert ink > width * height // 50  # text, bars and rules cover more than 2% of it
    assert colours >= 4  # ink, the bars' colours and the background
    browser.close_page()


def test_project_sheet_renders_as_one_aligned_table_in_chromium(
    browser: Browser, tmp_path: Path
) -> None:
    # project-sheet-national@2020.2 lays its scorecards out as the 附件2 table: the 丽江 sheet's
    # "年度资金总额 7.29 7.29 7.29 10.00 100% 10.00" and "社会效益指标 违法行为责停率 ≥ 95 %"
    facts = perfscore.load_facts(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    goals = {"goal_planned": "完成2020年度卫片执法检查", "goal_actual": "已按期完成"}
    facts = dataclasses.replace(facts, rubric_version="2020.2", facts={**facts.facts, **goals})
    card = perfscore.load_rubric("project-sheet-national@2020.2").evaluate(facts)
    page = tmp_path / "project-sheet.html"
    page.write_text(render_html(card), encoding="utf-8")
    browser.events.clear()
    browser.open_page()
    browser.send(
        "Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1,
        mobile=False,
    )  # fmt: skip
    browser.send("Page.navigate", url=page.as_uri())
    browser.wait_for("Page.loadEventFired")

    # the merges make one grid of ten columns: the cells tile the table, no gap, no overlap
    # (a wrong span leaves a hole or pushes a row out into an eleventh column)
    grid = browser.evaluate(
        "(function(){var t=document.getElementById('project-sheet');"
        "var b=t.getBoundingClientRect(), area=0, columns=0;"
        "Array.from(t.rows).forEach(function(r){Array.from(r.cells).forEach(function(c){"
        "var e=c.getBoundingClientRect(); area+=e.width*e.height;});});"
        "Array.from(t.rows[0].cells).forEach(function(c){columns+=c.colSpan;});"
        "return [area/(b.width*b.height), columns, t.rows.length];})()"
    )
    assert grid[0] == pytest.approx(1, abs=0.01)
    assert grid[1] == 10
    assert grid[2] == len(card.indicators) - 1 + 5 + 2 + 2 + 2  # rows, bands, header, totals
    # the funds band as the sheet prints it, and the 年度总体目标 text
    funds = browser.evaluate(
        "Array.from(document.querySelectorAll('#project-sheet tr')).find("
        "r => r.innerText.includes('年度资金总额')).innerText.split('\\t').map(s => s.trim())"
    )
    assert funds[:8] == ["年度资金总额", "7.29", "7.29", "7.29", "10", "100%", "10", "10"]
    social = browser.evaluate(
        "Array.from(document.querySelectorAll('#project-sheet tr')).find("
        "r => r.innerText.includes('违法行为责停率')).innerText"
    )
    assert "社会效益指标" in social
    assert "≥95%" in social
    text = browser.evaluate("document.getElementById('project-sheet').innerText")
    assert goals["goal_planned"] in text
    assert goals["goal_actual"] in text
    assert _errors(browser.events) == []

    shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    (SHOTS / "perfscore-report-project-sheet-2020.2.png").write_bytes(
        base64.b64decode(shot["data"])
    )
    browser.close_page()
    browser.open_page()
    width, height, ink, colours = browser.evaluate(_NON_BLANK.replace("PNG", shot["data"]))
    assert width == 1200
    assert height > 900
    assert ink > width * height // 50
    assert colours >= 4
    browser.close_page()
