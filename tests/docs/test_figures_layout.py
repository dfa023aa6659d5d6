"""The pictures say what their captions promise, and the pages read as typed.

The timeline hatches what is known only to the month or year, visibly; the
labels of the network and of the model diagram never cover one another (nor a
node); the rules page keeps ``--record-type`` as typed; no internal link is
dead; the guide shows the current version of the standard.
"""

from __future__ import annotations

import html
import json
import re
from itertools import combinations
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

import hsdata
from hsdata._web import _figures as figures

from .conftest import REPO_ROOT, Build, html_ids

DATA = REPO_ROOT / "data"
Box = tuple[float, float, float, float]


def canonical() -> tuple[dict[str, list[dict[str, Any]]], Any]:
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    records: dict[str, list[dict[str, Any]]] = {}
    for resource in descriptor["resources"]:
        record_type = resource.get("hsdata:recordType")
        if record_type:
            text = (DATA / resource["path"]).read_text(encoding="utf-8")
            records.setdefault(record_type, []).extend(json.loads(text))
    codelists = hsdata.load_schema_set(descriptor["hsdata:version"]).codelists
    return records, codelists


def overlap(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def contrast(first: Any, second: Any) -> float:
    return sum(abs(x - y) for x, y in zip(to_rgb(first), to_rgb(second), strict=True))


# -- the timeline -----------------------------------------------------------------------------


def test_the_timeline_hatches_dates_known_to_the_month_or_year_visibly() -> None:
    records, codelists = canonical()
    spans, _ = figures.timeline_spans(records, codelists, "en")
    fig = figures.draw_timeline(spans, str)
    bars = list(fig.axes[0].patches)
    # Every span not drawn as a diamond is one bar, in order.
    drawn = [
        s
        for s in spans
        if not (s.start.day and s.end.day and (s.end.latest - s.start.earliest).days < 3)
    ]
    assert len(bars) == len(drawn)
    imprecise = 0
    for span, bar in zip(drawn, bars, strict=True):
        precise = span.start.day is not None and span.end.day is not None
        if precise:
            assert not bar.get_hatch(), span.name
            continue
        imprecise += 1
        assert bar.get_hatch() == "//", span.name
        # The hatching is drawn in the hatch colour over the face: they must differ.
        assert contrast(bar.get_hatchcolor(), bar.get_facecolor()) > 0.6, span.name
    assert imprecise >= 3
    legend = fig.axes[0].get_legend()
    hatched = [h for h in legend.get_patches() if h.get_hatch()]
    assert len(hatched) == 2
    for handle in hatched:
        assert contrast(handle.get_hatchcolor(), handle.get_facecolor()) > 0.6


def test_a_hatch_drawn_in_the_colour_of_its_face_is_caught() -> None:
    from matplotlib.patches import Rectangle

    invisible = Rectangle((0, 0), 1, 1, facecolor="#2f6f9f", edgecolor="#2f6f9f", hatch="//")
    assert contrast(invisible.get_hatchcolor(), invisible.get_facecolor()) < 0.6


# -- the network ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_label_of_the_network_covers_another_or_a_node(language: str) -> None:
    records, codelists = canonical()
    fig = figures.draw_network(records, codelists, language, str)
    ax = fig.axes[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    labels = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    assert len(labels) > 10
    for (first, a), (second, b) in combinations(labels, 2):
        assert not a.overlaps(b), f"{first!r} overlaps {second!r}"
    # Each label points at its node (annotations keep xy): no label covers another's node.
    radius = (260**0.5) / 2 * fig.dpi / 72  # an actor's marker: node_size is its area in pt²
    nodes = {t.get_text(): ax.transData.transform(t.xy) for t in ax.texts if hasattr(t, "xy")}
    for text, box in labels:
        for other, (x, y) in nodes.items():
            marker = (x - radius, y - radius, x + radius, y + radius)
            assert other == text or not overlap((box.x0, box.y0, box.x1, box.y1), marker), (
                f"{text!r} covers the node of {other!r}"
            )


# -- the model diagram ------------------------------------------------------------------------

_STYLES = {
    "hsdocs-node-title": (21, "sans-serif", "bold"),
    "hsdocs-node-type": (16, "monospace", "normal"),
    "hsdocs-edge-label": (16, "monospace", "normal"),
    "hsdocs-note": (15, "sans-serif", "normal"),
}


def diagram_boxes(page: str) -> tuple[list[tuple[str, Box]], list[Box], float]:
    """The text boxes (measured with matplotlib's fonts), node boxes and width of the diagram."""
    svg = re.search(r"<svg[^>]*hsdocs-model.*?</svg>", page, re.S)
    assert svg is not None, "no model diagram on the page"
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg.group(0)).group(1))  # type: ignore[union-attr]
    texts = []
    for match in re.finditer(r"<text ([^>]*)>(.*?)</text>", svg.group(0)):
        attributes = dict(re.findall(r"([\w-]+)='([^']*)'", match.group(1)))
        text = html.unescape(match.group(2))
        size, family, weight = _STYLES[attributes["class"]]
        font = FontProperties(family=family, weight=weight)
        extent = TextPath((0, 0), text, size=size, prop=font).get_extents()
        x, y = float(attributes["x"]), float(attributes["y"])
        left = {"start": x, "end": x - extent.width}.get(
            attributes.get("text-anchor", "middle"), x - extent.width / 2
        )
        texts.append((text, (left, y - 0.8 * size, left + extent.width, y + 0.25 * size)))
    nodes = [
        (x, y, x + w, y + h)
        for x, y, w, h in (
            tuple(map(float, m))
            for m in re.findall(
                r"<rect x='([\d.-]+)' y='([\d.-]+)' width='([\d.]+)' height='([\d.]+)'",
                svg.group(0),
            )
        )
    ]
    return texts, nodes, width


