"""The timeline and network pictures, drawn from records (moved here from the docs' extension).

The documentation draws them from the canonical data at build time and
``hsdata serve`` from the records a user uploads; both call these functions,
so the pictures are the same. Dates keep their precision: a month-precise
date is a bar spanning its month, a year-precise one spans its year, and
events without a date are listed, not placed. matplotlib (and networkx for
the network) are imported only when a picture is drawn.
"""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .._dates import PartialDate
from .._schemas import Codelist

#: Records by type, each a JSON object as read from the package.
Records = Mapping[str, Sequence[Mapping[str, Any]]]
#: Translates a label of the picture (legend entries) into the reader's language.
Label = Callable[[str], str]


def text_in(language_map: Any, language: str) -> str:
    """The text of a language map in ``language``, falling back to English."""
    if isinstance(language_map, dict):
        return str(language_map.get(language) or language_map.get("en") or "")
    return str(language_map or "")


def code_title(codelists: Mapping[str, Codelist], codelist: str, code: str, language: str) -> str:
    """A code's title in ``language`` (its English title, or the code, when missing)."""
    found = codelists.get(codelist)
    if found is None or code not in found:
        return code
    return found.titles[code].get(language) or found.titles[code]["en"]


@dataclass
class Span:
    """One bar (or diamond) of the timeline."""

    name: str
    start: PartialDate
    end: PartialDate
    status: str
    group: str
    #: The status as readers see it: the code's title in the reader's language.
    status_title: str = ""


def _span(start_text: str, end_text: str | None) -> tuple[PartialDate, PartialDate]:
    start = PartialDate.parse(start_text)
    return start, PartialDate.parse(end_text) if end_text else start


def describe(start: PartialDate, end: PartialDate) -> str:
    """A span as published: one date, or 'start – end'."""
    return str(start) if start == end else f"{start} – {end}"


def timeline_spans(
    records: Records, codelists: Mapping[str, Codelist], language: str
) -> tuple[list[Span], list[Mapping[str, Any]]]:
    """The dated events and memberships as spans, and the events with no date."""
    spans: list[Span] = []
    undated: list[Mapping[str, Any]] = []
    for event in records.get("event", ()):
        period = event.get("date") or {}
        if "start" not in period:
            undated.append(event)
            continue
        start, end = _span(period["start"], period.get("end"))
        name = text_in(event.get("name"), language)
        status = event.get("status", "")
        title = code_title(codelists, "eventStatus.csv", status, language) if status else ""
        spans.append(Span(name, start, end, status, "event", title))
    actors = {r["id"]: r for r in records.get("actor", ())}
    for membership in records.get("membership", ()):
        period = membership.get("period") or {}
        if "start" not in period:
            continue
        start, end = _span(period["start"], period.get("end"))
        member = text_in(actors.get(membership["member"], {}).get("name"), language)
        body = actors.get(membership["organization"], {})
        body_name = text_in(body.get("abbreviation") or body.get("name"), language)
        role = code_title(codelists, "membershipRole.csv", membership.get("role", ""), language)
        name = f"{member}: {role} ({body_name})" if role else f"{member} ({body_name})"
        spans.append(Span(name, start, end, "held", "membership"))
    spans.sort(key=lambda s: (s.group != "event", s.start.earliest, s.end.latest))
    return spans, undated


def figure_svg(fig: Any, salt: str) -> str:
    """A matplotlib figure as a standalone SVG document, the same bytes for the same figure."""
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def tint(colour: str, strength: float = 0.3) -> tuple[float, float, float]:
    """A pale version of a colour (mixed with white), for the face of a hatched bar."""
    from matplotlib.colors import to_rgb

    red, green, blue = to_rgb(colour)
    return (
        1 - strength * (1 - red),
        1 - strength * (1 - green),
        1 - strength * (1 - blue),
    )


def draw_timeline(spans: list[Span], label: Label) -> Any:
    """The timeline figure (a matplotlib Figure) for the given spans."""
    from matplotlib import dates
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    mdates: Any = dates  # matplotlib.dates is not typed
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
                # Hatching is drawn in the edge colour: on a pale face it shows, on a
                # face of the edge's own colour it vanished.
                facecolor="white" if scheduled else (colour if precise else tint(colour)),
                edgecolor=colour,
                linestyle="--" if scheduled else "-",
                hatch=None if precise else "//",
            )
        ax.text(
            right + (25 if marker else 12),
            row,
            describe(span.start, span.end),
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
                facecolor=tint(colours["event"]),
                edgecolor=colours["event"],
                hatch="//",
                label=label("event known to the month or year"),
            ),
            Patch(
                facecolor="white",
                edgecolor=colours["event"],
                linestyle="--",
                label=label("scheduled, not yet held"),
            ),
            Patch(
                facecolor=tint(colours["membership"]),
                edgecolor=colours["membership"],
                hatch="//",
                label=label("membership"),
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncol=2,
        fontsize=8.5,
        frameon=False,
    )
    return fig


