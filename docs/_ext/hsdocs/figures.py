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
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import init as init_locale
from sphinx.util.docutils import SphinxDirective

from hsdata import PartialDate

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
        for (source, target), edge in edges.items():
            if source not in positions or target not in positions:
                continue
            path_d, label_xy = self._edge_geometry(source, target, positions, edges)
            parts.append(
                f"<path d='{path_d}' class='hsdocs-link' marker-end='url(#hsdocs-arrow)'/>"
            )
            labels.append(self._edge_label(edge, label_xy, page, _label_anchor(source, target)))
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


@dataclass
class _Span:
    name: str
    start: PartialDate
    end: PartialDate
    status: str
    group: str
    #: The status as readers see it: the code's title in the build's language.
    status_title: str = ""


def code_title(codelist: str, code: str, language: str) -> str:
    """A code's title in ``language`` (its English title, or the code, when missing)."""
    found = schema_set().codelists.get(codelist)
    if found is None or code not in found:
        return code
    return found.titles[code].get(language) or found.titles[code]["en"]


def _span(start_text: str, end_text: str | None) -> tuple[PartialDate, PartialDate]:
    start = PartialDate.parse(start_text)
    return start, PartialDate.parse(end_text) if end_text else start


def _describe(start: PartialDate, end: PartialDate) -> str:
    return str(start) if start == end else f"{start} – {end}"


class TimelineFigure(_Figure):
    """``.. hsdata-timeline::`` - dated events and memberships on a time axis."""

    def collect(self) -> tuple[list[_Span], list[dict[str, Any]]]:
        language = build_language(self.env)
        records = canonical_records()
        spans: list[_Span] = []
        undated: list[dict[str, Any]] = []
        for _file, event in records.get("event", ()):
            period = event.get("date") or {}
            if "start" not in period:
                undated.append(event)
                continue
            start, end = _span(period["start"], period.get("end"))
            name = text_in(event.get("name"), language)
            status = event.get("status", "")
            title = code_title("eventStatus.csv", status, language) if status else ""
            spans.append(_Span(name, start, end, status, "event", title))
        actors = {r["id"]: r for _f, r in records.get("actor", ())}
        for _file, membership in records.get("membership", ()):
            period = membership.get("period") or {}
            if "start" not in period:
                continue
            start, end = _span(period["start"], period.get("end"))
            member = text_in(actors.get(membership["member"], {}).get("name"), language)
            body = actors.get(membership["organization"], {})
            body_name = text_in(body.get("abbreviation") or body.get("name"), language)
            role = code_title("membershipRole.csv", membership.get("role", ""), language)
            name = f"{member}: {role} ({body_name})" if role else f"{member} ({body_name})"
            spans.append(_Span(name, start, end, "held", "membership"))
        spans.sort(key=lambda s: (s.group != "event", s.start.earliest, s.end.latest))
        return spans, undated

    def svg(self) -> str:
        spans, _undated = self.collect()
        return _matplotlib_svg(
            draw_timeline(spans), "hsdata-timeline", label("Timeline of events and memberships")
        )

    def extra(self) -> list[nodes.Node]:
        return self.table_and_undated()

    def table_and_undated(self) -> list[nodes.Node]:
        return _timeline_text(self, *self.collect())


