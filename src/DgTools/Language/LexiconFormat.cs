// The lexicon's stored form: a versioned text section of the .dg metadata under MetadataKey. Text rather than tensors
// so a person can read what a model knows (`head` shows the words), and small enough at the default pruning budget.
//
//   dgtools-lexicon 1
//   order 3
//   reserved <count of <s>> <count of </s>> <count of <unk>>
//   words <N>              then N lines "<word> <count>"; ids 3, 4, … in that order
//   bigrams <M>            then M lines "<id> <id> <count>", sorted
//   trigrams <K>           then K lines "<id> <id> <id> <count>", sorted
//   end
// Version 2 (a lexicon with a domain layer: the customer's transcripts, Lexicon.WithDomainTranscripts) has, between
// the trigrams and "end", the layer's occurrences; the counts above are the merged ones (general + weight × domain):
//   domain <weight>
//   domain-words <N>       then N lines "<id> <occurrences>" (ids 0 and 1, <s> and </s>, included), sorted
//   domain-bigrams <M>     then M lines "<id> <id> <occurrences>", sorted
//   domain-trigrams <K>    then K lines "<id> <id> <id> <occurrences>", sorted
// A lexicon without one is written as version 1, byte for byte as before.
using System.Globalization;
using System.Text;

namespace DgTools.Language;

public static class LexiconFormat
{
    public const string MetadataKey = "dgtools.lexicon";
    /// <summary>The newest version this dgtools reads and writes (2: with a domain layer; 1 without).</summary>
    public const int Version = 2;
    private const string Magic = "dgtools-lexicon";

    public static string Write(Lexicon lexicon)
    {
        var sb = new StringBuilder(64 + lexicon.VocabularySize * 12 + (lexicon.BigramCount + lexicon.TrigramCount) * 16);
        var counts = lexicon.UnigramCounts;
        var domain = lexicon.Domain;
        sb.Append(Magic).Append(' ').Append(domain is null ? 1 : 2).Append('\n');
        sb.Append("order ").Append(Lexicon.Order).Append('\n');
        sb.Append("reserved ").Append(counts[0]).Append(' ').Append(counts[1]).Append(' ').Append(counts[2]).Append('\n');
        sb.Append("words ").Append(lexicon.VocabularySize).Append('\n');
        for (int id = Lexicon.FirstWordId; id < lexicon.Words.Count; id++)
            sb.Append(lexicon.Words[id]).Append(' ').Append(counts[id]).Append('\n');
        AppendNgrams(sb, "bigrams", 2, lexicon.BigramCounts);
        AppendNgrams(sb, "trigrams", 3, lexicon.TrigramCounts);
        if (domain is not null)
        {
            sb.Append("domain ").Append(domain.Weight).Append('\n');
            sb.Append("domain-words ").Append(domain.Unigrams.Count).Append('\n');
            foreach (var (id, count) in domain.Unigrams.OrderBy(kv => kv.Key))
                sb.Append(id).Append(' ').Append(count).Append('\n');
            AppendNgrams(sb, "domain-bigrams", 2, domain.Bigrams);
            AppendNgrams(sb, "domain-trigrams", 3, domain.Trigrams);
        }
        sb.Append("end\n");
        return sb.ToString();
    }

    /// <summary>A section of n-grams (order 2 or 3): "<paramref name="section"/> N", then "id id [id] count" lines by key.</summary>
    private static void AppendNgrams(StringBuilder sb, string section, int order, IReadOnlyDictionary<long, long> counts)
    {
        sb.Append(section).Append(' ').Append(counts.Count).Append('\n');
        foreach (var (key, count) in counts.OrderBy(kv => kv.Key))
        {
            if (order == 2)
            {
                var (a, b) = Lexicon.Unpack2(key);
                sb.Append(a).Append(' ').Append(b);
            }
            else
            {
                var (a, b, c) = Lexicon.Unpack3(key);
                sb.Append(a).Append(' ').Append(b).Append(' ').Append(c);
            }
            sb.Append(' ').Append(count).Append('\n');
        }
    }

