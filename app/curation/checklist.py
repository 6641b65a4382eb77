"""What is wrong with a curator's checklist, for a product review and a supplier review
alike: each criterion known and listed once, one that does not apply sent only as
`not_applicable`; for approval, a result for every criterion that applies and none failed."""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Any, Protocol

from app.models.enums import ChecklistResult


class Checked(Protocol):
    @property
    def criterion(self) -> str: ...

    @property
    def result(self) -> ChecklistResult: ...


def checklist_errors(
    items: Sequence[Checked],
    *,
    known: Container[str],
    applicable: Sequence[str],
    complete: bool,
    unknown: str = "a criterion",
) -> list[dict[str, Any]]:
    """Errors in the problem's `errors` shape; `unknown` names what a criterion must be."""
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        loc = ["body", "checklist", i, "criterion"]
        if item.criterion in seen:
            errors.append({"loc": loc, "msg": f"{item.criterion} is listed twice"})
        elif item.criterion not in known:
            msg = f"{item.criterion} is not {unknown}; see GET /api/v1/standards"
            errors.append({"loc": loc, "msg": msg})
        elif item.criterion not in applicable and item.result != ChecklistResult.not_applicable:
            msg = f"{item.criterion} does not apply to this product: send it as not_applicable"
            errors.append({"loc": loc, "msg": msg})
        seen.add(item.criterion)
    if complete:
        for code in applicable:
            if code not in seen:
                errors.append({"loc": ["body", "checklist"], "msg": f"{code} has no result"})
        for i, item in enumerate(items):
            if item.result == ChecklistResult.fail:
                errors.append(
                    {"loc": ["body", "checklist", i, "result"], "msg": f"{item.criterion} failed"}
                )
    return errors
