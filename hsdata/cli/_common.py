"""What every ``hsdata`` command shares: loading a package, progress, reports, errors, exit codes.

A command prints its outcome through these helpers so that every command
says things the same way: a report in the format asked for on stdout, a
one-line ``error: ...`` on stderr with every piece of input escaped, and the
exit codes of ``hsdata validate`` (0 valid, 1 invalid, 2 could not run).
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import click

from .._errors import HsdataError, InvalidDataError
from .._files import OutputError
from .._i18n import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    current_language,
    language_from_environment,
    set_language,
    tr,
    translated,
)
from .._reporting import ExitCode, clean, format_report

if TYPE_CHECKING:
    from .. import Dataset
    from .._reporting import RenderableReport

#: Exit code of a command stopped with Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: Exit code when the reader of the output went away (128 + SIGPIPE, as shells report it).
EXIT_BROKEN_PIPE = 141

#: The longest error line printed, in characters (input inside it is cut before).
_MAX_ERROR = 2000


def error(message: str) -> None:
    """Print ``error: MESSAGE`` on stderr, control characters escaped, one line per line given.

    A message may hold several lines on purpose (the loader lists the first
    errors one per line); each line is escaped on its own so no input can
    forge a line of output.
    """
    lines = translated(message).split("\n")
    click.echo("error: " + "\n".join(clean(line, _MAX_ERROR) for line in lines), err=True)


def why(exc: BaseException) -> str:
    """What went wrong, in the command line's words (an occupied folder: say --force)."""
    if isinstance(exc, OutputError) and exc.occupied:
        return tr("{reason}; give --force to replace them", reason=str(exc))
    return str(exc)


def fail(message: str, code: int = ExitCode.UNREADABLE) -> NoReturn:
    """Print ``error: MESSAGE`` on stderr and exit with ``code`` (2 unless told)."""
    error(message)
    sys.exit(int(code))


def note(message: str) -> None:
    """Print a line about what was done on stderr (stdout is for the data or report)."""
    click.echo(clean(translated(message), _MAX_ERROR), err=True)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Use the language asked for while this command runs (the group's option also falls
    back to HSDATA_LANG and the locale); the previous language is restored afterwards."""
    if value is None and ctx.parent is not None:
        return  # a command's own --lang was not given: the group's choice stands
    previous = current_language()
    set_language(value or language_from_environment())
    ctx.call_on_close(lambda: set_language(previous))


#: ``--lang en|fr``: the language of messages, reports and templates. On the ``hsdata``
#: group it defaults to HSDATA_LANG, then the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
language_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_choose_language,
    help="Language of messages, reports and templates: en or fr "
    "(default: HSDATA_LANG, then the locale).",
)


def wants_color(output_format: str) -> bool:
    """Colour only for text on a terminal, and never when NO_COLOR is set."""
    return output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def print_report(report: RenderableReport, output_format: str) -> None:
    """Print a validation or upgrade report on stdout in 'text', 'json' or 'github'."""
    text = format_report(report, output_format, color=wants_color(output_format))
    click.echo(text, nl=False)


class _HasExitCode(Protocol):
    @property
    def exit_code(self) -> int: ...


def exit_with(report: RenderableReport | _HasExitCode) -> NoReturn:
    """Exit with the report's code: 0 valid, 1 invalid, 2 refused or unreadable."""
    sys.exit(int(report.exit_code))


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[int], None]]:
    """A callback that shows progress on a terminal (stderr), and does nothing elsewhere.

    With ``total`` 0 the bar only counts (the total is not known beforehand).
    """
    if not sys.stderr.isatty():
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total or None)
        yield lambda done: bar.update(task, completed=done)


@contextmanager
def record_counter(description: str) -> Iterator[Callable[[int], None]]:
    """A spinner on stderr that counts records as they are checked, shown only on a terminal."""
    if not sys.stderr.isatty():
        yield lambda records: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as spinner:
        task = spinner.add_task(description, total=None)
        yield lambda records: spinner.update(task, description=f"{description} {records:,} records")


