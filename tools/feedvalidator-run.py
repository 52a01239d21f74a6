#!/usr/bin/env python3
"""Validates feeds with the W3C Feed Validation Service's own code.

The validator is vendored, unmodified, in tools/feedvalidator/ (see its
README.md). Each URL is fetched over HTTP and validated as the online service
validates a URL (feedvalidator.validateURL): the media type and charset of the
Content-Type header (checkValid, contentSniffing, checkAgainstFeedType), the
document, and the compatibility filter "AA" that the online service applies
(errors and warnings; informational notes are dropped).

The one difference: a server on 127.0.0.1 answers for the public site, so
with `--as ORIGIN` the document is validated as if fetched from ORIGIN + the
same path (its base URI and the URI its self link must name).

Usage:
  python3 tools/feedvalidator-run.py [--as ORIGIN] [--json] URL...
  (or the URLs on standard input, one a line)

Prints each URL with its messages and a final `N passed, M failed` line
(with --json: one JSON list of {url, as, status, contentType, feedType,
messages: [{level, code, text}]}). Exits 1 when any URL has a message or did
not answer 200. Needs python3-lxml, python3-html5lib and python3-rdflib.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import feedvalidator  # noqa: E402
from feedvalidator import compatibility, logging, mediaTypes, xmlEncoding  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402

FEED_TYPES = {v: k[5:] for k, v in vars(logging).items() if k.startswith('TYPE_')}


def validate(url, public):
    """The steps of feedvalidator.validateURL after its fetch, with `public` as the document's URI."""
    request = urllib.request.Request(url, headers={'User-Agent': 'FeedValidator/1.3'})
    try:
        with urllib.request.urlopen(request) as res:
            status, content_type, raw = res.status, res.headers.get('Content-Type'), res.read()
    except urllib.error.HTTPError as e:
        return {'status': e.code, 'contentType': e.headers.get('Content-Type'), 'events': []}
    events = []
    media_type, charset = None, None
    if content_type:
        media_type, charset = mediaTypes.checkValid(content_type, events)
    mediaTypes.contentSniffing(media_type, raw, events)
    encoding, text = xmlEncoding.decode(media_type, charset, raw, events, fallback='utf-8')
    feed_type = None
    if text is not None:
        text = text.replace('\r\n', '\n').replace('\r', '\n')
        validator = feedvalidator._validate(text, 1, events, public, encoding, [public], mediaType=media_type)
        feed_type = validator.feedType
        events = validator.loggedEvents
        if media_type and feed_type:
            mediaTypes.checkAgainstFeedType(media_type, feed_type, events)
    return {'status': status, 'contentType': content_type, 'feedType': FEED_TYPES.get(feed_type), 'events': events}


def main(argv):
    args = list(argv)
    as_json = '--json' in args
    args = [a for a in args if a != '--json']
    origin = None
    if '--as' in args:
        i = args.index('--as')
        origin = args[i + 1].rstrip('/')
        del args[i:i + 2]
    urls = args or [line.strip() for line in sys.stdin if line.strip()]
    results, passed, failed = [], 0, 0
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        public = origin + urllib.parse.urlunsplit(('', '', parts.path, parts.query, '')) if origin else url
        r = validate(url, public)
        events = compatibility.AA(r.pop('events'))
        texts = Formatter(events)
        messages = [
            {'level': 'error' if isinstance(e, logging.Error) else 'warning', 'code': type(e).__name__, 'text': texts[k].strip()}
            for k, e in enumerate(events)
        ]
        ok = r['status'] == 200 and not messages
        passed, failed = passed + ok, failed + (not ok)
        results.append({'url': url, 'as': public, **r, 'messages': messages})
        if not as_json:
            print(f"{'PASS' if ok else 'FAIL'} {url} ({r.get('feedType')}, {r['contentType']}, HTTP {r['status']})")
            for m in messages:
                print(f"     {m['level']} {m['code']}: {m['text']}")
    if as_json:
        json.dump(results, sys.stdout, indent=1)
        print()
    else:
        print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
