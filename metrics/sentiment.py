"""Sentiment of residents' texts: French (own VADER-style analyzer), English (VADER), else none."""

from __future__ import annotations

import functools
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.language_model import language_identifier

LEXICONS = Path(__file__).resolve().parent / "lexicons"

POSITIVE = "positif"
NEGATIVE = "négatif"
NEUTRAL = "neutre"
NOT_EVALUATED = "non évalué"
THRESHOLD = 0.05

# ISO 639-1 codes come from the detector; "und" (undetermined) marks a text without any word
# (empty, digits, punctuation, emojis only). Only French and English texts are scored.
UNDETERMINED = "und"
SCORED_LANGUAGES = ("fr", "en")

# VADER's empirically derived constants (Hutto & Gilbert, 2014), kept for French: they set the
# scale that the lexicon valences were rated on.
B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74
# « peu efficace », « moins bien »: a weak negation, half a flip.
WEAK_NEGATION = -0.5
# The clause after « mais » carries the writer's verdict, as VADER does for "but".
BEFORE_CONTRAST = 0.5
AFTER_CONTRAST = 1.5
# Tokens looked back for a negation or an intensifier (VADER's window).
NEGATION_WINDOW = 3
BOOSTER_WINDOW = 3
# « toujours pas », « toujours rien »: the tell-tale of a request left unanswered.
STILL_VALENCE = -1.2


@dataclass(frozen=True)
class Sentiment:
    """Sentiment of one text; ``words`` lists each token that moved the score and by how much."""

    language: str
    compound: float | None
    label: str
    words: tuple[tuple[str, float], ...]


_NOT_EVALUATED = Sentiment(UNDETERMINED, None, NOT_EVALUATED, ())


def sentiment_label(compound: float | None) -> str:
    """French label of a compound score: positif ≥ 0.05, négatif ≤ −0.05, neutre between."""
    if compound is None or compound != compound:  # None or NaN: nothing was scored
        return NOT_EVALUATED
    if compound >= THRESHOLD:
        return POSITIVE
    if compound <= -THRESHOLD:
        return NEGATIVE
    return NEUTRAL


# --- the rules' vocabulary (folded: lower case, no accents) ----------------------------------


def _words(text: str) -> list[str]:
    """Space-separated word list (long vocabularies read better as prose than as literals)."""
    return text.split()


