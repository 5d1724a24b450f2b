"""Settings by environment: ``development`` (default), ``test`` and ``production``.

Every value comes from environment variables (see README, "Configuration").
"""
