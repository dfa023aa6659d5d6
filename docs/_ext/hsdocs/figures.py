"""Pictures generated at build time: the data model diagram, a timeline and a network.

All three are inline SVG in the HTML (no image files to keep in step) with a
caption taken from the directive's content, and every one is drawn from the
authoritative sources: the model from the schemas' ``recordRef`` fields, the
timeline and network from the canonical data. Dates keep their precision: a
month-precise date is drawn as a bar spanning its month, a year-precise one
spans its year, and events without a date are listed, not placed.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import init as init_locale
from sphinx.util.docutils import SphinxDirective

from hsdata._web import _figures as shared
from hsdata._web._figures import Span as _Span

from ._nodes import build_language, canonical_records, label, schema_set, text_in
from ._nodes import table as make_table
from .schema import anchor_for_path, build_index

# -- shared ----------------------------------------------------------------------------------


def _svg_only(svg: str, aria_label: str) -> str:
    """matplotlib's SVG document reduced to a scalable inline <svg> element."""
    start = svg.index("<svg")
    svg = svg[start:]
    svg = (
        re.sub(r'\s(width|height)="[^"]*"', "", svg.split(">", 1)[0], count=2)
        + ">"
        + (svg.split(">", 1)[1])
    )
    return svg.replace(
        "<svg",
        f'<svg role="img" aria-label="{html.escape(aria_label)}" class="hsdocs-svg"',
        1,
    )


class _Figure(SphinxDirective):
    """A figure whose picture is inline SVG and whose caption is the directive content."""

    has_content = True
    option_spec = {"alt": directives.unchanged}  # noqa: RUF012 - docutils API

    def svg(self) -> str:
        raise NotImplementedError

    def extra(self) -> list[nodes.Node]:
        return []

    def run(self) -> list[nodes.Node]:
        for path in sorted(schema_set().directory.glob("*.json")):
            self.env.note_dependency(str(path))
        figure = nodes.container(classes=["hsdocs-figure"])
        figure += nodes.raw("", self.svg(), format="html")
        if self.content:
            caption = nodes.container(classes=["hsdocs-caption"])
            self.state.nested_parse(self.content, self.content_offset, caption)
            figure += caption
        return [figure, *self.extra()]


def _matplotlib_svg(fig: Any, salt: str, aria_label: str) -> str:
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return _svg_only(buffer.getvalue(), aria_label)


# -- the data model --------------------------------------------------------------------------

#: Where each record type sits in the diagram (x, y of the box centre), chosen so that
#: no two links cross; a record type added later is placed in a new bottom row.
_POSITIONS = {
    "issueArea": (500, 130),
    "partnership": (180, 330),
    "document": (500, 330),
    "event": (820, 330),
    "membership": (180, 540),
    "actor": (500, 540),
    "source": (820, 540),
}
_WIDTH = 1000
_BOX_W, _BOX_H = 200, 64
#: Loops for links from a record type to itself: which side of the box they leave.
_LOOP_SIDE = {"actor": "bottom", "event": "right", "issueArea": "right", "partnership": "left"}


@dataclass
class _Edge:
    source: str
    target: str
    fields: list[tuple[str, str | None]]  # (shown path, anchor)