def load_or_exit(path: str | None) -> Dataset:
    """Load a package for a command, or print why not and exit 1 (invalid) or 2 (unreadable)."""
    from .. import load

    shown = clean(path, 300) if path else translated(tr("the canonical data set"))
    try:
        with progress_bar(0, translated(tr("Validating {package}", package=shown))) as progress:
            return load(path, progress=progress)
    except InvalidDataError as exc:
        error(str(exc))
        click.echo(translated(tr("Run 'hsdata validate' on it for the full report.")), err=True)
        sys.exit(int(exc.report.exit_code) or ExitCode.INVALID)
    except FileNotFoundError:
        fail(tr("there is no file or folder {path}", path=shown))
    except (ValueError, OSError, HsdataError) as exc:
        fail(tr("cannot read {name}: {reason}", name=shown, reason=clean(str(exc), 500)))


def _debugging() -> bool:
    """True when HSDATA_DEBUG asks for Python tracebacks (for reporting a bug in hsdata)."""
    return os.environ.get("HSDATA_DEBUG", "") not in ("", "0")


def _cleaned_usage(exc: click.ClickException) -> click.ClickException:
    """A usage error with the input it quotes (an option, a path, a value) made safe to show."""
    message = clean(exc.format_message(), _MAX_ERROR)
    if isinstance(exc, click.UsageError):
        return click.UsageError(message, ctx=exc.ctx)
    return click.ClickException(message)


def _in_english() -> bool:
    return current_language() == SOURCE_LANGUAGE


def help_paragraphs(text: str) -> list[tuple[bool, str]]:
    """The paragraphs of a help text as click shows them, each a message of the catalogue:
    (True, its lines) for a paragraph click keeps as written (marked ``\\b``), else
    (False, its words on one line, as click wraps them anew).

    >>> help_paragraphs("Check data.\\n\\nExit status: 0 valid,\\n  1 invalid.")
    [(False, 'Check data.'), (False, 'Exit status: 0 valid, 1 invalid.')]
    >>> help_paragraphs("\\b\\nExamples:\\n  hsdata info")
    [(True, 'Examples:\\n  hsdata info')]
    """
    found = []
    for paragraph in inspect.cleandoc(text).partition("\f")[0].split("\n\n"):
        if paragraph.startswith("\b\n"):
            found.append((True, paragraph.removeprefix("\b\n")))
        elif paragraph.strip():
            found.append((False, " ".join(paragraph.split())))
    return found


def translated_help(text: str) -> str:
    """A help text (a command's docstring, an option's ``help=``) in the run's language,
    translated paragraph by paragraph; in English it is the text itself."""
    if _in_english():
        return text
    return "\n\n".join(
        "\b\n" + translated(body) if verbatim else translated(body)
        for verbatim, body in help_paragraphs(text)
    )


