"""The Linked Data server: dereferenceable IRIs, a SPARQL endpoint, VoID and dumps."""

from .app import create_app as create_app
from .serve import serve as serve
from .settings import SETTINGS as SETTINGS

__all__ = ["SETTINGS", "create_app", "serve"]
