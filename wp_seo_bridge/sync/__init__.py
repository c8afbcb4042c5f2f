"""Many posts at once: ``sync`` (every draft that needs it, once) and ``watch`` (sync in a loop).

Everything here sits above the one-post pipeline (:func:`wp_seo_bridge.bridge.process_post`) and
reuses it: :mod:`.selection` decides, without any I/O, which posts a run takes and why it skips
the others; :mod:`.lock` keeps one run per site; :mod:`.runner` processes the selected posts with
a pool of workers within a budget; :mod:`.results` is what a run reports.
"""
