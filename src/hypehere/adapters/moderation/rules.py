"""The local rules classifier (embedded default, no network): multilingual word lists
(ko, en, ja, es), contact-harvesting and scam patterns (phone numbers, messenger ids, URL
shorteners, money requests) and repeated-text spam. The word lists hold only unambiguous
abuse: learner mistakes, mixed scripts and transliteration are not signals by themselves."""

from __future__ import annotations

import re
import time
from collections import Counter

from prometheus_client import Histogram

from hypehere.domain.moderation.verdicts import Category, ClassifyContext, Verdict

MODEL = "rules"
PROMPT_VERSION = "rules-2"

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

# --- contact details written so that a plain pattern misses them ---------------------------
MESSENGER = (
    r"(?:(?<![a-z])(?:kakao(?:\s*talk)?|line|telegram|whats\s*app|whats|wasap|wechat|"
    r"insta(?:gram)?|snap(?:chat)?|discord|signal)(?![a-z])"
    r"|카톡|카카오톡?|(?<!온)라인|텔레그램|왓츠앱|위챗|인스타|(?<!オン)ライン|テレグラム|インスタ)"
)
ID_WORD = r"(?:(?<![a-z])id(?![a-z])|아이디|아뒤|ｉｄ|handle|user\s*name|usuario)"
# a handle: letters with digits, an underscore or a dot in it (a plain word is not one)
HANDLE = r"@?(?=[a-z0-9_.]*[0-9_.])[a-z][a-z0-9_.]{2,}[a-z0-9]"
MESSENGER_IN_WORDS = re.compile(
    # "kakao id is sweetgirl22", "카톡 아이디 sweet_22", "LINEのID教えて … ID: sakura_0721"
    rf"(?i){MESSENGER}(?:[^\n]{{0,12}}?){ID_WORD}[^\n]{{0,40}}?(?<![a-z0-9_.]){HANDLE}"
    # "insta? its @ jenny . love . 99" (spaces squeezed out of the handle first)
    rf"|{MESSENGER}[^\n]{{0,20}}?@\s?[a-z0-9_.]{{3,}}"
)
# ten or more letters and digits typed one by one ("s a k u r a 0 7"), at least two digits
SPACED_OUT = re.compile(r"(?i)(?<![\w])(?:[a-z0-9][\s.\-_]+){5,}[a-z0-9](?![\w])")
DIGIT_WORDS = (
    r"zero|oh|one|two|three|four|five|six|seven|eight|nine|"
    r"cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|"
    r"공|영|일|이|삼|사|오|육|륙|칠|팔|구|"
    r"ゼロ|れい|ぜろ|いち|に|さん|よん|ご|ろく|なな|はち|きゅう"
)
DIGITS_IN_WORDS = re.compile(rf"(?i)(?<![\w])(?:(?:{DIGIT_WORDS})[\s,.\-・、]*){{8,}}")
DIGITS_IN_WORDS_SPACELESS = re.compile(rf"(?:(?:{DIGIT_WORDS})[\s,.\-・、]*){{8,}}")
CONTACT_CUE = re.compile(
    rf"(?i)\b(?:text|call|phone|number|message|dm|add)\b|{MESSENGER}|"
    r"문자|전화|연락|번호|추가|"
    r"電話|番号|連絡|追加|"
    r"escr[ií]beme|ll[aá]mame|n[uú]mero|mensaje|agr[eé]game"
)
ASKS_FOR_CONTACT = re.compile(
    r"(?i)\b(?:send|give|tell)\s+me\s+your\s+(?:e-?mail|phone|number|address|kakao|line|whatsapp)"
    r"|p[aá]same\s+tu\s+(?:correo|n[uú]mero|whats)|d[aá]me\s+tu\s+(?:correo|n[uú]mero|whats)"
    r"|(?:전화\s*)?번호\s*(?:좀\s*)?(?:알려|줘|주세요|주실)"
    r"|(?:電話番号|メアド|メールアドレス)(?:を)?教えて"
)

# --- money requests: a request verb close to an amount or the word money ------------------
AMOUNT = (
    r"(?:\$\s?\d[\d,.]*|\d[\d,.]*\s*(?:dollars?|bucks|usd|euros?|eur|pesos?|d[oó]lares?)"
    r"|money|cash|gift\s*cards?|dinero|plata)"
)
MONEY_REQUEST = re.compile(
    # en: "can you send 200 dollar by gift card", "lend me $50"
    rf"(?i)\b(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:send|lend|give|wire|transfer)"
    rf"|(?:send|lend|wire|give)\s+me)\b[^.!?\n]{{0,30}}?{AMOUNT}"
    rf"|\bneed\s+(?:some\s+|a\s+little\s+)?{AMOUNT}[^\n]{{0,40}}?"
    r"\b(?:(?:can|could|would)\s+you|send\s+me|lend\s+me)\b"
    # es: "necesito 150 dolares, me puedes mandar por transferencia", "préstame 20 euros"
    rf"|(?:necesito|pr[eé]stame|m[aá]ndame|env[ií]ame|me\s+(?:puedes|podr[ií]as)\s+"
    rf"(?:mandar|enviar|prestar|pasar)|me\s+prestas)[^.!?\n]{{0,40}}?"
    rf"(?:{AMOUNT}|transferencia|bizum)"
    # ko: "10만원만 빌려주실 수 있어요?", "돈이 필요한데 … 보내줘"
    r"|(?:돈|\d+\s*만?\s*원|만\s*원)[^.!?\n]{0,12}?(?:빌려\s*주|보내\s*주|부쳐\s*주|송금|입금)"
    # ja: "3万円だけ貸してくれませんか", "お金を送って"
    r"|(?:お金|\d+\s*万?\s*円)[^。!?！？\n]{0,12}?(?:貸して|送って|振り込|送金|払って)"
)
GUARANTEED_PROFIT = re.compile(
    r"(?i)guaranteed\s+(?:profit|returns?|income)|(?:profit|returns?)\s+guaranteed"
    r"|수익\s*보장|원금\s*보장|리딩방|open\.kakao\.com/o/"
    r"|絶対(?:に)?(?:儲|もう)か|元本保証"
    r"|ganancias?\s+garantizadas?|rentabilidad\s+garantizada"
)

