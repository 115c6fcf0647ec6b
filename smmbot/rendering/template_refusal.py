"""Why a post template was refused, as data: the sandbox worker raises it and answers with its
fields, and the app rebuilds it and words the message in the member's language. It lives apart
from the worker so that the app knows these types without loading Jinja2 (issue 16)."""

from enum import StrEnum


class TemplateProblem(StrEnum):
    SYNTAX = "syntax"
    UNSAFE = "unsafe"
    UNDEFINED = "undefined"
    TOO_SLOW = "too_slow"
    TOO_LONG = "too_long"
    TOO_BIG = "too_big"
    NOT_PLAIN = "not_plain"
    RUNTIME = "runtime"


class TemplateRefused(Exception):  # noqa: N818 - the name is the agreed API
    """A refused template, as data: the caller words the message in the user's language."""

    def __init__(self, problem: TemplateProblem, line: int | None = None, detail: str = "") -> None:
        super().__init__(problem.value, line, detail)
        self.problem, self.line, self.detail = problem, line, detail