def draw_timeline(spans: list[_Span]) -> Any:
    """The timeline figure (a matplotlib Figure) for the given spans."""
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    fig = Figure(figsize=(8, 0.5 * len(spans) + 1.4), dpi=100)
    ax = fig.add_subplot()
    colours = {"event": "#2f6f9f", "membership": "#b5651d"}
    for row, span in enumerate(spans):
        left = mdates.date2num(span.start.earliest)
        right = mdates.date2num(span.end.latest + timedelta(days=1))
        colour = colours[span.group]
        scheduled = span.status in {"scheduled", "postponed"}
        precise = span.start.day is not None and span.end.day is not None
        marker = precise and right - left <= 3
        if marker:
            ax.plot(
                [(left + right) / 2],
                [row],
                marker="D",
                markersize=8,
                color=colour,
                markerfacecolor="white" if scheduled else colour,
            )
        else:
            ax.barh(
                row,
                right - left,
                left=left,
                height=0.5,
                color="white" if scheduled else colour,
                alpha=1.0 if precise else 0.55,
                edgecolor=colour,
                linestyle="--" if scheduled else "-",
                hatch=None if precise else "//",
            )
        ax.text(
            right + (25 if marker else 12),
            row,
            _describe(span.start, span.end),
            va="center",
            fontsize=8.5,
            color="#333",
        )
    ax.set_yticks(range(len(spans)), [textwrap.fill(s.name, 36) for s in spans], fontsize=8.5)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    first = min(s.start.earliest for s in spans)
    last = max(s.end.latest for s in spans)
    ax.set_xlim(mdates.date2num(date(first.year, 1, 1)), mdates.date2num(date(last.year + 1, 3, 1)))
    ax.grid(axis="x", which="major", color="#ccc")
    ax.grid(axis="x", which="minor", color="#eee")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(
        handles=[
            Patch(color=colours["event"], label=label("event, date to the day")),
            Patch(
                facecolor=colours["event"],
                alpha=0.55,
                hatch="//",
                label=label("event known to the month or year"),
            ),
            Patch(
                facecolor="white",
                edgecolor=colours["event"],
                linestyle="--",
                label=label("scheduled, not yet held"),
            ),
            Patch(color=colours["membership"], alpha=0.55, hatch="//", label=label("membership")),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncol=2,
        fontsize=8.5,
        frameon=False,
    )
    return fig


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
        when = _describe(span.start, span.end)
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
        fig = draw_network(build_language(self.env))
        return _matplotlib_svg(fig, "hsdata-network", label("Network of actors and partnerships"))


def _partnership_positions(ids: list[str], relations: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Partnerships on a horizontal line, the most related one in the middle."""
    import numpy as np

    degree = dict.fromkeys(ids, 0)
    for source, target, _relation in relations:
        degree[source] = degree.get(source, 0) + 1
        degree[target] = degree.get(target, 0) + 1
    ranked = sorted(ids, key=lambda pid: (-degree[pid], ids.index(pid)))
    order: list[str] = []
    for i, pid in enumerate(ranked):
        if i % 2:
            order.insert(0, pid)
        else:
            order.append(pid)
    centre = (len(order) - 1) / 2
    return {pid: np.array([(i - centre) * 2.2, 0.0]) for i, pid in enumerate(order)}


def draw_network(language: str) -> Any:
    """The actors-and-partnerships figure (a matplotlib Figure) in one language."""
    import networkx as nx
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    records = canonical_records()
    codelists = schema_set().codelists
    actors = {r["id"]: r for _f, r in records.get("actor", ())}
    graph: Any = nx.Graph()
    relations: list[tuple[str, str, str]] = []
    member_edges: list[tuple[str, str]] = []
    seat_edges: list[tuple[str, str]] = []
    lead_roles = {"party", "founder", "convener"}

    def short(actor_id: str) -> str:
        actor = actors.get(actor_id, {})
        return text_in(actor.get("abbreviation") or actor.get("name") or actor_id, language)

    for _f, partnership in records.get("partnership", ()):
        pid = f"p:{partnership['id']}"
        graph.add_node(pid, kind="partnership", label=text_in(partnership["name"], language))
        for member in partnership.get("members", []):
            aid = f"a:{member['actor']}"
            graph.add_node(aid, kind="actor", label=short(member["actor"]))
            graph.add_edge(pid, aid, weight=2.0 if member["role"] in lead_roles else 1.0)
            member_edges.append((pid, aid))
        for relation in partnership.get("relatedPartnerships", []):
            other = f"p:{relation['partnership']}"
            graph.add_edge(pid, other, weight=3.0)
            relations.append((pid, other, relation["relation"]))
    for _f, membership in records.get("membership", ()):
        aid, oid = f"a:{membership['member']}", f"a:{membership['organization']}"
        graph.add_node(aid, kind="actor", label=short(membership["member"]))
        graph.add_node(oid, kind="actor", label=short(membership["organization"]))
        if not graph.has_edge(aid, oid):
            graph.add_edge(aid, oid, weight=1.0)
            seat_edges.append((aid, oid))
    for actor_id in list(actors):
        parent = actors[actor_id].get("parent")
        aid = f"a:{actor_id}"
        if parent and aid in graph:
            pid = f"a:{parent}"
            graph.add_node(pid, kind="actor", label=short(parent))
            graph.add_edge(aid, pid, weight=1.0)
            seat_edges.append((aid, pid))

    partnership_ids = [n for n, d in graph.nodes(data=True) if d["kind"] == "partnership"]
    fixed = _partnership_positions(partnership_ids, relations)
    # Actors in several partnerships sit between them, alternately above and below
    # the line of partnerships, so that no actor hides behind a partnership.
    shared = [
        n
        for n, d in graph.nodes(data=True)
        if d["kind"] == "actor" and sum(1 for m in graph[n] if m in fixed) >= 2
    ]
    for i, actor in enumerate(shared):
        xs = [fixed[m][0] for m in graph[actor] if m in fixed]
        offset = 1.0 + 0.35 * (i // 2)
        fixed[actor] = np.array(
            [sum(xs) / len(xs) + 0.25 * (i // 2), offset if i % 2 == 0 else -offset]
        )
    pos = nx.spring_layout(
        graph,
        pos=fixed,
        fixed=list(fixed) or None,
        seed=1998,
        k=0.7,
        iterations=400,
        weight="weight",
    )
    fig = Figure(figsize=(8, 6.6), dpi=100)
    ax = fig.add_subplot()
    ax.set_axis_off()
    nx.draw_networkx_edges(graph, pos, edgelist=member_edges, ax=ax, edge_color="#9bb", width=1.4)
    nx.draw_networkx_edges(
        graph, pos, edgelist=seat_edges, ax=ax, edge_color="#b5651d", style="dotted", width=1.6
    )
    relation_titles = codelists.get("partnershipRelation.csv")
    for source, target, relation in relations:
        ax.annotate(
            "",
            xy=pos[target],
            xytext=pos[source],
            arrowprops={"arrowstyle": "-|>", "color": "#444", "lw": 1.6, "linestyle": "--"},
        )
        title = relation
        if relation_titles is not None and relation in relation_titles:
            title = relation_titles.titles[relation].get(language, relation)
        mid = (pos[source] + pos[target]) / 2
        ax.text(
            *mid,
            title,
            fontsize=9,
            ha="center",
            va="center",
            color="#222",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )
    type_colours = defaultdict(lambda: "#888")
    type_colours.update(
        {
            "state": "#2f6f9f",
            "intergovernmentalOrganization": "#6a994e",
            "organ": "#a7c957",
            "intergovernmentalForum": "#8ab17d",
            "nonGovernmentalOrganization": "#bc4749",
            "civilSocietyCoalition": "#e07a5f",
            "person": "#9d4edd",
        }
    )
    actor_nodes = [n for n, d in graph.nodes(data=True) if d["kind"] == "actor"]
    partnership_nodes = [n for n, d in graph.nodes(data=True) if d["kind"] == "partnership"]
    nx.draw_networkx_nodes(
        graph,
        pos,
        nodelist=actor_nodes,
        ax=ax,
        node_size=260,
        node_color=[type_colours[actors.get(n[2:], {}).get("type", "")] for n in actor_nodes],
    )
    nx.draw_networkx_nodes(
        graph,
        pos,
        nodelist=partnership_nodes,
        ax=ax,
        node_shape="s",
        node_size=900,
        node_color="#f2c14e",
        edgecolors="#8a6d1a",
    )
    for node in actor_nodes:
        ax.annotate(
            graph.nodes[node]["label"],
            pos[node],
            xytext=(0, -9),
            textcoords="offset points",
            fontsize=8.5,
            ha="center",
            va="top",
        )
    for node in partnership_nodes:
        ax.annotate(
            textwrap.fill(graph.nodes[node]["label"], 20),
            pos[node],
            xytext=(0, 14),
            textcoords="offset points",
            fontsize=9.5,
            ha="center",
            va="bottom",
            fontweight="bold",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )
    present = {actors.get(n[2:], {}).get("type", "") for n in actor_nodes}
    actor_types = codelists.get("actorType.csv")
    handles = [
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markersize=12,
            color="#f2c14e",
            label=label("partnership"),
        ),
        Line2D([], [], color="#9bb", lw=1.4, label=label("member of a partnership")),
        Line2D(
            [],
            [],
            color="#b5651d",
            lw=1.6,
            linestyle="dotted",
            label=label("seat in or part of an organisation"),
        ),
    ]
    for actor_type in sorted(present):
        title = actor_type
        if actor_types is not None and actor_type in actor_types:
            title = actor_types.titles[actor_type].get(language, actor_type)
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=9,
                color=type_colours[actor_type],
                label=title,
            )
        )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=3,
        fontsize=8.5,
        frameon=False,
    )
    ax.margins(0.06)
    return fig
