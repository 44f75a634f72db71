"""Text knowledge shared by segment, align, score and repair: one home for each job.

============================  =================================================================
module                        what lives there
============================  =================================================================
:mod:`duiqi.text.scripts`     character classes (Han, kana, hangul, Latin, CJK punctuation and
                              full-width forms), script predicates (``is_han``, ``is_cjk``,
                              ``is_cjk_text``, ``is_ideograph``), the Chinese script (``hans`` /
                              ``hant``), lengths and script shares across scripts
:mod:`duiqi.text.langid`      language from script (``cjk_lang``) and from function words
                              (``latin_language``, ``side_share``); the pluggable Latin-script
                              identifier (py3langid) is :mod:`duiqi.segment.langid`
:mod:`duiqi.text.stopwords`   every stop-word / function-word list, each named for its use
:mod:`duiqi.text.numbers`     number values however written (``numbers``, ``parse_zh_numeral``),
                              the aligner's digit tokens (``anchor_number``)
:mod:`duiqi.text.dates`       month tables (``EN_MONTHS``, multilingual ``MONTHS``), the pattern of a
                              written-out date, Chinese year and month forms
:mod:`duiqi.text.urls`        URL and e-mail patterns (each stage's variant, named) and ``urls``
============================  =================================================================

Everything here is a pure function of its text (or a compiled pattern) and imports nothing of duiqi
but :mod:`duiqi.records`. Where two stages used to disagree (a URL ends at different marks, a stop
list is longer) both variants are kept, named after their user, because measured figures (alignment
F1, the quality model's features) depend on them; ``tests/text/test_one_home.py`` checks that no module
outside this package writes a month table, a stop-word list or a URL pattern again.
"""