def _help_row(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    """An option's line of help (its names, then its help) in the run's language.

    In English it is click's own line; in another language the help is translated
    (:func:`translated_help`) and the notes in brackets (default, range, required)
    are said in that language.
    """
    record = param.get_help_record(ctx)
    if record is None or _in_english() or not isinstance(param, click.Option):
        return record
    extra = param.get_help_extra(ctx)
    notes: list[str] = []
    if "envvars" in extra:
        notes.append(translated(tr("env var: {names}", names=", ".join(extra["envvars"]))))
    if "default" in extra:
        notes.append(translated(tr("default: {value}", value=extra["default"])))
    if "range" in extra:
        notes.append(extra["range"])
    if "required" in extra:
        notes.append(translated(tr("required")))
    text = translated_help(param.help) if param.help else ""
    if notes:
        bracket = "[" + "; ".join(notes) + "]"
        text = f"{text}  {bracket}" if text else bracket
    return record[0], text


def _language_before_help(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """``--help --lang fr``: choose the language before the help is printed.

    click handles eager options in the order they are typed, so a ``--lang``
    typed after ``--help`` would come too late for the help; here it is taken
    first. A group looks only at its own options, before the command's name.
    """
    language = next((p for p in command.params if p.callback is _choose_language), None)
    if language is None:
        return
    help_names = command.get_help_option_names(ctx)
    seen_help = False
    for index, arg in enumerate(args):
        value = None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value is not None:
            if seen_help and value in LANGUAGES:
                _choose_language(ctx, language, value)
            return
        if arg == "--" or (isinstance(command, click.Group) and not arg.startswith("-")):
            return
        seen_help = seen_help or arg in help_names


class TranslatedCommand(click.Command):
    """A command whose ``--help`` is in the run's language (``--lang``, HSDATA_LANG, the locale).

    The help stays plain English in the code (docstrings, ``help=``): that is what
    ``--help`` prints in English and what the documentation reads. In another
    language each paragraph of a help text is looked up in the catalogue
    (:func:`help_paragraphs`); a paragraph without a translation stays English.
    The eager ``--lang`` of the group has chosen the language before a command's
    ``--help`` is handled.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _language_before_help(self, ctx, args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _in_english():
            super().format_help(ctx, formatter)
            return
        # The usage line of --help only: a usage error keeps click's English around it.
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, pieces, prefix=translated(tr("Usage:")) + " ")
        self.format_help_text(ctx, formatter)
        self.format_arguments(ctx, formatter)
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _in_english() or self.help is None or self.deprecated:
            super().format_help_text(ctx, formatter)
            return
        text = translated_help(self.help)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        if _in_english() or self.deprecated or not (self.short_help or self.help):
            return super().get_short_help_str(limit)
        # click shortens the translated help as it shortens the English one
        if self.short_help:
            shortened = click.Command(self.name, short_help=translated_help(self.short_help))
        else:
            shortened = click.Command(self.name, help=translated_help(self.help or ""))
        return shortened.get_short_help_str(limit)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _in_english():
            super().format_options(ctx, formatter)
            return
        rows = [
            row
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument)
            for row in [_help_row(param, ctx)]
            if row is not None
        ]
        if rows:
            with formatter.section(translated(tr("Options"))):
                formatter.write_dl(rows)


class TranslatedGroup(TranslatedCommand, click.Group):
    """A group of commands whose ``--help`` is in the run's language, as are its commands'."""

    command_class: type[click.Command] | None = TranslatedCommand
    #: a group inside is of this group's class
    group_class: type[click.Group | type] | None = type

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)  # in English, click's, commands included
        if not _in_english():
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _in_english():
            super().format_commands(ctx, formatter)
            return
        commands = [
            (name, command)
            for name in self.list_commands(ctx)
            for command in [self.get_command(ctx, name)]
            if command is not None and not command.hidden
        ]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section(translated(tr("Commands"))):
                formatter.write_dl(rows)


class HsdataGroup(TranslatedGroup):
    """The ``hsdata`` command group: no Python traceback and no raw input ever reach the user.

    An error hsdata raises on purpose, or one from the system (a full disk),
    that a command did not handle is one cleaned ``error:`` line and exit 2.
    Any other exception is a bug in hsdata: one cleaned line saying so, exit 2
    (``HSDATA_DEBUG=1`` shows the traceback instead). Ctrl-C exits 130 with a
    short message. Usage errors quote what was typed, so they are cleaned too.
    """

    #: the groups inside (``hsdata registry``): help translated, errors left to this one
    group_class = TranslatedGroup

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        #: command name -> module that registers it on this group when imported
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.lazy_commands.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(module)  # the module registers the command on this group
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as exc:
            raise _cleaned_usage(exc) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise _cleaned_usage(exc) from None
        except (click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            if _debugging():
                raise
            if sys.stderr.isatty():
                click.echo("", err=True)  # end the line the ^C was echoed on
            error("interrupted")
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # The reader of stdout went away (`hsdata ... | head`): nothing more can be said.
            _silence_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except (HsdataError, OSError) as exc:
            # Raised on purpose (hsdata could not do what was asked) or by the system (a full
            # disk, a folder that cannot be written): the message says why; not a bug.
            if _debugging():
                raise
            error(why(exc))
            ctx.exit(int(ExitCode.UNREADABLE))
        except Exception as exc:
            if _debugging():
                raise
            error(
                f"unexpected {type(exc).__name__}: {exc}; this is a bug in hsdata, "
                "please report it with the command you ran"
            )
            ctx.exit(int(ExitCode.UNREADABLE))


def _silence_stdout() -> None:
    """Point stdout at the null device, so Python's flush at exit does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (a test runner's buffer)
        pass
