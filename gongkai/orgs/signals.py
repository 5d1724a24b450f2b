"""Signals sent by orgs.

``organisations_merged``
    Sent by ``services.org_merge`` inside its transaction, after the merge is written (sources
    saved inactive with ``successor=into``, their current names closed, the audit event
    recorded). ``sender`` is ``Organisation``; the keyword arguments are:

    - ``sources: tuple[Organisation, ...]`` the organisations merged, as saved by the merge;
    - ``into: Organisation`` their successor;
    - ``effective_on: date`` the day the merge takes effect;
    - ``actor`` the ``gongkai.core.audit.Actor`` who merged (a user, or ``None`` for the
      system / command line); pass it on to the services you call, so that they are audited.

    It is sent with ``send()``, not ``send_robust()``: a receiver runs inside the merge's
    transaction, so its writes commit or roll back with the merge, and an exception it raises
    rolls the whole merge back and reaches the caller. To refuse a merge, raise a
    ``gongkai.core.errors.CoreError`` subclass: its Chinese ``message`` is what the admin shows.
    Work that must not happen unless the merge commits (mail, search indexing) goes in
    ``transaction.on_commit``.

    Connect in your ``AppConfig.ready()``::

        from gongkai.orgs.signals import organisations_merged

        def move_staff(sender, sources, into, effective_on, actor, **kwargs): ...

        organisations_merged.connect(move_staff)
"""

from django.dispatch import Signal

organisations_merged = Signal()
