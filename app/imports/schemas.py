"""The import's report, and the 422 problem that carries it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.core.errors import Unprocessable


class ImportProblem(BaseModel):
    """One problem of the file: the spreadsheet row a person sees (the header is row 1;
    null for the file as a whole) and the template column (null when it is no one
    column's)."""

    row: int | None = Field(examples=[3])
    column: str | None = Field(examples=["price_amount"])
    message: str = Field(examples=["'12.5.0' is not a number; write it as 12500.50 or 12.500,50"])


class ImportReport(BaseModel):
    dry_run: bool = Field(description="True: nothing was written")
    rows: int = Field(description="Data rows in the file (empty rows are not counted)")
    created: int = Field(description="Rows with a new SKU: each creates a draft product")
    updated: int = Field(
        description="Rows with a SKU of one of the MSME's products, applied as a PATCH"
    )
    unchanged: int = Field(description="Of the updated rows, those equal to their product")
    errors: list[ImportProblem] = Field(description="Every problem of every row, in file order")


def problem_items(problems: list[ImportProblem]) -> list[dict[str, Any]]:
    """The problems as items of a problem document's `errors`: each keeps its row, column
    and message, and has the `loc` and `msg` every 422 of the API carries."""
    items = []
    for p in problems:
        loc: list[str | int] = ["body", "file"]
        loc += [p.row] if p.row is not None else []
        loc += [p.column] if p.column is not None else []
        items.append({**p.model_dump(), "loc": loc, "msg": p.message})
    return items


def bad_file(message: str, problems: list[ImportProblem] | None = None) -> Unprocessable:
    """A file that cannot be imported at all (its format, header, size, row count)."""
    problems = problems or [ImportProblem(row=None, column=None, message=message)]
    return Unprocessable(message, errors=problem_items(problems))


def refused(report: ImportReport) -> Unprocessable:
    """A commit refused for the problems of its rows: nothing was written."""
    count = len(report.errors)
    detail = f"Nothing was imported: the file has {count} problem{'s' * (count != 1)}."
    extra = report.model_dump(exclude={"errors"})
    return Unprocessable(detail, errors=problem_items(report.errors), extra=extra)
