"""The WordPress side of the bridge: one site, two transports (REST, XML-RPC), SEO plugin adapters."""

from .models import (
    COMPANION_BRIDGE_FIELDS_VERSION,
    RECORD_META_KEY,
    REQUEST_META_KEY,
    CompanionStatus,
    CurrentUser,
    DraftQuery,
    EditLock,
    NotifyStatus,
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
    "COMPANION_BRIDGE_FIELDS_VERSION",
    "RECORD_META_KEY",
    "REQUEST_META_KEY",
    "CompanionStatus",
    "CurrentUser",
    "DraftQuery",
    "EditLock",
    "NotifyStatus",
    "Post",
    "PostUpdate",
    "SeoAdapter",
    "SeoFields",
    "SiteInfo",
    "Transport",
    "WordPressSite",
    "connect",
]
