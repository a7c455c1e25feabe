"""budgetgraph: Chinese budget disclosures as linked data.

Only constants live here, so that importing the package (and starting the CLI)
loads nothing heavy; each stage is imported where it is used.
"""

#: The base of every minted IRI unless configured otherwise: where ``make serve``
#: answers, so that the demo's IRIs dereference as they are.
DEFAULT_BASE = "http://127.0.0.1:8000/"