@pytest.mark.slow
@pytest.mark.parametrize("build", ["html_en", "html_newest"])
def test_no_label_of_the_model_diagram_covers_another_or_a_box(
    build: str, request: pytest.FixtureRequest
) -> None:
    built: Build = request.getfixturevalue(build)
    texts, nodes, width = diagram_boxes(built.page("model.html"))
    assert len(texts) > 20 and len(nodes) >= 7
    for (first, a), (second, b) in combinations(texts, 2):
        assert not overlap(a, b), f"{first!r} overlaps {second!r}"
    for text, box in texts:
        assert box[0] >= 0 and box[2] <= width, f"{text!r} runs out of the picture"
        for node in nodes:
            inside = node[0] <= box[0] and box[2] <= node[2] and node[1] <= box[1]
            assert inside or not overlap(box, node), f"{text!r} crosses the box at {node}"


def test_the_measure_catches_overlapping_labels() -> None:
    page = (
        '<svg viewBox="0 0 300 100" class="hsdocs-model">'
        "<rect x='0' y='0' width='100' height='50' rx='10'/>"
        "<text x='90' y='30' class='hsdocs-edge-label'>outcomeDocuments[]</text>"
        "<text x='150' y='32' class='hsdocs-edge-label'>body</text></svg>"
    )
    texts, nodes, _ = diagram_boxes(page)
    assert overlap(texts[0][1], texts[1][1])
    assert overlap(texts[0][1], nodes[0])


# -- the pages --------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_rules_page_keeps_command_line_options_as_typed(html_en: Build) -> None:
    page = html_en.page("rules.html")
    assert "--record-type" in page
    assert "\u2013record-type" not in page and "&#8211;record-type" not in page


@pytest.mark.slow
@pytest.mark.parametrize("build", ["html_en", "html_fr"])
def test_no_internal_link_is_dead(build: str, request: pytest.FixtureRequest) -> None:
    built: Build = request.getfixturevalue(build)
    ids: dict[str, set[str]] = {}
    dead = []
    for page in sorted(built.outdir.glob("*.html")):
        # Not the language switcher's links (href then hreflang): they lead to the other
        # edition's build, and test_language_switcher follows them there.
        for raw in re.findall(r'href="([^"]*)"(?! hreflang=)', page.read_text(encoding="utf-8")):
            href = html.unescape(raw).partition("?")[0]
            if not href or re.match(r"[a-z]+:|//", href):
                continue
            path, _, fragment = href.partition("#")
            target = (page.parent / path) if path else page
            if path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                dead.append(f"{page.name}: {href} (no such page)")
                continue
            if fragment and target.suffix == ".html":
                known = ids.setdefault(str(target), html_ids(target.read_text(encoding="utf-8")))
                if fragment not in known:
                    dead.append(f"{page.name}: {href} (no such anchor)")
    assert not dead, "\n".join(dead)
    api = built.page("api.html")
    assert 'href="#hsdata.Issue.location"' in api and 'id="hsdata.Issue.location"' in api


@pytest.mark.slow
def test_the_guide_shows_the_current_version_and_no_unfilled_token(html_en: Build) -> None:
    guide = html.unescape(re.sub(r"<[^>]+>", "", html_en.page("guide.html")))
    version = hsdata.STANDARD_VERSION
    assert f'hsdata.load_schema_set("{version}")' in guide
    assert f"https://w3id.org/hsdata/schema/{version}/event.json" in guide
    assert f'"hsdata:version": "{version}"' in guide
    assert "schema/1.0/event.json" not in guide or version == "1.0"
    token = re.compile(r"\{\{(distribution|release|home|repository|site|standard_version)\}\}")
    for page in html_en.outdir.glob("*.html"):
        assert not token.search(page.read_text(encoding="utf-8")), page.name


@pytest.mark.slow
def test_the_french_home_has_no_stray_quotation_mark(html_fr: Build) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", "", html_fr.page("index.html")))
    assert "l’API Python" in text
    # An apostrophe typed before a role became a closing quotation mark: l”API.
    assert not re.search(r"\w[”“]\w", text)