_NE = frozenset({"ne", "n"})
# Negations that need no « ne »: written French keeps it, spoken French drops it (« c'est pas
# propre »). « plus » and « personne » are not here: they negate only with « ne ».
_NEGATORS = frozenset(
    {"pas", "jamais", "rien", "aucun", "aucune", "aucunement", "nullement", "sans", "ni", "guere"}
)
# Words that close a « ne … » frame into a negation; « ne … que » is a restriction, not one.
_NE_PARTNERS = (_NEGATORS | {"plus", "personne", "point"}) - {"sans", "ni"}
# Subjects that make a following « ne » negative: « personne n'est content ».
_NEGATIVE_SUBJECTS = frozenset({"personne", "rien", "aucun", "aucune"})
# Pronouns right before a verb: « j'aime pas » negates « aime » even without « ne ».
_CLITICS = frozenset(
    _words("je j tu il elle on nous vous ils elles ca me m te t se s le l la les lui leur y en")
)
_SPOKEN_NEGATORS = frozenset({"pas", "jamais"})
# Conjunctions that open a new clause: a negation does not reach past them (« j'en sais rien
# mais j'aime »).
_CLAUSE_BREAKS = frozenset(
    {"mais", "car", "donc", "puis", "sinon", "cependant", "pourtant", "toutefois", "neanmoins"}
)
_BOOSTERS = {
    word: B_INCR
    for word in _words(
        "tres trop vraiment vraiement extremement tellement hyper ultra vachement completement "
        "totalement absolument particulierement franchement reellement terriblement "
        "incroyablement enormement hautement carrement archi mega super bien si grave sacrement "
        "drolement fort veritable sincerement plus"
    )
} | {
    word: B_DECR
    for word in _words(
        "assez plutot legerement moyennement presque relativement quasi quasiment passablement"
    )
}
# Intensifiers that are sentiment words on their own: « c'est super » / « super propre ».
_DUAL = frozenset({"super", "bien", "fort", "grave", "terriblement"})
# Intensifiers that follow the word they intensify: « j'aime beaucoup ».
_POST_BOOSTERS = frozenset({"beaucoup", "enormement", "trop", "vraiment", "grave"})
_CONTRASTS = frozenset({"mais", "cependant", "pourtant", "toutefois", "neanmoins"})
_STILL = frozenset({"toujours"})
_STILL_TARGETS = frozenset({"pas", "rien", "aucun", "aucune", "personne"})
# Light verbs take their sentiment from their object (« faire la fête », « prendre du retard »);
# the translated lexicon gives some of them a valence that their other forms must not inherit.
_LIGHT_VERBS = frozenset(
    _words(
        "faire refaire prendre reprendre vouloir valoir aller avoir etre pouvoir devoir mettre "
        "donner dire voir venir tenir detenir retenir savoir falloir rendre passer"
    )
)
# Negations, intensifiers and contrasts act by rule; as sentiment words they would count
# twice (fr_lexicon.txt gives « vraiment » 1.9).
_RULE_WORDS = _NEGATORS | _NE | set(_BOOSTERS) | _POST_BOOSTERS | _CONTRASTS | {"moins", "peu"}
# Words of lack: what follows their « de » is missing, so its valence turns (« dénué
# d'intérêt », « manque de propreté », « absence de problème »).
_PRIVATIVES = frozenset(
    _words(
        "denue denuee denues denuees depourvu depourvue depourvus depourvues manque manquent "
        "absence faute"
    )
)
# A rating given in the text (« 1 étoile », « ça vaut 4 étoiles », « 2/5 »): the writer's own
# verdict, on review sites and in reviews of public services alike. 3 of 5 reads as neither.
STAR_VALENCES = {0: -3.0, 1: -2.5, 2: -1.5, 3: 0.0, 4: 2.0, 5: 3.0}
_STAR_NUMBERS = {
    "0": 0, "zero": 0, "1": 1, "un": 1, "une": 1, "2": 2, "deux": 2, "3": 3, "trois": 3,
    "4": 4, "quatre": 4, "quatres": 4, "5": 5, "cinq": 5,
}  # fmt: skip
_STAR_RE = (
    r"(?=[0-5zuqtdcZUQTDC])(?<![\w/,.])(?i:[0-5]|z[eé]ro|une?|deux|trois|quatres?|cinq)"
    r" ?(?:(?i:[eé]toiles?)|/ ?5)(?![\w/])"
)
# Shortest word looked up by its lemma: shorter ones are function words or ambiguous forms.
LEMMA_MIN_LENGTH = 4

# Frequent function words that only one language uses: the fast path of language detection
# (a French comment of a few words has several of them, and no detector call is needed).
_MARKERS = {
    "fr": (
        "le les des du et est je j nous vous ils elle elles pas ne n c ce cette ces cet qui qu "
        "dans pour avec sur mais tres au aux sont ete ai ou ca cela leur leurs tout tous toute "
        "toutes aussi avoir etre fait rien toujours merci bonjour depuis votre notre nos vos mes "
        "mon moi lui ont etait avait peu sans chez deja encore quand donc alors ici oui bien une "
        "trop apres avant vraiment comme parce suis sommes etes avons avez fais peut faut rue"
    ),
    "en": (
        "the and is are was were of to it this that with you my your not but have has had be "
        "been very thanks thank please would will what there they we our their from at an or "
        "just all can could should about which when who because than then them these those "
        "its did does"
    ),
    "other": (
        "der die das und ist nicht ich sehr ein eine mit auf fur wir sie den dem auch aber wie "
        "noch nur schon zu bei vom zum gut danke el los las y muy por una es esta pero con del "
        "lo para como todo nada hay este gracias bueno malo della di che sono molto per gli "
        "questo questa grazie delle nel alla anche buono nao com os uma muito obrigado voce "
        "isso tambem foi het een niet van ik zijn maar voor ook wel bedankt heel goed slecht"
    ),
}
_MARK = {word: lang for lang, words in _MARKERS.items() for word in _words(words)}
# Languages among which the detector chooses when the fast path leaves a text open: those a
# French town hall may receive. Restricting the set removes the noise of rare languages on
# short texts; a text in another language lands on a near one, never on French unless its
# words are French.
_DETECTOR_LANGUAGES = _words(
    "fr en de es it pt nl ca ro pl tr ar ru zh ja vi sv da no cs el uk fa he hi ko th id ms "
    "sw br oc eu la"
)
# Log-probability bonus for French: the prior that a text sent to a French town is French. It
# only tips the balance on short texts, where the character model has little evidence.
_FRENCH_PRIOR = 4.0
_NO_FEATURE = -1e30  # py3langid's score when no character n-gram of its model occurs