def partnership_positions(ids: list[str], relations: list[tuple[str, str, str]]) -> dict[str, Any]:
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


#: Where a node's label may go, in order of preference: (x, y offset in points, ha, va).
_LABEL_SPOTS = (
    (0, -9, "center", "top"),
    (0, 9, "center", "bottom"),
    (9, 0, "left", "center"),
    (-9, 0, "right", "center"),
    (7, -7, "left", "top"),
    (-7, -7, "right", "top"),
    (7, 7, "left", "bottom"),
    (-7, 7, "right", "bottom"),
    (0, -20, "center", "top"),
    (0, 20, "center", "bottom"),
)


def node_boxes(
    fig: Any, ax: Any, pos: Mapping[str, Any], sizes: Mapping[str, float]
) -> dict[str, Any]:
    """The display-space box of each node's marker (node_size is its area in points²)."""
    from matplotlib.transforms import Bbox

    boxes = {}
    for node, size in sizes.items():
        x, y = ax.transData.transform(pos[node])
        half = (size**0.5) / 2 * fig.dpi / 72
        boxes[node] = Bbox.from_extents(x - half, y - half, x + half, y + half)
    return boxes


def place_labels(
    fig: Any,
    ax: Any,
    labels: Sequence[tuple[str, Any, str]],
    pos: Mapping[str, Any],
    sizes: Mapping[str, float],
) -> None:
    """Label each node at the first spot around it that covers no other label or node.

    The texts already on the axes (partnership names, relation names) are kept
    where they are; each new label tries the spots of ``_LABEL_SPOTS`` in turn
    and keeps the first clear one, or else the one overlapping least.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas: Any = FigureCanvasAgg(fig)  # matplotlib is not typed
    renderer = canvas.get_renderer()
    markers = node_boxes(fig, ax, pos, sizes)
    taken = [text.get_window_extent(renderer).padded(2) for text in ax.texts]

    def overlap(box: Any, own: str) -> float:
        others = [b for n, b in markers.items() if n != own] + taken
        total = 0.0
        for other in others:
            width = min(box.x1, other.x1) - max(box.x0, other.x0)
            height = min(box.y1, other.y1) - max(box.y0, other.y0)
            if width > 0 and height > 0:
                total += width * height
        return total

    for text, xy, node in labels:
        best: tuple[float, Any] | None = None
        for dx, dy, ha, va in _LABEL_SPOTS:
            artist = ax.annotate(
                text, xy, xytext=(dx, dy), textcoords="offset points", fontsize=8.5, ha=ha, va=va
            )
            box = artist.get_window_extent(renderer).padded(2)
            cost = overlap(box, node)
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, artist)
            else:
                artist.remove()
            if cost == 0:
                break
        assert best is not None
        taken.append(best[1].get_window_extent(renderer).padded(2))


def draw_network(
    records: Records, codelists: Mapping[str, Codelist], language: str, label: Label
) -> Any:
    """The actors-and-partnerships figure (a matplotlib Figure) in one language."""
    import networkx as nx
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    actors = {r["id"]: r for r in records.get("actor", ())}
    graph: Any = nx.Graph()
    relations: list[tuple[str, str, str]] = []
    member_edges: list[tuple[str, str]] = []
    seat_edges: list[tuple[str, str]] = []
    lead_roles = {"party", "founder", "convener"}

    def short(actor_id: str) -> str:
        actor = actors.get(actor_id, {})
        return text_in(actor.get("abbreviation") or actor.get("name") or actor_id, language)

    for partnership in records.get("partnership", ()):
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
    for membership in records.get("membership", ()):
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
    fixed = partnership_positions(partnership_ids, relations)
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
    ax: Any = fig.add_subplot()
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
    type_colours: defaultdict[str, str] = defaultdict(lambda: "#888")
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
    ax.margins(0.06)
    ax.set_xlim(ax.get_xlim())  # fixed now, so that label extents measured below stay true
    ax.set_ylim(ax.get_ylim())
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
    sizes = dict.fromkeys(actor_nodes, 260.0) | dict.fromkeys(partnership_nodes, 900.0)
    place_labels(fig, ax, [(graph.nodes[n]["label"], pos[n], n) for n in actor_nodes], pos, sizes)
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
    return fig
