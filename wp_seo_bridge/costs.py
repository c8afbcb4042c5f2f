"""What model calls cost, from the prices in ``[model]`` (currency-neutral numbers per million tokens).

Prices of 0 (the default) mean *unknown*: a cost is then ``None`` and shows as unknown, never as
free. A sum with an unknown part is unknown too (:func:`add_costs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class _Usage(Protocol):
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class Prices:
    """The model's prices per million tokens: input (prompt) and output (completion)."""

    input_per_million: float = 0.0
    output_per_million: float = 0.0

    @property
    def known(self) -> bool:
        """False when both prices are 0: the configuration does not say what calls cost."""
        return self.input_per_million > 0 or self.output_per_million > 0

    @classmethod
    def from_settings(cls, model_settings: Any) -> Prices:
        """The prices in ``[model]`` (``input_price_per_million``, ``output_price_per_million``); 0 when absent."""
        return cls(float(getattr(model_settings, "input_price_per_million", 0) or 0),
                   float(getattr(model_settings, "output_price_per_million", 0) or 0))


def call_cost(usage: _Usage, prices: Prices | None) -> float | None:
    """What a call with this token ``usage`` cost, or None when the prices are unknown."""
    if prices is None or not prices.known:
        return None
    return (usage.prompt_tokens * prices.input_per_million + usage.completion_tokens * prices.output_per_million) / 1e6


def add_costs(a: float | None, b: float | None) -> float | None:
    """``a + b``, unknown (None) when either is unknown.

    A sum starts from 0.0 when the prices are known (``0.0 if prices.known else None``), so that a
    run without any call costs 0, and one with an unknown part stays unknown.
    """
    if a is None or b is None:
        return None
    return a + b


def format_cost(cost: float | None) -> str:
    """A cost for people: "unknown" when unknown, else up to 4 decimals (currency-neutral)."""
    if cost is None:
        return "unknown"
    return f"{cost:.4f}"


__all__ = ["Prices", "add_costs", "call_cost", "format_cost"]