# --- lexicons (read on first use, so that importing the module stays cheap) -----------------


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics → bare letters, so that « deçu » finds « déçu »."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        bare = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if bare and bare != char and bare.isascii():
            table[code] = bare
    table.update({ord("œ"): "oe", ord("æ"): "ae", ord("ø"): "o", ord("ß"): "ss", ord("đ"): "d"})
    table[0x307] = ""  # the combining dot that "İ".lower() leaves
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lexicon key of a term: lower case, no accents, hyphens and apostrophes as spaces."""
    return re.sub(r"[\s\-'’ʼ`]+", " ", text.lower().translate(_FOLD)).strip()


def _read_tsv(path: Path) -> list[tuple[str, float]]:
    """(term, valence) rows of a tab-separated lexicon; blank lines and # comments skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, _, value = line.partition("\t")
            rows.append((term.strip(), float(value)))
    return rows


def _inflections(word: str) -> list[str]:
    """Feminine and plural forms of a French adjective or participle (regular patterns)."""
    if word.endswith("eux"):
        return [word[:-1] + "se", word[:-1] + "ses"]
    if word.endswith("eur"):
        return [word[:-1] + "se", word[:-1] + "ses", word + "s", word + "e", word + "es"]
    if word.endswith("if"):
        return [word[:-1] + "ve", word[:-1] + "ves", word + "s"]
    if word.endswith("al"):
        return [word[:-1] + "ux", word + "e", word + "es"]
    if word.endswith(("el", "en", "on", "il")):
        return [word + "s", word + word[-1] + "e", word + word[-1] + "es", word + "e"]
    if word.endswith(("s", "x")):
        return []  # already plural (« ladres »): adding "e" would make up words
    # Folded keys no longer tell « propre » from « réparé »: both patterns are derived.
    return [word + "s", word + "e", word + "es"]


@functools.cache
def _french_base() -> dict[str, float]:
    """Folded term → valence: fr_lexicon.txt (vaderSentiment-fr) corrected by fr_parvis.tsv.

    Zero valences are kept: a term set to 0 on purpose (« ville », read as « vile ») must not
    take a valence from its lemma either. Read once: the lexicon and the lemma table share it
    (callers must not change it).
    """
    sums: dict[str, list[float]] = {}
    for line in (LEXICONS / "fr_lexicon.txt").read_text(encoding="utf-8").splitlines():
        term, sep, value = line.partition("->")
        if sep and re.search(r"[^\W\d_]", term):  # emoticons come from emoji_parvis.tsv
            sums.setdefault(fold(term), []).append(float(value))
    # Folding merges pairs such as « abandonne »/« abandonné »: their mean is kept.
    base = {key: sum(values) / len(values) for key, values in sums.items()}
    base.update((fold(term), value) for term, value in _read_tsv(LEXICONS / "fr_parvis.tsv"))
    return base


def _french_lexicon() -> tuple[dict[str, float], dict[tuple[str, ...], float]]:
    """(words, phrases): the base lexicon's terms, with the regular inflections of each word."""
    base = _french_base()
    words = {key: value for key, value in base.items() if value and " " not in key}
    phrases = {tuple(key.split()): value for key, value in base.items() if " " in key}
    for key, value in list(words.items()):
        for form in _inflections(key):
            if form not in base:
                words.setdefault(form, value)
    for key in _RULE_WORDS - _DUAL:
        words.pop(key, None)
    return words, phrases


_EMOTICON = re.compile(r"[:;=<>^x'\-_()\[\]|/*3dp]+")


def _emoticon_variants(emoticon: str) -> list[str]:
    """Forms with a nose and repeats (":)" → ":-)", ":)))"…): matches become plain look-ups."""
    forms = {emoticon}
    if len(emoticon) >= 2 and emoticon[0] in ":;=" and emoticon[1] != "-":
        forms.add(emoticon[0] + "-" + emoticon[1:])
    return [form + form[-1] * repeat for form in forms for repeat in range(6)]


