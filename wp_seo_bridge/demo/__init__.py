"""``wp-seo-bridge demo``: the bridge at work on a private, throwaway WordPress with sample drafts.

Nothing here is used by the other commands: the demo builds its own settings for its own site and runs the
same sync as ``wp-seo-bridge sync``.
"""
