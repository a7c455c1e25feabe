"""The SHACL shapes (``*.ttl``) as package data of ``budgetgraph.shapes``.

pyproject.toml maps this folder into the package, so that the wheel carries it and
the code reads it with :mod:`importlib.resources`, while the repository keeps it at
the top level beside ``ontology/``. Nothing to import here.
"""