class ModelDiagram(_Figure):
    """``.. hsdata-model-diagram::`` - the record types and the fields that link them."""

    option_spec = {"schema-page": directives.unchanged}  # noqa: RUF012 - docutils API

    def svg(self) -> str:
        schemas = schema_set()
        index = build_index(schemas)
        page = self.options.get("schema-page", "schema") + (self.config.html_file_suffix or ".html")
        edges: dict[tuple[str, str], _Edge] = {}
        for ref in schemas.reference_fields:
            if ref.target == "source" and ref.path[-1] == "source" and "citations" in ref.path:
                continue  # every record cites sources: said once in the source box
            shown = ".".join(ref.path).replace(".*", "[]")
            anchor = anchor_for_path(index, ref.record_type, ref.path)
            edge = edges.setdefault(
                (ref.record_type, ref.target), _Edge(ref.record_type, ref.target, [])
            )
            edge.fields.append((shown, anchor))
        positions = dict(_POSITIONS)
        extra = [t for t in schemas.record_types if t not in positions]
        for i, record_type in enumerate(extra):
            positions[record_type] = (180 + 320 * (i % 3), 750 + 210 * (i // 3))
        height = max(y for _, y in positions.values()) + 120
        # Box titles are the schemas' titles, in the build's language from the schema
        # reference's own catalogue.
        translator, _ = init_locale(self.config.locale_dirs, self.config.language, "schema")
        titles = {
            t: translator.gettext(schemas.record_schema(t).get("title", t))
            for t in schemas.record_types
        }
        parts: list[str] = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
            f'class="hsdocs-svg hsdocs-model" role="img" '
            f'aria-label="{html.escape(label("Diagram of the record types and their links"))}">',
            "<defs><marker id='hsdocs-arrow' viewBox='0 0 10 10' refX='9' refY='5' "
            "markerWidth='8' markerHeight='8' orient='auto-start-reverse'>"
            "<path d='M0,0 L10,5 L0,10 z' class='hsdocs-arrowhead'/></marker></defs>",
        ]
        labels: list[str] = []
        boxes = [
            (x - _BOX_W / 2, y - _BOX_H / 2, x + _BOX_W / 2, y + _BOX_H / 2)
            for t, (x, y) in positions.items()
            if t in titles
        ]
        for (source, target), edge in edges.items():
            if source not in positions or target not in positions:
                continue
            path_d, label_xy = self._edge_geometry(source, target, positions, edges)
            parts.append(
                f"<path d='{path_d}' class='hsdocs-link' marker-end='url(#hsdocs-arrow)'/>"
            )
            anchor = _label_anchor(source, target)
            shown = [text for text, _ in edge.fields]
            label_xy = _clear_of(shown, label_xy, anchor, boxes)
            boxes.append(_label_extent(shown, label_xy, anchor))
            labels.append(self._edge_label(edge, label_xy, page, anchor))
        for record_type, (x, y) in positions.items():
            if record_type not in titles:
                continue
            href = f"{page}#schema-{record_type}"
            parts.append(
                f"<a href='{html.escape(href)}'><g class='hsdocs-node'>"
                f"<rect x='{x - _BOX_W / 2}' y='{y - _BOX_H / 2}' width='{_BOX_W}' "
                f"height='{_BOX_H}' rx='10'/>"
                f"<text x='{x}' y='{y - 2}' class='hsdocs-node-title'>"
                f"{html.escape(titles[record_type])}</text>"
                f"<text x='{x}' y='{y + 20}' class='hsdocs-node-type'>{record_type}</text>"
                "</g></a>"
            )
        if "source" in positions:
            x, y = positions["source"]
            parts.append(
                f"<text x='{x}' y='{y + _BOX_H / 2 + 24}' class='hsdocs-note'>"
                f"{html.escape(label('cited by every record'))} (citations[].source)</text>"
            )
        parts.extend(labels)
        parts.append("</svg>")
        return "".join(parts)

    def _edge_geometry(
        self,
        source: str,
        target: str,
        positions: dict[str, tuple[int, int]],
        edges: dict[tuple[str, str], _Edge],
    ) -> tuple[str, tuple[float, float]]:
        sx, sy = positions[source]
        tx, ty = positions[target]
        if source == target:
            side = _LOOP_SIDE.get(source, "right")
            w, h = _BOX_W / 2, _BOX_H / 2
            # Loop labels sit under the box, inside the picture whichever side the loop is on.
            if side == "bottom":
                a, b = (sx - 40, sy + h), (sx + 40, sy + h)
                c1, c2 = (sx - 70, sy + h + 70), (sx + 70, sy + h + 70)
                return _cubic(a, c1, c2, b), (sx + 62, sy + h + 40)
            if side == "left":
                a, b = (sx - w, sy - 14), (sx - w, sy + 14)
                c1, c2 = (sx - w - 70, sy - 55), (sx - w - 70, sy + 55)
                return _cubic(a, c1, c2, b), (sx - w - 30, sy + h + 30)
            a, b = (sx + w, sy - 14), (sx + w, sy + 14)
            c1, c2 = (sx + w + 70, sy - 55), (sx + w + 70, sy + 55)
            return _cubic(a, c1, c2, b), (sx + w + 30, sy + h + 30)
        if (target, source) in edges and sy == ty:
            # A pair of opposite links on one row: two arcs over the top.
            lift = 360 if (source, target) < (target, source) else 300
            a = (sx + (40 if tx > sx else -40), sy - _BOX_H / 2)
            b = (tx - (40 if tx > sx else -40), ty - _BOX_H / 2)
            c1, c2 = (a[0], sy - lift), (b[0], ty - lift)
            peak = 0.25 * a[1] + 0.75 * c1[1]
            return _cubic(a, c1, c2, b), ((sx + tx) / 2, peak - 6)
        a = _box_border((sx, sy), (tx, ty))
        b = _box_border((tx, ty), (sx, sy))
        if sy == ty:
            # A horizontal link: its label sits above the line, not across it.
            lines = len(edges[(source, target)].fields)
            mid_x = (a[0] + b[0]) / 2
            return f"M{a[0]:.1f},{a[1]:.1f} L{b[0]:.1f},{b[1]:.1f}", (mid_x, sy - 9 * lines - 6)
        return f"M{a[0]:.1f},{a[1]:.1f} L{b[0]:.1f},{b[1]:.1f}", (
            (a[0] + b[0]) / 2,
            (a[1] + b[1]) / 2,
        )

    def _edge_label(self, edge: _Edge, xy: tuple[float, float], page: str, anchor_to: str) -> str:
        x, y = xy
        lines = edge.fields
        top = y - (len(lines) - 1) * 9
        out = []
        for i, (shown, anchor) in enumerate(lines):
            text = html.escape(shown)
            line_y = top + i * 18
            item = (
                f"<text x='{x:.1f}' y='{line_y + 5:.1f}' text-anchor='{anchor_to}' "
                f"class='hsdocs-edge-label'>{text}</text>"
            )
            if anchor:
                item = f"<a href='{html.escape(page + '#' + anchor)}'>{item}</a>"
            out.append(item)
        return "<g class='hsdocs-edge'>" + "".join(out) + "</g>"


#: Edge labels: 16px monospace (hsdocs.css), whose characters are at most 0.62em wide,
#: and a margin around them so that no label touches a box or another label.
_LABEL_SIZE, _CHAR_WIDTH, _LABEL_MARGIN = 16, 0.62 * 16, 4


def _label_extent(
    lines: list[str], xy: tuple[float, float], anchor: str
) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) an edge label's lines take, as _edge_label draws them."""
    x, y = xy
    top = y - (len(lines) - 1) * 9 + 5  # the first baseline
    width = max(len(line) for line in lines) * _CHAR_WIDTH
    x0 = {"start": x, "end": x - width}.get(anchor, x - width / 2)
    return (
        x0 - _LABEL_MARGIN,
        top - 0.8 * _LABEL_SIZE - _LABEL_MARGIN,
        x0 + width + _LABEL_MARGIN,
        top + (len(lines) - 1) * 18 + 0.25 * _LABEL_SIZE + _LABEL_MARGIN,
    )


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _clear_of(
    lines: list[str],
    xy: tuple[float, float],
    anchor: str,
    taken: list[tuple[float, float, float, float]],
) -> tuple[float, float]:
    """The nearest place to ``xy`` inside the picture where the label covers no box and no
    earlier label.

    Places are tried by distance, 4 units apart, up to 160 units away, upwards first.
    """
    x, y = xy
    moves = sorted(
        ((dx, dy) for dx in range(-160, 161, 4) for dy in range(-160, 161, 4)),
        key=lambda move: (move[0] ** 2 + move[1] ** 2, move[1] > 0, abs(move[0])),
    )
    for dx, dy in moves:
        candidate = (x + dx, y + dy)
        box = _label_extent(lines, candidate, anchor)
        inside = box[0] >= 0 and box[2] <= _WIDTH and box[1] >= 0
        if inside and not any(_overlaps(box, other) for other in taken):
            return candidate
    return xy


