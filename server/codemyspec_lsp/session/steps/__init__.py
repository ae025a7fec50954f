"""The five steps of a context design session, one module each, behind :class:`base.Step`."""
