"""JSON API of the working-day calendar (mounted by the ``api`` app at ``/api/calendar/``)."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from .calendar import add_workdays_explained, is_workday_explained

router = Router(tags=["工作日"])


class WorkdayOut(Schema):
    date: date
    is_workday: bool
    provisional: bool


class AddWorkdaysIn(Schema):
    start: date = Field(description="起算日（当日不计入）")
    n: int = Field(ge=0, le=10_000, description="工作日数")


class AddWorkdaysOut(Schema):
    start: date
    n: int
    date: date
    provisional: bool


@router.get("/is-workday", response=WorkdayOut, summary="是否工作日")
def is_workday(request: HttpRequest, day: date) -> dict[str, object]:
    answer = is_workday_explained(day)
    return {"date": day, "is_workday": answer.is_workday, "provisional": answer.provisional}


@router.get("/add-workdays", response=AddWorkdaysOut, summary="计算N个工作日后的日期")
def add_workdays(request: HttpRequest, query: Query[AddWorkdaysIn]) -> dict[str, object]:
    """The n-th working day strictly after ``start`` (the day of receipt is not counted)."""
    result = add_workdays_explained(query.start, query.n)
    return {
        "start": query.start,
        "n": query.n,
        "date": result.date,
        "provisional": result.provisional,
    }
