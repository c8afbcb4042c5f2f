"""Drafts processed as they are saved: WordPress notifies the bridge, which queues the post for the sync engine.

:mod:`.signature` checks a notification's HMAC signature and timestamp and refuses replays; :mod:`.app` is the
HTTP endpoint (Starlette, served by Uvicorn); :mod:`.queue` debounces the posts notified (each is due
``min_age_minutes`` after its last notification); :mod:`.engine` is the one thread that processes the due posts
through the sync runner and runs the periodic sync; :mod:`.service` puts them together for ``watch --listen``.
Nothing here is imported until ``watch --listen`` runs.
"""