    /// <summary>Parses a lexicon section; throws <see cref="ModelFileError"/> naming what is wrong.</summary>
    /// <param name="source">The model file, for the error message.</param>
    public static Lexicon Read(string text, string? source = null)
    {
        var reader = new LineReader(text, source);
        var header = reader.Fields(2);
        if (header[0] != Magic) reader.Fail($"not a dgtools lexicon (starts with '{Truncate(header[0])}')");
        if (!int.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            reader.Fail($"lexicon version '{Truncate(header[1])}' is not a number");
        if (version is < 1 or > Version)
            reader.Fail(version > Version
                ? $"the vocabulary is lexicon format version {version}; this dgtools reads versions 1–{Version} — use a newer dgtools"
                : $"lexicon format version {version} is not supported (this dgtools reads versions 1–{Version})");

        int order = reader.Section("order");
        if (order != Lexicon.Order) reader.Fail($"{order}-gram language models are not supported (only {Lexicon.Order}-gram)");

        var reserved = reader.Fields(4);
        if (reserved[0] != "reserved") reader.Fail("expected 'reserved'");
        var words = new List<string>(Lexicon.ReservedWords);
        var counts = new List<long> { reader.Count(reserved[1]), reader.Count(reserved[2]), reader.Count(reserved[3]) };

        int wordCount = reader.Section("words");
        if (wordCount > Lexicon.MaxWords - Lexicon.FirstWordId) reader.Fail($"{wordCount} words is more than the limit");
        var seen = new HashSet<string>(Lexicon.ReservedWords, StringComparer.Ordinal);
        for (int i = 0; i < wordCount; i++)
        {
            var f = reader.Fields(2);
            if (!seen.Add(f[0])) reader.Fail($"word '{Truncate(f[0])}' is listed twice");
            words.Add(f[0]);
            counts.Add(reader.Count(f[1]));
        }

        var bigrams = ReadNgrams(reader, "bigrams", 2, words.Count, "bigram");
        var trigrams = ReadNgrams(reader, "trigrams", 3, words.Count, "trigram");

        var domain = version >= 2 ? ReadDomain(reader, words.Count, counts, bigrams, trigrams) : null;
        if (reader.Fields(1)[0] != "end") reader.Fail($"expected 'end' after the {(domain is null ? "trigrams" : "domain layer")}");
        if (!reader.AtEnd) reader.Fail("unexpected text after 'end'");
        return new Lexicon(words, counts, bigrams, trigrams, domain);
    }

    /// <summary>The domain layer of a version-2 lexicon; every occurrence, times the weight, must be inside its merged count.</summary>
    private static DomainCounts ReadDomain(LineReader reader, int wordCount, List<long> counts,
        Dictionary<long, long> bigrams, Dictionary<long, long> trigrams)
    {
        long weight = reader.Count(reader.Fields(2) is var f && f[0] == "domain" ? f[1] : Expected(reader, "domain", f[0]));
        if (weight < 1) reader.Fail("the domain weight must be at least 1");
        void Within(long merged, long occurrences)
        {
            if (occurrences < 1 || occurrences > merged / weight) reader.Fail($"{occurrences} domain occurrences × {weight} exceed the merged count {merged}");
        }
        var unigrams = new Dictionary<int, long>();
        int n = reader.Section("domain-words");
        for (int i = 0; i < n; i++)
        {
            var g = reader.Fields(2);
            int id = reader.Id(g[0], wordCount);
            long c = reader.Count(g[1]);
            Within(counts[id], c);
            if (!unigrams.TryAdd(id, c)) reader.Fail("domain word listed twice");
        }
        var domainBigrams = ReadNgrams(reader, "domain-bigrams", 2, wordCount, "domain bigram",
            (key, c) => Within(bigrams.GetValueOrDefault(key), c));
        var domainTrigrams = ReadNgrams(reader, "domain-trigrams", 3, wordCount, "domain trigram",
            (key, c) => Within(trigrams.GetValueOrDefault(key), c));
        return new DomainCounts(weight, unigrams, domainBigrams, domainTrigrams);
    }

    /// <summary>A section written by <see cref="AppendNgrams"/>; <paramref name="check"/> sees each key and count
    /// before it is added.</summary>
    private static Dictionary<long, long> ReadNgrams(LineReader reader, string section, int order, int wordCount,
        string what, Action<long, long>? check = null)
    {
        var ngrams = new Dictionary<long, long>();
        int n = reader.Section(section);
        for (int i = 0; i < n; i++)
        {
            var f = reader.Fields(order + 1);
            var key = order == 2
                ? Lexicon.Pack(reader.Id(f[0], wordCount), reader.Id(f[1], wordCount))
                : Lexicon.Pack(reader.Id(f[0], wordCount), reader.Id(f[1], wordCount), reader.Id(f[2], wordCount));
            long c = reader.Count(f[order]);
            check?.Invoke(key, c);
            if (!ngrams.TryAdd(key, c)) reader.Fail($"{what} listed twice");
        }
        return ngrams;
    }

    private static string Expected(LineReader reader, string name, string found)
    {
        reader.Fail($"expected '{name}', found '{Truncate(found)}'");
        return found;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>Walks the text line by line and reports the line number of anything malformed.</summary>
    private sealed class LineReader(string text, string? source)
    {
        private int _pos;
        private int _line;

        public bool AtEnd => _pos >= text.Length;

        public string[] Fields(int expected)
        {
            if (AtEnd) Fail("the lexicon ends early");
            int end = text.IndexOf('\n', _pos);
            if (end < 0) end = text.Length;
            var line = text.AsSpan(_pos, end - _pos);
            _pos = Math.Min(end + 1, text.Length);
            _line++;
            var fields = line.ToString().Split(' ');
            if (fields.Length != expected || fields.Any(f => f.Length == 0))
                Fail($"expected {expected} space-separated fields");
            return fields;
        }

        public int Section(string name)
        {
            var f = Fields(2);
            if (f[0] != name) Fail($"expected '{name}', found '{Truncate(f[0])}'");
            if (!int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) Fail($"'{name}' needs a count");
            return n;
        }

        public long Count(string field)
        {
            if (!long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) Fail($"'{Truncate(field)}' is not a count");
            return n;
        }

        public int Id(string field, int wordCount)
        {
            if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id >= wordCount)
                Fail($"'{Truncate(field)}' is not a word id (0–{wordCount - 1})");
            return id;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Fail(string message) =>
            throw new ModelFileError($"vocabulary section '{MetadataKey}' line {_line}: {message}", source);
    }
}
