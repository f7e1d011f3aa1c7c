"""The local rules classifier (embedded default, no network): multilingual word lists
(ko, en, ja, es), contact-harvesting and scam patterns (phone numbers, messenger ids, URL
shorteners, money requests) and repeated-text spam. The word lists hold only unambiguous
abuse: learner mistakes, mixed scripts and transliteration are not signals by themselves."""

from __future__ import annotations

import re
from collections import Counter

from hypehere.domain.moderation.verdicts import Category, ClassifyContext, Verdict

MODEL = "rules"
PROMPT_VERSION = "rules-1"

WORDS: dict[Category, tuple[str, ...]] = {
    Category.HATE: (
        # en
        "subhuman",
        "go back to your country",
        "white power",
        "heil hitler",
        # ko
        "짱깨",
        "쪽바리",
        "조센징",
        "흑형충",
        # ja
        "支那人",
        "ゴキブリ朝鮮",
        "チョン公",
        # es
        "sudaca",
        "panchito de mierda",
        "negro de mierda",
    ),
    Category.HARASSMENT: (
        "kill yourself",
        "you are worthless",
        "nobody loves you",
        "shut up bitch",
        "자살해",
        "죽어버려",
        "병신아",
        "니애미",
        "死ね",
        "消えろブス",
        "キモいんだよ",
        "mátate",
        "eres una basura",
        "hijo de puta",
    ),
    Category.VIOLENCE: (
        "i will kill you",
        "i'm going to kill you",
        "i will find you and",
        "bomb the",
        "죽여버릴",
        "칼로 찔러",
        "殺してやる",
        "ぶっ殺す",
        "te voy a matar",
        "te mataré",
    ),
    Category.NSFW: (
        "nudes",
        "send nudes",
        "onlyfans",
        "porn",
        "sex chat",
        "야동",
        "섹스하자",
        "몸캠",
        "エロ動画",
        "セフレ",
        "pack de fotos",
        "sexo por",
    ),
}

SCAM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phone number", re.compile(r"(?:\+?\d[\s.-]?){9,14}\d")),
    (
        "messenger id",
        re.compile(
            r"(?i)\b(?:kakao(?:talk)?|카톡|카카오톡|line|라인|ライン|telegram|텔레그램|"
            r"whatsapp|wechat|위챗|snapchat|signal)(?:\s*id\s*[:：=]?|\s*[:：=@])\s*@?[a-z0-9_.-]{3,}"
        ),
    ),
    (
        "url shortener",
        re.compile(
            r"(?i)\b(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|is\.gd|ow\.ly|cutt\.ly|"
            r"rebrand\.ly|shorturl\.at|t\.ly)/\S+"
        ),
    ),
    (
        "money request",
        re.compile(
            r"(?i)(?:send|wire|transfer|lend)\s+(?:me\s+)?(?:some\s+)?(?:money|\$|usd|btc|bitcoin|"
            r"crypto|gift\s*cards?)|western\s+union|gift\s*card\s+code|"
            r"송금해|입금해|돈\s*좀\s*(?:보내|빌려)|계좌\s*번호|"
            r"送金して|振り込んで|お金を?貸して|"
            r"env[ií]a(?:me)?\s+dinero|transferencia\s+a\s+mi|préstame\s+dinero"
        ),
    ),
)

REPEATED_TOKEN = 5  # the same word this many times (and most of the text)
REPEATED_CHAR = re.compile(r"(.)\1{14,}")


def _normalized(text: str) -> str:
    return " ".join(text.lower().split())


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Latin words match as whole words (so "porn" is not found in "porny"); words in other
    scripts, which do not separate words with spaces, match anywhere."""
    parts = [
        rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])" if w.isascii() else re.escape(w) for w in words
    ]
    return re.compile("|".join(parts))


WORD_PATTERNS = {category: _word_pattern(words) for category, words in WORDS.items()}


class RulesClassifier:
    async def classify(self, text: str, language: str, context: ClassifyContext) -> Verdict:
        body = _normalized(text)
        for category, pattern in WORD_PATTERNS.items():
            found = pattern.search(body)
            if found:
                return _verdict(category, 0.9, f"contains '{found.group(0)}'")
        for label, pattern in SCAM_PATTERNS:
            if pattern.search(text):
                confidence = 0.8 if context.author_is_new else 0.7
                return _verdict(Category.SCAM, confidence, f"{label}")
        tokens = body.split()
        if tokens:
            word, count = Counter(tokens).most_common(1)[0]
            if count >= REPEATED_TOKEN and count * 2 > len(tokens):
                return _verdict(Category.SPAM, 0.75, f"'{word}' repeated {count} times")
        if REPEATED_CHAR.search(text):
            return _verdict(Category.SPAM, 0.6, "a character repeated many times")
        return _verdict(Category.NONE, 0.6, "no rule matched")


def _verdict(category: Category, confidence: float, reason: str) -> Verdict:
    return Verdict(
        category=category,
        confidence=confidence,
        reason=reason,
        model=MODEL,
        prompt_version=PROMPT_VERSION,
    )
