"""The command-line reference, generated from the click group ``hsdata.cli:main``.

Every command (and sub-command of a group) gets a section anchored at
``cli-<command path>`` with its usage line, its help text, its arguments and
its options, read from the same click objects that print ``--help``, so the
reference cannot disagree with the program.
"""

from __future__ import annotations

import inspect
import re

import click
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ._nodes import label, note_target, section

_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def _help_paragraph(text: str) -> nodes.paragraph:
    """A paragraph of help text with option names set as code (and so kept as typed)."""
    para = nodes.paragraph(text, "")
    for i, piece in enumerate(_OPTION.split(text)):
        if i % 2:
            para += nodes.literal(piece, piece)
        elif piece:
            para += nodes.Text(piece)
    return para


def _help_blocks(text: str) -> list[nodes.Node]:
    """Click help text as paragraphs; a '\\b' paragraph keeps its line breaks."""
    found: list[nodes.Node] = []
    for block in inspect.cleandoc(text).split("\n\n"):
        if block.startswith("\b"):
            body = block.removeprefix("\b").strip("\n")
            found.append(nodes.literal_block(body, body, classes=["hsdocs-cli-help"]))
        elif block.strip():
            found.append(_help_paragraph(" ".join(block.split())))
    return found


class CliReference(SphinxDirective):
    """``.. hsdata-cli::`` - every command of the ``hsdata`` program."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from hsdata.cli import main

        root = click.Context(main, info_name="hsdata")
        result: list[nodes.Node] = list(self.command_body(main, root))
        result.extend(self.subcommands(main, root))
        return result

    def subcommands(self, group: click.Command, ctx: click.Context) -> list[nodes.section]:
        if not isinstance(group, click.Group):
            return []
        found = []
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            sub_ctx = click.Context(command, info_name=name, parent=ctx)
            path = sub_ctx.command_path
            anchor = "cli-" + "-".join(path.split()[1:])
            title = nodes.title("", "")
            title += nodes.literal(path, path)
            sect = section(anchor, title)
            note_target(self.env, anchor, anchor, path)
            sect.extend(self.command_body(command, sub_ctx))
            sect.extend(self.subcommands(command, sub_ctx))
            found.append(sect)
        return found

    def command_body(self, command: click.Command, ctx: click.Context) -> list[nodes.Node]:
        usage = f"{ctx.command_path} {' '.join(command.collect_usage_pieces(ctx))}".strip()
        body: list[nodes.Node] = [
            nodes.literal_block(usage, usage, language="text", classes=["hsdocs-cli-usage"])
        ]
        if command.help:
            body.extend(_help_blocks(command.help))
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        if arguments:
            items = nodes.definition_list(classes=["hsdocs-cli-arguments"])
            for argument in arguments:
                metavar = argument.make_metavar(ctx)
                term = nodes.term("", "", nodes.literal(metavar, metavar))
                definition = nodes.definition()
                text = getattr(argument, "help", None) or label(
                    "required" if argument.required else "optional"
                )
                definition += _help_paragraph(text)
                items += nodes.definition_list_item("", term, definition)
            body.append(nodes.rubric("", label("Arguments")))
            body.append(items)
        options = [
            record
            for p in command.get_params(ctx)
            if isinstance(p, click.Option) and not p.hidden
            for record in [p.get_help_record(ctx)]
            if record is not None
        ]
        if options:
            items = nodes.definition_list(classes=["hsdocs-cli-options"])
            for names, text in options:
                term = nodes.term("", "", nodes.literal(names, names))
                definition = nodes.definition()
                definition += _help_paragraph(text)
                items += nodes.definition_list_item("", term, definition)
            body.append(nodes.rubric("", label("Options")))
            body.append(items)
        return body
