"""Stop-words (function words): the one place their lists are written.

Each list is tuned for its use and kept as it was measured (the quality model's features and the
language decisions depend on their exact contents):

- :data:`EN_STOPWORDS` (block language id, :mod:`duiqi.segment.langid`): a run where they make up a
  good share is English without asking the model; :data:`EN_MARKERS`: the subset that is not also a
  common German/French/Spanish word.
- :data:`EN_COMMON_WORDS` (the aligner's rough language of a side, :func:`duiqi.align.core.detect_lang`).
- :data:`FUNCTION_WORDS` (the quality features' guess of a Latin-script side's language,
  :func:`duiqi.text.langid.latin_language`): the most frequent function words of en/de/fr/es/it/pt/nl.
- :data:`GLOSS_STOPWORDS` (the CC-CEDICT lexical signal, :mod:`duiqi.embed.lexical`): English words that
  carry no translation, dictionary-gloss filler (``sb``, ``sth``, ``variant``) included.
- :data:`EN_NOT_AFTER_DETERMINER` / :data:`EN_FUNCTION_CAPS` (the word-salad check,
  :func:`duiqi.score.text.disorder`): regex alternations of the words that never follow ``the``/``a``
  and of capitalised function words.
"""

from __future__ import annotations

#: English function words: a run where they make up a good share is English without asking the model.
EN_STOPWORDS: frozenset[str] = frozenset(
    str.split(
        """a an the and or but of to in on at by for with from as is are was were be been being have has had
    do does did not no this that these those it its he she we they i you his her our their my your them
    him us me which who whom whose what when where why how there here than then so such also into about
    over after before under between through during against among will would shall should can could may
    might must all any each other more most some only very just both either neither while if because"""
    )
)

#: Function words that are English and not also common German/French/Spanish words.
EN_MARKERS: frozenset[str] = frozenset(
    str.split(
        """the and of to is are with that this from for be been have has had which would their they we you
        it its not or at by were there these those what who when where why how can should could about into
        our my your his she he them than then"""
    )
)

#: The most frequent English words: a side where they are more than 5 % of the words is English.
EN_COMMON_WORDS: frozenset[str] = frozenset(
    ["the", "and", "of", "to", "is", "in", "that", "it", "was", "for", "with", "as", "on", "be", "at", "by", "this",
     "have", "from"]
)

#: The most frequent function words of each language the quality features tell apart.
_FUNCTION_WORDS_TEXT: dict[str, str] = {
    "en": "the of and to in is that it was for on are with as his they be at by this have from not but what "
          "all were when we there can an your which their has would will a i you do my me he she",
    "de": "der die das und ist nicht ein eine zu den mit sich des auf für dem im von auch wird sind bei oder "
          "wie aus wir ich sie er",
    "fr": "le la les des et est une un du que qui dans pour pas sur au avec ce il elle sont nous vous mais ou "
          "par je ne se",
    "es": "el la los las y es una un del que en por para con se su al lo como pero más este esta yo",
    "it": "il lo la gli le è una un di che per non con si del della sono ma come anche questo io",
    "pt": "os é um uma da que em para com não se por mais como mas ao dos das eu",
    "nl": "de het een en van dat niet op te zijn met voor er maar ook als bij ik wij hij",
}
FUNCTION_WORDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _FUNCTION_WORDS_TEXT.items()}

#: English words of a dictionary gloss that carry no translation.
GLOSS_STOPWORDS: frozenset[str] = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as", "and", "or", "but", "not", "no", "be", "is", "are", "was", "were", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she", "they", "we", "you", "i", "me", "him", "her", "them", "us", "my", "your", "his", "their", "our", "one", "ones", "sb", "sth", "someone", "something", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could", "may", "might", "shall", "should", "used", "also", "etc", "very", "much", "many", "more", "most", "some", "any", "all", "up", "out", "off", "over", "into", "onto", "about", "cl", "variant", "form", "see", "bound", "kind", "type", "person", "thing", "things", "place", "way", "used"]
)

#: Words that never follow ``the``/``a``/``an`` in English (a regex alternation).
EN_NOT_AFTER_DETERMINER = (
    "the|an?|of|in|on|at|to|and|or|but|is|are|was|were|he|she|they|we|it|i|with|by|for|from|that"
    "|has|have|had|will|would|can|not"
)
#: Capitalised English function words (a regex alternation): one after a lower-case word is a slip.
EN_FUNCTION_CAPS = "The|An?|In|On|At|It|He|She|We|They|This|That|But|And|For|Of|To|With|There|These|Those|If|When"
