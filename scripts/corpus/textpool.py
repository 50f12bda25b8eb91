"""Sentences to synthesise: extracted from text that Debian packages ship, filtered for speakability, split into
disjoint pools (train / valid / test / demo) so validation and test sentences never occur in the training text.

The pools are a pure function of the installed packages, the language and the seed, so the corpus and the demo
scripts agree on them without sharing state.  Usage:  python3 textpool.py LANG OUT_DIR [--seed N] [--exclude FILE]
"""
import argparse
import glob
import gzip
import hashlib
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atomic  # noqa: E402

MIN_CHARS, MAX_CHARS = 25, 110
MIN_WORDS, MAX_WORDS = 4, 18
POOL_SIZES = {"valid": 800, "test": 800, "demo": 300}  # the rest is train

ABBREVIATION = re.compile(
    r"\b(etc|viz|vs|mr|mrs|ms|dr|st|jr|sr|inc|co|ltd|no|cf|ibid|esp|fig|ch|pp|vol|ed|gen|gov|sen|rev|prof|capt|col"
    r"|lt|sgt|ft|mt|ave|dept|univ|approx|e\.g|i\.e|[a-z])\.$", re.IGNORECASE)

LETTERS = {
    "en": "a-zA-Z",
    "es": "a-zA-ZáéíóúüñÁÉÍÓÚÜÑ",
    "nl": "a-zA-ZäëïöüéèêáàçÄËÏÖÜÉ",
}


def clean_sentence(text, lang):
    """Returns the sentence in a form the TTS engines read exactly as written, or None.

    We refuse anything an engine would expand (digits, symbols, abbreviations, acronyms) because the
    transcript must match the audio character for character."""
    text = text.replace("\u2019", "'").replace("`", "'").replace("''", "")
    text = re.sub(r'["\u201c\u201d]', "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:?!])", r"\1", text)
    if not (MIN_CHARS <= len(text) <= MAX_CHARS):
        return None
    if lang == "ko":
        if not re.fullmatch(r"[\uac00-\ud7a3 ,.?!]+", text):
            return None
    else:
        letters = LETTERS[lang]
        if not re.fullmatch(rf"[{letters}][{letters}' ,;:?!.\-]*[.?!]?", text):
            return None
        if re.search(r"[.?!].", text[:-1]) or "--" in text or "- " in text or " -" in text or "''" in text:
            return None  # several sentences, abbreviations, dashes used as punctuation
        for word in re.findall(rf"[{letters}'\-]+", text):
            if len(word) > 1 and word.isupper():
                return None  # acronyms are spelled out by some engines and read by others
            if word.startswith("'") or word.endswith("-") or word.startswith("-"):
                return None
    text = text.rstrip(";:,").rstrip()
    if ABBREVIATION.search(text):
        return None  # "etc." is read as "etcetera", "Dr." as "doctor"
    words = text.split()
    if not (MIN_WORDS <= len(words) <= MAX_WORDS):
        return None
    if text[-1] not in ".?!":
        text += "."
    return text[0].upper() + text[1:]


def english_words():
    words = set()
    for path in ("/usr/share/dict/american-english", "/usr/share/dict/british-english"):
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="ignore") as f:
                words.update(w.strip().lower() for w in f if w.strip())
    return words


def mostly_known(sentence, known):
    """Keeps sentences whose words are nearly all dictionary words (drops foreign and archaic text)."""
    if not known:
        return True
    words = [w.strip("'-").lower() for w in re.findall(r"[A-Za-z'\-]+", sentence)]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    unknown = sum(1 for w in words if w and w not in known)
    return unknown == 0


def split_sentences(paragraph):
    return re.split(r"(?<=[.!?;])\s+", paragraph)


def wordnet_sentences():
    for path in sorted(glob.glob("/usr/share/wordnet/data.*")):
        with open(path, encoding="utf-8", errors="ignore") as f:
            for line in f:
                if line.startswith("  "):
                    continue  # licence header
                for quoted in re.findall(r'"([^"]+)"', line):
                    yield quoted


def fortune_sentences(pattern):
    for path in sorted(glob.glob(pattern)):
        name = os.path.basename(path)
        if name.endswith((".dat", ".u8")) or name.startswith("mario.") or os.path.isdir(path):
            continue  # indexes, and the Portuguese mario.* files
        with open(path, encoding="utf-8", errors="ignore") as f:
            text = f.read()
        for cookie in text.split("\n%\n"):
            lines = [l for l in cookie.splitlines() if not re.match(r"\s*(--|\u2014)", l)]
            if any(re.match(r"\s*\w+:\s", l) for l in lines):
                continue  # dialogues "A: ... B: ..."
            for s in split_sentences(" ".join(l.strip() for l in lines)):
                yield s


