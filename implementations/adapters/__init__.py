"""Adapters exposing other frameworks' building blocks through the protocol (``--impl``).

They are not imported by ``implementations`` itself (so the reference stays torch-free);
select one with ``pytest --impl torch`` (alias of
``implementations.adapters.torch_adapter``) or ``make verify IMPL=torch``.
"""
