"""A fake model for long drafts: answers computed from each request, for :attr:`FakeOpenAI.responder`.

A part request gets back the part's own blocks as sections (every fact kept, headings at their
level, placeholders placed); the metadata request gets a title, SEO title, meta description,
slug and excerpt built around the keyphrase; a one-call request for a whole draft, both. ``tamper`` spoils a chosen answer, to test repairs;
``fail`` answers a chosen request with an error.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.in_flight import InFlightCounter
from tests.support.fake_openai import Reply, RecordedRequest, answer, error

#: ("metadata", "article" or a part number, attempt number from 1) -> a function spoiling the answer (a dict).
Tamper = dict[tuple[object, int], Callable[[dict], dict]]


@dataclass
class PartRewriter(InFlightCounter):
    keyphrase: str = "transition énergétique"
    #: Seconds each answer takes (the benchmark's fixed per-call delay).
    delay: float = 0.0
    tamper: Tamper = field(default_factory=dict)
    #: ("metadata" or a part number, attempt) -> the error reply to send instead of an answer.
    fail: dict[tuple[object, int], Reply] = field(default_factory=dict)
    #: Each request answered: ("metadata" or part number, attempt).
    seen: list[tuple[object, int]] = field(default_factory=list)

    def __call__(self, request: RecordedRequest) -> Reply:
        messages = request.body["messages"]
        user = messages[1]["content"]
        data = json.loads("\n".join(user.splitlines()[1:-1]))
        which = data["part"] if "part" in data else "metadata" if "opening" in data else "article"
        attempt = 1 + sum(1 for m in messages if m["role"] == "assistant")
        with self.answering(lambda: self.seen.append((which, attempt))):
            time.sleep(self.delay)
            if (which, attempt) in self.fail:
                return self.fail[(which, attempt)]
            if which == "article":  # a draft short enough for one call
                body = {**self.metadata(data), **self.part(data)}
            else:
                body = self.metadata(data) if which == "metadata" else self.part(data)
            spoil = self.tamper.get((which, attempt))
            if spoil is not None:
                body = spoil(body)
            size = sum(len(m["content"]) for m in messages)
            return answer(json.dumps(body, ensure_ascii=False), prompt_tokens=size // 4, completion_tokens=size // 5)

    def metadata(self, data: dict) -> dict:
        keyphrase = (data.get("focus_keyphrase") or self.keyphrase).lower()
        words = re.sub(r"[^a-z0-9]+", "-", _ascii(keyphrase)).strip("-")
        return {
            "title": f"{keyphrase.capitalize()} : le point sur chaque filière en Europe",
            "seo_title": f"{keyphrase.capitalize()} en Europe : le dossier",
            "meta_description": (
                f"La {keyphrase} en Europe, filière par filière : financements, emplois, retards et calendrier "
                "des chantiers, chiffres à l’appui."
            ),
            "focus_keyphrase": keyphrase,
            "slug": f"{words}-europe-dossier",
            "excerpt": f"Où en est la {keyphrase} en Europe ? Le point, filière par filière.",
        }

    def part(self, data: dict) -> dict:
        """The part's own text, as sections: nothing dropped, nothing added."""
        sections: list[dict] = [{"heading": None, "level": 2, "blocks": []}]
        for block in data["blocks"]:
            kind = block["type"]
            if kind == "heading":
                sections.append({"heading": block["text"], "level": min(max(block["level"], 2), 3), "blocks": []})
                continue
            new = {"type": kind, "text": None, "items": None, "ordered": None, "citation": None, "ref": None}
            if kind == "placeholder":
                new["ref"] = block["ref"]
            elif kind == "list":
                new.update(items=block["items"], ordered=block["ordered"])
            elif kind == "quote":
                new.update(text=block["text"], citation=block["citation"])
            else:
                new["text"] = block["text"]
            sections[-1]["blocks"].append(new)
        if not sections[0]["blocks"]:
            sections.pop(0)
        return {"sections": sections}


def add_sentence(text: str, *, section: int = 0) -> Callable[[dict], dict]:
    """A tamper adding a paragraph to the ``section``-th section of a part's answer."""

    def spoil(body: dict) -> dict:
        body["sections"][section]["blocks"].append(
            {"type": "paragraph", "text": text, "items": None, "ordered": None, "citation": None, "ref": None}
        )
        return body

    return spoil


def set_field(name: str, value: str) -> Callable[[dict], dict]:
    def spoil(body: dict) -> dict:
        return {**body, name: value}

    return spoil


def server_error(message: str = "upstream failure") -> Reply:
    return error(500, message)


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
