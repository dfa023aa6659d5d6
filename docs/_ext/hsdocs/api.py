"""``.. hsdata-api::`` - the public API, grouped, and never missing a name.

Each group directive documents the names it lists (with autodoc, so the text
comes from the docstrings). ``.. hsdata-api-rest::`` then documents every name
in ``hsdata.__all__`` that no group on the page listed, so a name added to the
package appears in the reference even before someone files it into a group.
"""

from __future__ import annotations

import inspect

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

import hsdata

_SEEN_KEY = "hsdocs_api_documented"


def _autodoc_lines(name: str) -> list[str]:
    obj = getattr(hsdata, name)
    if inspect.isclass(obj):
        kind = "autoexception" if issubclass(obj, BaseException) else "autoclass"
        return [f".. {kind}:: hsdata.{name}", "   :members:", ""]
    if callable(obj):
        return [f".. autofunction:: hsdata.{name}", ""]
    return [f".. autodata:: hsdata.{name}", "   :no-value:", ""]


class ApiGroup(SphinxDirective):
    """The names listed in the content, one per line, documented in that order."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        seen: set[str] = self.env.temp_data.setdefault(_SEEN_KEY, set())
        lines: list[str] = []
        for name in (line.strip() for line in self.content):
            if not name:
                continue
            if name not in hsdata.__all__:
                raise self.error(f"hsdata.{name} is not a public name (not in hsdata.__all__)")
            seen.add(name)
            lines.extend(_autodoc_lines(name))
        return self._parse(lines)

    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container()
        source = self.state.document.current_source or self.env.docname
        self.state.nested_parse(StringList(lines, source=source), self.content_offset, container)
        return list(container.children)


class ApiRest(ApiGroup):
    """Every public name no group on this page has documented."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        seen: set[str] = self.env.temp_data.setdefault(_SEEN_KEY, set())
        # Names documented on this page by hand (py:data, autodata) count as seen too.
        objects = self.env.domains.python_domain.objects
        documented = {
            name
            for name in hsdata.__all__
            if objects.get(f"hsdata.{name}") is not None
            and objects[f"hsdata.{name}"].docname == self.env.docname
        }
        rest = [
            name
            for name in hsdata.__all__
            if name not in seen | documented and not name.startswith("__")
        ]
        if not rest:
            return []
        lines: list[str] = []
        for name in rest:
            seen.add(name)
            lines.extend(_autodoc_lines(name))
        return self._parse(lines)
