"""Adapters exposing other frameworks' building blocks through the protocol (``--impl``).

They are not imported by ``implementations`` itself (so the reference stays framework-free);
select one with ``pytest --impl torch`` (alias of ``implementations.adapters.torch_adapter``)
or ``pytest --impl jax`` (``implementations.adapters.jax_adapter``: jax.nn, jax.grad, optax,
flax.linen), or ``make verify IMPL=torch`` / ``make verify IMPL=jax``, which install the
framework (the optional extras of pyproject.toml) and compare the ledger with the
reference's; the ``*_known_differences`` modules list the documented differences.
"""
