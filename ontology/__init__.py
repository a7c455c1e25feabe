"""The OWL ontology (``budgetgraph.ttl``) as package data of ``budgetgraph.ontology``.

pyproject.toml maps this folder into the package, so that the wheel carries it and
the code reads it with :mod:`importlib.resources`, while the repository keeps it at
the top level beside ``shapes/``. Nothing to import here.
"""
