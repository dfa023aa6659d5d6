"""``.. hsdata-record:: <recordType> <id>`` - a canonical record, shown as it is published.

The record is read from the canonical data package (data/*.json) at build
time and printed with the same two-space indentation as the file, so a
worked example can never differ from the data it explains. A record that no
longer exists stops the build.
"""

from __future__ import annotations

import json

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from hsdata._paths import canonical_data_dir

from ._nodes import find_record, label


class RecordExample(SphinxDirective):
    required_arguments = 2
    option_spec = {"caption": directives.unchanged}  # noqa: RUF012 - docutils API

    def run(self) -> list[nodes.Node]:
        record_type, record_id = self.arguments
        found = find_record(record_type, record_id)
        if found is None:
            raise self.error(
                f"no {record_type} record with id {record_id!r} in the canonical data "
                f"({canonical_data_dir()})"
            )
        file_name, record = found
        self.env.note_dependency(str(canonical_data_dir() / file_name))
        text = json.dumps(record, indent=2, ensure_ascii=False)
        block = nodes.literal_block(text, text, language="json")
        block["classes"].append("hsdocs-record")
        self.set_source_info(block)
        caption_text = self.options.get("caption") or label("{type} {id} in {file}").format(
            type=record_type, id=record_id, file=f"data/{file_name}"
        )
        caption = nodes.caption(caption_text, caption_text)
        wrapper = nodes.container(
            "", caption, block, classes=["literal-block-wrapper"], literal_block=True
        )
        wrapper["ids"].append(f"record-{record_type}-{record_id}")
        return [wrapper]