def _label_anchor(source: str, target: str) -> str:
    """Loop labels under a box on the picture's edge are aligned towards its inside."""
    if source != target:
        return "middle"
    side = _LOOP_SIDE.get(source, "right")
    return {"left": "start", "right": "end"}.get(side, "start")


def _cubic(
    a: tuple[float, float],
    c1: tuple[float, float],
    c2: tuple[float, float],
    b: tuple[float, float],
) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (c1, c2, b))
    return f"M{a[0]:.1f},{a[1]:.1f} C{points}"


def _box_border(centre: tuple[float, float], towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's centre towards a point leaves the box."""
    (cx, cy), (tx, ty) = centre, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (_BOX_W / 2 + 4) / abs(dx) if dx else float("inf"),
        (_BOX_H / 2 + 4) / abs(dy) if dy else float("inf"),
    )
    return cx + dx * scale, cy + dy * scale


# -- the timeline ----------------------------------------------------------------------------
# The drawing itself lives in hsdata/_web/_figures.py, shared with ``hsdata serve``.


def code_title(codelist: str, code: str, language: str) -> str:
    """A code's title in ``language`` (its English title, or the code, when missing)."""
    return shared.code_title(schema_set().codelists, codelist, code, language)


def _records() -> dict[str, list[dict[str, Any]]]:
    """The canonical records by type, without their file names."""
    return {kind: [r for _f, r in pairs] for kind, pairs in canonical_records().items()}