def gcide_sentences():
    path = "/usr/share/dictd/gcide.dict.dz"
    if not os.path.exists(path):
        return
    with gzip.open(path, "rt", encoding="utf-8", errors="ignore") as f:
        paragraph = []
        for line in f:
            if not line.strip():
                if paragraph:
                    text = " ".join(paragraph)
                    text = re.sub(r"\[[^\]]*\]|\([^)]*\)|--\S.*", " ", text)
                    text = text.replace("{", "").replace("}", "")
                    for s in split_sentences(text):
                        yield s.rstrip(";").strip()
                paragraph = []
                continue
            if not line.startswith(" "):
                paragraph = []  # a headword line: skip until its definition text
                continue
            paragraph.append(line.strip())


def sources(lang):
    """Named sentence sources; the pools draw from them in turn so no single source dominates."""
    if lang == "en":
        return [("wordnet", wordnet_sentences()), ("fortunes", fortune_sentences("/usr/share/games/fortunes/*")),
                ("gcide", gcide_sentences())]
    if lang == "es":
        return [("fortunes", fortune_sentences("/usr/share/games/fortunes/es/*")),
                ("messages", message_catalog_sentences("es"))]
    if lang in ("nl", "ko"):
        return [("messages", message_catalog_sentences(lang))]
    raise SystemExit(f"textpool: no text source for language '{lang}'")


def message_catalog_sentences(lang):
    """Translated program messages (gettext .mo files) are the natural sentences Debian ships in every language."""
    import struct
    for path in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
        try:
            data = open(path, "rb").read()
            magic = struct.unpack("<I", data[:4])[0]
            end = "<" if magic == 0x950412DE else ">"
            _, count, _, trans_off = struct.unpack(end + "4I", data[4:20])
            for i in range(count):
                length, offset = struct.unpack(end + "2I", data[trans_off + 8 * i: trans_off + 8 * i + 8])
                for variant in data[offset:offset + length].decode("utf-8", "ignore").split("\x00"):
                    for s in split_sentences(variant.replace("\n", " ")):
                        yield s
        except (OSError, struct.error):
            continue


def build_pools(lang, seed, excluded_terms):
    known = english_words() if lang == "en" else None
    seen, per_source = set(), []
    for name, generator in sources(lang):
        kept = []
        for raw in generator:
            s = clean_sentence(raw, lang)
            if s is None:
                continue
            key = re.sub(r"[^\w ]", "", s.lower())
            if key in seen:
                continue
            seen.add(key)
            if excluded_terms and any(t in key.split() for t in excluded_terms):
                continue
            if not mostly_known(s, known):
                continue
            kept.append(s)
        kept.sort()
        random.Random(f"{seed}-{name}").shuffle(kept)
        per_source.append(kept)
    sentences = interleave(per_source)
    pools, start = {}, 0
    for name in ("valid", "test", "demo"):
        size = min(POOL_SIZES[name], len(sentences) // 10)
        pools[name] = sentences[start:start + size]
        start += size
    pools["train"] = sentences[start:]
    return pools


def interleave(lists):
    out, i = [], 0
    while any(i < len(l) for l in lists):
        out.extend(l[i] for l in lists if i < len(l))
        i += 1
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("lang")
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--exclude", help="file of words (one per line, # comments) no sentence may contain")
    args = parser.parse_args()
    excluded = set()
    if args.exclude:
        with open(args.exclude, encoding="utf-8") as f:
            excluded = {l.strip().lower() for l in f if l.strip() and not l.startswith("#")}
    pools = build_pools(args.lang, args.seed, excluded)
    os.makedirs(args.out_dir, exist_ok=True)
    for name, sentences in pools.items():
        atomic.write_text(os.path.join(args.out_dir, f"{name}.txt"), "".join(s + "\n" for s in sentences))
    digest = hashlib.sha256("\n".join(pools["train"]).encode()).hexdigest()[:12]
    print(f"textpool {args.lang}: " + ", ".join(f"{k} {len(v)}" for k, v in pools.items()) + f" (train sha {digest})")


if __name__ == "__main__":
    main()