def _emoji_valences(words: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(emojis, emoticons): hand-set values, then other emojis' French descriptions scored."""
    emojis: dict[str, float] = {}
    emoticons: dict[str, float] = {}
    for symbol, value in _read_tsv(LEXICONS / "emoji_parvis.tsv"):
        if _EMOTICON.fullmatch(symbol):
            emoticons.update((variant, value) for variant in _emoticon_variants(symbol))
        else:
            emojis[symbol[0]] = value  # variation selectors and skin tones are not matched
    for line in (LEXICONS / "emojis_fr.txt").read_text(encoding="utf-8").splitlines():
        symbol, _, description = line.partition("\t")
        if not symbol or symbol[0].isascii() or symbol[0] in emojis:
            continue  # keycaps (« 1️⃣ ») start with an ASCII character
        if 0x1F1E6 <= ord(symbol[0]) <= 0x1F1FF:
            continue  # flags: a country is no sentiment
        value = sum(words.get(word, 0.0) for word in fold(description).split())
        if abs(value) >= 0.5:
            emojis[symbol[0]] = max(-2.5, min(2.5, value))
    return emojis, emoticons


def _star_valences() -> dict[str, float]:
    """Folded rating token (« 4 etoiles », « 1/5 ») → valence of that many stars out of 5."""
    valences = {}
    for number, stars in _STAR_NUMBERS.items():
        value = STAR_VALENCES[stars]
        if value:
            for unit in ("etoile", "etoiles", "/5", "/ 5"):
                valences[f"{number}{unit}"] = valences[f"{number} {unit}"] = value
    return valences


@dataclass(frozen=True)
class _Resources:
    valence: dict[str, float]  # one token: folded word, emoji or emoticon
    phrases: dict[str, list[tuple[tuple[str, ...], float]]]  # first token → longest first
    token_re: re.Pattern[str]
    french_only: frozenset[str]
    english_only: frozenset[str]
    both: frozenset[str]


@functools.cache
def _resources() -> _Resources:
    words, phrases = _french_lexicon()
    emojis, emoticons = _emoji_valences(words)
    by_first: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for tokens, value in sorted(phrases.items(), key=lambda item: -len(item[0])):
        by_first.setdefault(tokens[0], []).append((tokens, value))
    symbolic = sorted((form for form in emoticons if not form.isalpha()), key=len, reverse=True)
    starts = re.escape("".join(sorted({form[0] for form in symbolic})))
    alternatives = "|".join(re.escape(form) for form in symbolic)
    emoji_class = "".join(re.escape(symbol) for symbol in sorted(emojis))
    token_re = re.compile(
        # Words (alphabetic emoticons such as « xD » are looked up like words), emoticons,
        # emojis, runs of sentence punctuation. An emoticon needs a break on both sides, so
        # « http://x » holds no face. The look-aheads only speed the scan up.
        rf"(?=\S)(?:{_STAR_RE}"
        r"|[^\W\d_]+"
        rf"|(?=[{starts}])(?<![\w:/])(?i:{alternatives})(?![\w/])"
        rf"|[{emoji_class}]"
        r"|[.!?;,]+)"
    )
    english = _english_words()
    # Sentiment and function words only: phrases hold words of many languages (« a », « de »).
    french = set(words) | {word for word, lang in _MARK.items() if lang == "fr"}
    english |= {word for word, lang in _MARK.items() if lang == "en"}
    return _Resources(
        valence={**words, **emojis, **emoticons, **_star_valences()},
        phrases=by_first,
        token_re=token_re,
        french_only=frozenset(french - english),
        english_only=frozenset(english - french),
        both=frozenset(french & english),
    )


@functools.cache
def _english_analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@functools.cache
def _english_words() -> frozenset[str]:
    return frozenset(word for word in _english_analyzer().lexicon if word.isalpha())


@functools.cache
def _identifier() -> Any:
    # py3langid ships its model inside the wheel: nothing is downloaded at run time. It is
    # loaded when a text first needs it (or by load_resources), from a decompressed copy.
    identifier = language_identifier()
    identifier.set_languages(_DETECTOR_LANGUAGES)
    return identifier


@functools.cache
def _lemmatizer() -> Any:
    # simplemma's dictionary of French inflected forms (MIT, shipped in the wheel): only its
    # exact look-up is used, never its guessing rules, so no word gets a made-up lemma.
    from simplemma.strategies import DictionaryLookupStrategy

    return DictionaryLookupStrategy()


@functools.cache
def _lemma_valences() -> tuple[dict[str, float], frozenset[str]]:
    """(folded lemma → valence, folded terms the base lexicon knows, valued or not).

    A lemma's valence is its own entry in the lexicon, else the mean of the lexicon's forms
    of that lemma. Light verbs are left out.
    """
    base = _french_base()
    lemmatizer = _lemmatizer()
    forms: dict[str, list[float]] = {}
    for key, value in base.items():
        if value and " " not in key:
            lemma = lemmatizer.get_lemma(key, "fr")
            if lemma is not None:
                forms.setdefault(fold(lemma), []).append(value)
    valences = {lemma: sum(values) / len(values) for lemma, values in forms.items()}
    valences.update((key, value) for key, value in base.items() if value and " " not in key)
    for verb in _LIGHT_VERBS:
        valences.pop(verb, None)
    return valences, frozenset(key for key in base if " " not in key)


@functools.lru_cache(maxsize=100_000)
def lemma_valence(word: str) -> float:
    """Valence of a word the lexicon lacks, through its lemma: « ennuient » → « ennuyer ».

    0.0 for a word the lexicon already knows (valued, or set to 0 on purpose), a rule word,
    a word without a known lemma or whose lemma has no valence.
    """
    key = fold(word)
    if len(key) < LEMMA_MIN_LENGTH or not key.isalpha():
        return 0.0
    valences, known = _lemma_valences()
    if key in known or key in _RULE_WORDS:
        return 0.0
    lemma = _lemmatizer().get_lemma(word.lower(), "fr")
    if lemma is None:
        return 0.0
    lemma_key = fold(lemma)
    return 0.0 if lemma_key == key else valences.get(lemma_key, 0.0)


# --- tokens and language ---------------------------------------------------------------------


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """(raw tokens, folded keys): words, emojis, emoticons and runs of sentence punctuation."""
    raw = _resources().token_re.findall(text)
    # Most tokens are plain ASCII: the accent table is skipped for them (it is slow).
    return raw, [
        token.lower() if token.isascii() else token.lower().translate(_FOLD) for token in raw
    ]


def _language(keys: list[str], text: str) -> str:
    """ISO 639-1 code of the text, or ``und`` when it has no word at all."""
    words = [key for key in keys if key.isalpha()]
    if not words:
        return UNDETERMINED
    marks = [_MARK[word] for word in words if word in _MARK]
    french, english, other = marks.count("fr"), marks.count("en"), marks.count("other")
    if (french >= 3 and french >= 2 * (english + other)) or (french >= 2 and not english + other):
        return "fr"
    if english >= 3 and english >= 2 * (french + other):
        return "en"
    if len(words) <= 4 and not other:
        # Too short for character statistics: the words of each lexicon vote.
        res = _resources()
        fr_votes = sum(word in res.french_only for word in words)
        en_votes = sum(word in res.english_only for word in words)
        if fr_votes != en_votes:
            return "fr" if fr_votes > en_votes else "en"
        if all(word in res.both for word in words):
            return "fr"  # « super », « top », « ok »: the French reading is the expected one
    ranked = _identifier().rank(text)
    if ranked[0][1] < _NO_FEATURE:
        return "fr" if not other else UNDETERMINED
    return max(ranked, key=lambda item: item[1] + (_FRENCH_PRIOR if item[0] == "fr" else 0.0))[0]


# --- French scoring ------------------------------------------------------------------------


def _is_boundary(key: str) -> bool:
    return key[0] in ".!?;,"


def _normalize(score: float, alpha: float = 15.0) -> float:
    """VADER's squashing of a valence sum into [−1, 1]."""
    return max(-1.0, min(1.0, score / math.sqrt(score * score + alpha)))


def _punctuation_emphasis(text: str) -> float:
    """VADER's emphasis from "!" (up to 4) and "?" (2 or more)."""
    exclamations = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions <= 1:
        return exclamations
    return exclamations + (questions * 0.18 if questions <= 3 else 0.96)


def _score_french(raw: list[str], keys: list[str], text: str) -> tuple[float, list]:
    """(compound, [(token, contribution)…]) of a tokenised French text."""
    res = _resources()
    n = len(keys)
    keys = list(keys)  # the inner tokens of a phrase are blanked below
    shown = list(raw)
    values = [res.valence.get(key, 0.0) for key in keys]
    for i, key in enumerate(keys):
        if not values[i] and key.isalpha() and len(key) >= LEMMA_MIN_LENGTH:
            values[i] = lemma_valence(raw[i])
    fixed = [False] * n  # a phrase carries its own negation: no rule applies to it

    for i in [i for i, key in enumerate(keys) if key in res.phrases]:
        if not keys[i]:
            continue  # already inside an earlier phrase
        for tokens, value in res.phrases[keys[i]]:
            end = i + len(tokens)
            if tuple(keys[i:end]) == tokens:
                values[i], fixed[i], shown[i] = value, True, " ".join(raw[i:end])
                for j in range(i + 1, end):
                    values[j], keys[j] = 0.0, ""
                break

    present = set(keys)
    if present & _DUAL:  # right before a sentiment word, « super » only intensifies it
        for i in range(n - 1):
            if keys[i] in _DUAL and values[i + 1] and keys[i + 1][:1].isalpha() and not fixed[i]:
                values[i] = 0.0

    # Capitals emphasise a word only when the rest of the text is not in capitals too.
    shouting = False
    if not text.islower():
        lettered = [token for token in raw if len(token) > 1 and token.isalpha()]
        shouting = 0 < sum(token.isupper() for token in lettered) < len(lettered)
    contributions: list[tuple[int, float]] = []
    for i in [i for i in range(n) if values[i]]:
        value = values[i]
        sign = 1.0 if value > 0 else -1.0
        if shouting and len(raw[i]) > 1 and raw[i].isupper():
            value += sign * C_INCR
        if not fixed[i]:
            value = _boost(keys, raw, values, i, value, sign, shouting)
            # « je ne l'aime pas » is one negation, not the written and the spoken one twice.
            negation = _negation(keys, values, i)
            value *= negation if negation != 1.0 else _spoken_negation(keys, i)
        if i + 1 < n and keys[i + 1] in _POST_BOOSTERS:
            value += B_INCR if value > 0 else -B_INCR
        contributions.append((i, value))

    if present & _STILL:
        for i in range(n - 1):
            if keys[i] in _STILL and keys[i + 1] in _STILL_TARGETS:
                shown[i] = f"{raw[i]} {raw[i + 1]}"
                contributions.append((i, STILL_VALENCE))
        contributions.sort()

    contrasts = present & _CONTRASTS
    if contrasts:
        contrast = min(keys.index(key) for key in contrasts)
        contributions = [
            (i, value * (BEFORE_CONTRAST if i < contrast else AFTER_CONTRAST))
            for i, value in contributions
        ]
    total = sum(value for _, value in contributions)
    words = [(shown[i], value) for i, value in contributions if value]
    emphasis = _punctuation_emphasis(text) if total else 0.0
    if emphasis:  # "!" amplifies the sentiment already there, in its direction
        emphasis = emphasis if total > 0 else -emphasis
        total += emphasis
        words.append(("!" * min(text.count("!"), 4) + "?" * min(text.count("?"), 3), emphasis))
    return _normalize(total), words


def _boost(
    keys: list[str],
    raw: list[str],
    values: list[float],
    i: int,
    value: float,
    sign: float,
    shouting: bool,
) -> float:
    """``value`` with the intensifiers and dampeners among the tokens before ``i`` added."""
    for distance in range(1, BOOSTER_WINDOW + 1):
        j = i - distance
        if j < 0 or not keys[j] or _is_boundary(keys[j]):
            break
        key = keys[j]
        if values[j] and key not in _DUAL:
            break  # an earlier sentiment word takes its own intensifiers
        if key == "peu" and j > 0 and keys[j - 1] == "un":
            scalar = B_DECR  # « un peu » dampens; « peu » alone negates (see _negation)
        elif key == "si" and distance > 1:
            scalar = 0.0  # « si » intensifies only right before its word, else it means "if"
        else:
            scalar = _BOOSTERS.get(key, 0.0)
        if scalar:
            if shouting and raw[j].isupper():
                scalar += C_INCR if scalar > 0 else -C_INCR
            value += sign * scalar * (1.0, 0.95, 0.9)[distance - 1]
    return value


def _negation(keys: list[str], values: list[float], i: int) -> float:
    """Factor that a negation before position ``i`` applies to its valence (1.0 when none)."""
    for distance in range(1, NEGATION_WINDOW + 1):
        j = i - distance
        if j < 0:
            break
        key = keys[j]
        if not key:
            continue  # inside a phrase
        if _is_boundary(key) or values[j] or key in _CLAUSE_BREAKS:
            break  # a negation's scope ends with its clause or at its first sentiment word
        if key in _NEGATORS:
            return 1.0 if _closes_used_frame(keys, values, j) else N_SCALAR
        if key in ("de", "d") and j > 0 and keys[j - 1] in _PRIVATIVES:
            return N_SCALAR
        if key == "plus" and _ne_before(keys, j):
            return N_SCALAR  # « n'est plus propre »; « plus propre qu'avant » compares
        if key in _NE:
            return N_SCALAR if _ne_is_negation(keys, j, i) else 1.0
        if key == "peu" and not (j > 0 and keys[j - 1] == "un"):
            return WEAK_NEGATION  # « peu efficace »
        if key == "moins" and not (j > 0 and keys[j - 1] in ("au", "du")):
            return WEAK_NEGATION  # « moins bien »; « au moins » concedes
    return 1.0


def _ne_is_negation(keys: list[str], j: int, i: int) -> bool:
    """« ne » at ``j`` negates the word at ``i`` after it: « je n'aime pas », « rien n'est bon »."""
    if j > 0 and keys[j - 1] in _NEGATIVE_SUBJECTS:
        return True
    for k in range(i + 1, min(len(keys), j + NEGATION_WINDOW + 2)):
        if not keys[k]:
            continue
        if _is_boundary(keys[k]):
            return False
        if keys[k] in _NE_PARTNERS:
            return True
    return False  # « ne … que » restricts, it does not negate


def _spoken_negation(keys: list[str], i: int) -> float:
    """« j'aime pas », « on s'ennuie jamais »: spoken French drops « ne » after a pronoun."""
    if i == 0 or keys[i - 1] not in _CLITICS:
        return 1.0
    for k in range(i + 1, min(len(keys), i + 3)):
        if keys[k] in _SPOKEN_NEGATORS:
            return N_SCALAR
        if keys[k] not in _BOOSTERS:
            break
    return 1.0


def _ne_before(keys: list[str], j: int) -> bool:
    """True when a « ne » stands in the three tokens before ``j`` (same clause)."""
    for k in range(j - 1, max(-1, j - 4), -1):
        if not keys[k]:
            continue
        if _is_boundary(keys[k]):
            return False
        if keys[k] in _NE:
            return True
    return False


def _closes_used_frame(keys: list[str], values: list[float], j: int) -> bool:
    """True for the « pas » of « je n'aime pas les travaux »: it already negated « aime »."""
    seen_sentiment = False
    for k in range(j - 1, max(-1, j - 1 - NEGATION_WINDOW), -1):
        if not keys[k]:
            continue
        if _is_boundary(keys[k]):
            return False
        if values[k]:
            if k == j - 1 and k > 0 and keys[k - 1] in _CLITICS:
                return True  # « j'aime pas … »: the verb right before took the negation
            seen_sentiment = True
        elif keys[k] in _NE:
            return seen_sentiment
    return False


# --- English scoring: vaderSentiment, keeping the words that moved the score ----------------


def _score_english(text: str) -> tuple[float, list]:
    """(compound, [(token, contribution)…]) as VADER's polarity_scores computes them."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentiText

    res = _resources()
    analyzer = _english_analyzer()
    # Emojis are scored from the same table as in French; VADER sees the text without them.
    emojis = [char for char in text if not char.isascii() and char in res.valence]
    if emojis:
        text = "".join(" " if char in emojis else char for char in text)
    sentitext = SentiText(text)
    tokens = sentitext.words_and_emoticons
    sentiments: list[float] = []
    for i, item in enumerate(tokens):  # the loop of VADER's polarity_scores
        lowered = item.lower()
        if lowered in BOOSTER_DICT or (
            lowered == "kind" and i < len(tokens) - 1 and tokens[i + 1].lower() == "of"
        ):
            sentiments.append(0.0)
        else:
            sentiments = analyzer.sentiment_valence(0.0, sentitext, item, i, sentiments)
    sentiments = analyzer._but_check(tokens, sentiments)
    words = [(token, value) for token, value in zip(tokens, sentiments, strict=True) if value]
    sentiments += [res.valence[char] for char in emojis]
    words += [(char, res.valence[char]) for char in emojis]
    compound = analyzer.score_valence(sentiments, text)["compound"]
    total = sum(sentiments)
    emphasis = analyzer._punctuation_emphasis(text) if total else 0.0
    if emphasis:
        marks = "!" * min(text.count("!"), 4) + "?" * min(text.count("?"), 3)
        words.append((marks, emphasis if total > 0 else -emphasis))
    return compound, words


# --- public API --------------------------------------------------------------------------------


def sentiment_of(text: str | None) -> Sentiment:
    """Language, compound in [−1, 1] (None when not evaluated), label and the words behind it.

    French texts are scored by this module's analyzer, English ones by vaderSentiment; any
    other language, and an empty text, is « non évalué » — never a silent neutral.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return _NOT_EVALUATED
    if not isinstance(text, str):
        text = str(text)
    if not text.strip():
        return _NOT_EVALUATED
    # Meta captions often use "mathematical bold" letters: NFKC turns them back into words.
    text = unicodedata.normalize("NFKC", text)
    raw, keys = _tokens(text)
    if not keys:
        return _NOT_EVALUATED
    language = _language(keys, text)
    if language == "en":
        compound, words = _score_english(text)
    elif language in ("fr", UNDETERMINED):
        # A text without words (emojis, emoticons) is scored on its symbols alone.
        compound, words = _score_french(raw, keys, text)
        if language == UNDETERMINED and not words:
            return _NOT_EVALUATED
    else:
        return Sentiment(language, None, NOT_EVALUATED, ())
    compound = round(max(-1.0, min(1.0, compound)), 4)
    explained = tuple((word, round(value, 4)) for word, value in words)
    return Sentiment(language, compound, sentiment_label(compound), explained)


def lexicon_hit(text: str | None) -> bool:
    """True when a word, phrase, emoji or emoticon of the lexicons moved the score of ``text``.

    The share of texts without a hit tells how much the lexicons cover: those texts score 0.
    """
    return any(word[0] not in "!?" for word, _ in sentiment_of(text).words)


_LOADING = threading.Lock()


def load_resources() -> None:
    """Load the lexicons, VADER and the language model now rather than at the first text:
    about a second, which a large import spends in the background while it reads its file.

    A caller arriving while another thread loads them waits for that load (the caches below
    would otherwise let both threads build everything)."""
    with _LOADING:
        _resources()
        _english_words()
        _identifier()
        _lemma_valences()


def sentiments(texts: pd.Series) -> pd.DataFrame:
    """One row per text, same index: language, compound (NaN when not evaluated), label, words.

    Each distinct text is scored once and the result mapped back: the many repeated comments
    of a large export cost nothing extra.
    """
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    if len(uniques):
        load_resources()
    scored = [sentiment_of(text) for text in uniques] + [_NOT_EVALUATED]
    table = pd.DataFrame(
        {
            "language": [s.language for s in scored],
            "compound": [math.nan if s.compound is None else s.compound for s in scored],
            "label": [s.label for s in scored],
            "words": [s.words for s in scored],
        }
    )
    # Missing texts have the code −1, which picks the last row: « non évalué ».
    frame = table.iloc[codes].set_axis(texts.index)
    frame["compound"] = frame["compound"].astype("float64")
    return frame


def sentiment_json_lines(lines: Iterable[str]) -> Iterator[str]:
    """One JSON object per input line: language, compound, label and the words that moved it."""
    for line in lines:
        result = sentiment_of(line.rstrip("\r\n"))
        yield json.dumps(
            {
                "language": result.language,
                "compound": result.compound,
                "label": result.label,
                "words": [word for word, _ in result.words],
            },
            ensure_ascii=False,
        )
