"""Every HTML page says it is in English: <html lang="en">.

Datasette 0.65's base template opens with a bare <html>, outside any block a template can
override, so screen readers guess the language and the accessibility check (axe-core's
html-has-lang, a "serious" violation) fails on every page. This wrapper adds the attribute to the
first <html> tag of each HTML response, fixing its content-length, and leaves every other response
untouched. Every text and record of the publication is in English (sources.language).
"""

from __future__ import annotations

from datasette import hookimpl

BARE = b"<html>"
WITH_LANG = b'<html lang="en">'


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_lang(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            held = {"start": None}

            async def patched(message):
                if message["type"] == "http.response.start":
                    headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                    if headers.get(b"content-type", b"").startswith(b"text/html"):
                        held["start"] = message      # sent with the first part of the body
                        return
                elif message["type"] == "http.response.body" and held["start"] is not None:
                    start, held["start"] = held["start"], None
                    body = message.get("body", b"")
                    at = body.find(BARE, 0, 400)
                    if at >= 0:
                        body = body[:at] + WITH_LANG + body[at + len(BARE):]
                        message = {**message, "body": body}
                        grown = len(WITH_LANG) - len(BARE)
                        start = {**start, "headers": [
                            (k, str(int(v) + grown).encode() if k.lower() == b"content-length" else v)
                            for k, v in start.get("headers", [])]}
                    await send(start)
                await send(message)

            await app(scope, receive, patched)

        return with_lang

    return wrap
