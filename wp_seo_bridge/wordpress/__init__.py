"""The WordPress side of the bridge: one site, two transports (REST, XML-RPC), SEO plugin adapters."""

from .models import (
    RECORD_META_KEY,
    CompanionStatus,
    CurrentUser,
    DraftQuery,
    Post,
    PostUpdate,
    SeoFields,
    SiteInfo,
)
from .seo import ADAPTERS, SeoAdapter
from .site import WordPressSite, connect
from .transport import Transport

__all__ = [
    "ADAPTERS",
    "RECORD_META_KEY",
    "CompanionStatus",
    "CurrentUser",
    "DraftQuery",
    "Post",
    "PostUpdate",
    "SeoAdapter",
    "SeoFields",
    "SiteInfo",
    "Transport",
    "WordPressSite",
    "connect",
]
