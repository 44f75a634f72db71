"""URLs and e-mail addresses: the one place their patterns are written.

Every stage finds them, and each stops a URL at a slightly different set of marks (the variants are
kept as they were measured; each is named after its user):

- :data:`URL_EMAIL_RE` / :func:`urls` (quality features: URLs must match across a pair): a URL ends at
  ``'，。；）)]``; ASCII ``\\s``/``\\w`` (a URL may run on through U+3000).
- :data:`ANCHOR_URL_RE` and :data:`EMAIL_RE` (aligner anchor tokens): a URL ends at ``'，。、）)``;
  Unicode classes.
- :data:`NEUTRAL_URL_EMAIL` (a pattern string inside the block segmenter's atom regex: text of no
  language): ``ftp://`` too, a URL ends at ``“”‘’，。！？、；）)`` (not at ASCII ``'``), ASCII e-mail.
- :data:`BOUNDED_URL_EMAIL_RE` (the sentence splitter: no sentence end inside an address): bounded
  repetitions so that a pathological text is scanned in linear time, bare domains (``example.com``) too.
- :data:`LEADING_HANDLES_RE`: ``@handles``, ``#tags`` and URLs at the start of a text.
"""

from __future__ import annotations

import regex

#: Where a web address starts.
WEB_START = r"(?:https?://|www\.)"
#: The same, ``ftp://`` too.
ANY_START = r"(?:https?://|ftp://|www\.)"
#: An e-mail address (``\w``: letters of any script unless compiled with ``regex.ASCII``).
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
#: An e-mail address in ASCII letters, not glued to a preceding address character.
ASCII_EMAIL = r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"


def url_pattern(stops: str, start: str = WEB_START) -> str:
    """A URL: ``start``, then anything but white space, ``<``, ``>``, ``"`` and the caller's ``stops``
    (a regex character-class body: the marks that end a URL in that caller's text)."""
    return start + r"[^\s<>\"" + stops + r"]+"


URL_EMAIL_RE = regex.compile(url_pattern("'，。；）)\\]") + "|" + EMAIL, regex.ASCII | regex.IGNORECASE)
ANCHOR_URL_RE = regex.compile(url_pattern("'，。、）)"), regex.IGNORECASE)
EMAIL_RE = regex.compile(EMAIL)
NEUTRAL_URL_EMAIL = url_pattern("“”‘’，。！？、；）)", ANY_START) + "|" + ASCII_EMAIL

# Bounded repetitions everywhere (URL <= 2000 characters, labels <= 63, at most 16 labels): each start
# position is tried in constant time, so a text like ``a.a.a.a...`` is scanned in linear time.
BOUNDED_URL_EMAIL_RE = regex.compile(
    ANY_START + r"[^\s<>\"“”'‘’，。！？、；）)]{1,2000}[^\s<>\"“”'‘’，。！？、；）).,;:!?]"
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,16}"
    r"|(?<![A-Za-z0-9-])[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,16}+\.(?:com|org|net|gov|edu|cn|uk|de|fr|io|info|int)"
    r"(?:/[^\s]{0,2000})?(?=[\s,;:!?)]|\.(?:\s|$)|$)",
    regex.IGNORECASE,
)

#: ``@handles``, ``#tags`` and web addresses (with what follows them up to white space) at the start.
LEADING_HANDLES_RE = regex.compile(r"^\s*(?:(?:[@#]\S+|https?://\S+|www\.\S+)\s*)+")


def urls(text: str) -> set[str]:
    """URLs and e-mail addresses (:data:`URL_EMAIL_RE`), lower-cased, trailing punctuation dropped."""
    return {u.lower().rstrip(".,;:!?") for u in URL_EMAIL_RE.findall(text)}