REPEATED_TOKEN = 5  # the same word this many times (and most of the text)
REPEATED_CHAR = re.compile(r"(.)\1{14,}")
# a phrase repeated back to back, with or without spaces (ko/ja write phrases without them):
# "팔로우 해주세요" x4, "フォローしてね" x4, "follow me" x6
REPEATED_PHRASE = re.compile(r"(\S.{1,39}?)(?:\s*\1){3,}")
PHRASE_MIN_CHARS = 5  # a long enough unit (laughter "ㅋㅋ", "haha", "jaja" is not a phrase)


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


# Latency of one verdict, by classifier (`rules`, `claude`: every attempt and backoff included).
CLASSIFY_SECONDS = Histogram(
    "hypehere_moderation_classify_seconds",
    "Latency of one moderation verdict",
    ["classifier"],
    buckets=(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


class RulesClassifier:
    async def classify(self, text: str, language: str, context: ClassifyContext) -> Verdict:
        started = time.perf_counter()
        try:
            return self._classify(text, context)
        finally:
            CLASSIFY_SECONDS.labels("rules").observe(time.perf_counter() - started)

    def _classify(self, text: str, context: ClassifyContext) -> Verdict:
        body = _normalized(text)
        for category, pattern in WORD_PATTERNS.items():
            found = pattern.search(body)
            if found:
                return _verdict(category, 0.9, f"contains '{found.group(0)}'")
        confidence = 0.8 if context.author_is_new else 0.7
        for label, pattern in SCAM_PATTERNS:
            if pattern.search(text):
                return _verdict(Category.SCAM, confidence, f"{label}")
        scam = _scam_in_words(body)
        if scam is not None:
            return _verdict(Category.SCAM, confidence, scam)
        tokens = body.split()
        if tokens:
            word, count = Counter(tokens).most_common(1)[0]
            if count >= REPEATED_TOKEN and count * 2 > len(tokens):
                return _verdict(Category.SPAM, 0.75, f"'{word}' repeated {count} times")
        phrase = _repeated_phrase(body)
        if phrase is not None:
            return _verdict(Category.SPAM, 0.75, phrase)
        if REPEATED_CHAR.search(text):
            return _verdict(Category.SPAM, 0.6, "a character repeated many times")
        return _verdict(Category.NONE, 0.6, "no rule matched")


def _squeezed(body: str) -> str:
    """Spaces around `@`, `.` and `_` removed, so "@ jenny . love . 99" reads as a handle."""
    return re.sub(r"\s*([@._])\s*", r"\1", body)


def _scam_in_words(body: str) -> str | None:
    """Contact details and money asked for in words: what the plain patterns miss."""
    if MESSENGER_IN_WORDS.search(body) or MESSENGER_IN_WORDS.search(_squeezed(body)):
        return "messenger id"
    if GUARANTEED_PROFIT.search(body):
        return "guaranteed profit"
    if MONEY_REQUEST.search(body):
        return "money request"
    if ASKS_FOR_CONTACT.search(body):
        return "asks for contact details"
    spaced = SPACED_OUT.search(body)
    if spaced and sum(c.isdigit() for c in spaced.group(0)) >= 2:
        return "spaced-out id or number"
    if CONTACT_CUE.search(body):
        for pattern in (DIGITS_IN_WORDS, DIGITS_IN_WORDS_SPACELESS):
            run = pattern.search(body)
            if run and len(re.findall(DIGIT_WORDS, run.group(0))) >= 8:
                return "phone number in words"
    return None


def _repeated_phrase(body: str) -> str | None:
    """A phrase of at least PHRASE_MIN_CHARS characters (three distinct) said four or more
    times in a row, making up most of the text; any script, spaces or not."""
    for found in REPEATED_PHRASE.finditer(body):
        unit = found.group(1)
        letters = unit.replace(" ", "")
        if len(letters) < PHRASE_MIN_CHARS or len(set(letters)) < 3:
            continue
        if len(found.group(0)) * 2 > len(body):
            return f"'{unit.strip()}' repeated {found.group(0).count(unit)} times"
    return None


def _verdict(category: Category, confidence: float, reason: str) -> Verdict:
    return Verdict(
        category=category,
        confidence=confidence,
        reason=reason,
        model=MODEL,
        prompt_version=PROMPT_VERSION,
    )
