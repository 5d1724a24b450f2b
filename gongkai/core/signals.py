"""Signals sent by core.

``calendar_changed``
    Sent after the transaction that changed working-day data commits (any of the calendar
    services, the admin pages included). ``sender`` is ``CalendarDay``; the keyword argument
    ``years`` is a ``frozenset[int]`` of the years whose working days may have changed.
    Receivers recompute what depends on those years (e.g. open statutory deadlines). A receiver
    that raises is logged and does not affect the others or the saved change.

    Connect in your ``AppConfig.ready()``::

        from gongkai.core.signals import calendar_changed

        def recompute_deadlines(sender, years, **kwargs): ...

        calendar_changed.connect(recompute_deadlines)
"""

from django.dispatch import Signal

calendar_changed = Signal()
