"""wp-seo-bridge: WordPress drafts rewritten into review-ready French SEO articles."""

__version__ = "0.1.0"
