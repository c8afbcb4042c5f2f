"""Endpoints shown, logged or stored never carry their credentials or query string."""

from __future__ import annotations

import logging

import pytest

from wp_seo_bridge.urls import RedactedUrlsFilter, redacted_endpoint, redacted_text


@pytest.mark.parametrize(("url", "shown"), [
    ("https://user:password@llm.test/v1", "https://llm.test/v1"),
    ("https://llm.test/v1?api-key=secret&api-version=2024", "https://llm.test/v1"),
    ("http://user:p@ss@127.0.0.1:8443/v1/#frag", "http://127.0.0.1:8443/v1/"),
    ("https://token@llm.test", "https://llm.test"),
    ("http://[::1/v1?key=x", "http://[::1/v1"),  # not even a valid URL: still redacted, never an error
    ("localhost:11434/v1?key=x", "localhost:11434/v1"),
    ("http://localhost:11434/v1", "http://localhost:11434/v1"),
])
def test_redacted_endpoint(url, shown):
    assert redacted_endpoint(url) == shown


def test_every_url_in_a_text_is_redacted():
    text = 'HTTP Request: POST http://u:s3cret@127.0.0.1:9/v1/chat/completions?api-key=k3y "HTTP/1.1 200 OK" and https://a.test/?x=1'
    assert redacted_text(text) == 'HTTP Request: POST http://127.0.0.1:9/v1/chat/completions "HTTP/1.1 200 OK" and https://a.test/'


def test_the_logging_filter_redacts_formatted_messages():
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("POST", "http://u:s3cret@h/v1?k=v"), None)
    assert RedactedUrlsFilter().filter(record)
    assert record.getMessage() == "HTTP Request: POST http://h/v1"
