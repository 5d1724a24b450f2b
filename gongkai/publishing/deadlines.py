"""The publication time limit of 《政府信息公开条例》 art. 26: information within the scope of
主动公开 is published within 20 working days from the day it was formed or changed.

The due date is computed when it is read, from the working-day calendar; nothing is stored, so a
change to the calendar applies at once and no ``calendar_changed`` receiver is needed.
"""

from gongkai.core.calendar import WorkdayResult, add_workdays_explained

from .models import Document

PUBLICATION_WORKDAYS = 20


def publication_due_on(document: Document) -> WorkdayResult:
    """The last day to publish ``document`` (``provisional`` when a counted day lies in a year
    whose holiday notice is not entered yet)."""
    return add_workdays_explained(document.formed_on, PUBLICATION_WORKDAYS)