class TimelineFigure(_Figure):
    """``.. hsdata-timeline::`` - dated events and memberships on a time axis."""

    def collect(self) -> tuple[list[_Span], list[dict[str, Any]]]:
        spans, undated = shared.timeline_spans(
            _records(), schema_set().codelists, build_language(self.env)
        )
        return spans, [dict(event) for event in undated]

    def svg(self) -> str:
        spans, _undated = self.collect()
        return _matplotlib_svg(
            shared.draw_timeline(spans, label),
            "hsdata-timeline",
            label("Timeline of events and memberships"),
        )

    def extra(self) -> list[nodes.Node]:
        return self.table_and_undated()

    def table_and_undated(self) -> list[nodes.Node]:
        return _timeline_text(self, *self.collect())


def _timeline_text(
    directive: SphinxDirective, spans: list[_Span], undated: list[dict[str, Any]]
) -> list[nodes.Node]:
    """The timeline's data as a table, and the events it could not place."""
    language = build_language(directive.env)
    result: list[nodes.Node] = []
    table, group = make_table(["hsdocs-timeline-table"], (60, 24, 16))
    head = nodes.thead()
    group += head
    header = nodes.row()
    for text in (label("Event or membership"), label("Date as published"), label("Status")):
        header += nodes.entry("", nodes.paragraph("", text))
    head += header
    body = nodes.tbody()
    group += body
    for span in spans:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", span.name))
        when = shared.describe(span.start, span.end)
        row += nodes.entry("", nodes.paragraph("", "", nodes.literal(when, when)))
        row += nodes.entry("", nodes.paragraph("", span.status_title))
        body += row
    result.append(table)
    if undated:
        rubric = nodes.rubric("", label("Events the sources give no date for"))
        rubric["translatable"] = False  # translated by the hsdocs catalogue
        result.append(rubric)
        items = nodes.bullet_list()
        for event in undated:
            name = text_in(event.get("name"), language)
            status = event.get("status")
            status = (
                code_title("eventStatus.csv", status, language)
                if status
                else label("status not stated")
            )
            items += nodes.list_item("", nodes.paragraph("", f"{name} ({status})"))
        result.append(items)
    return result


# -- the network -----------------------------------------------------------------------------


class NetworkFigure(_Figure):
    """``.. hsdata-network::`` - actors, the partnerships they belong to, and their seats."""

    def svg(self) -> str:
        fig = shared.draw_network(
            _records(), schema_set().codelists, build_language(self.env), label
        )
        return _matplotlib_svg(fig, "hsdata-network", label("Network of actors and partnerships"))
