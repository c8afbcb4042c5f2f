"""Guards: checks of a rewrite against its draft, before anything is written back.

- :func:`check_facts`: every figure, date, quotation and name comes from the draft (and none of its
  figures, dates and quotations is lost);
- :func:`check_links`: links only to the draft's addresses or to allowed domains;
- :func:`check_fields`: no shortcode, and no address the draft lacks, in the plain-text fields (title,
  SEO title, meta description, excerpt, slug, focus keyphrase);
- :func:`check_model_markup`: what markup the model tried to write (scripts, handlers, other tags);
- :func:`check_language` / :func:`detect_language`: the article is in the configured language.

Each returns a list of :class:`Finding` (empty when all is well), worded for a repair request.
"""

from ._common import Finding
from .facts import check_facts
from .fields import check_fields
from .language import check_language, detect_language
from .links import check_links
from .markup import check_model_markup

__all__ = ["Finding", "check_facts", "check_fields", "check_language", "check_links", "check_model_markup", "detect_language"]
