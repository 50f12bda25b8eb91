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
using System.Globalization;
using System.Text;

namespace DgTools.Language;

public static class LexiconFormat
{
    public const string MetadataKey = "dgtools.lexicon";
    public const int Version = 1;
    private const string Magic = "dgtools-lexicon";

    public static string Write(Lexicon lexicon)
    {
        var sb = new StringBuilder(64 + lexicon.VocabularySize * 12 + (lexicon.BigramCount + lexicon.TrigramCount) * 16);
        var counts = lexicon.UnigramCounts;
        sb.Append(Magic).Append(' ').Append(Version).Append('\n');
        sb.Append("order ").Append(Lexicon.Order).Append('\n');
        sb.Append("reserved ").Append(counts[0]).Append(' ').Append(counts[1]).Append(' ').Append(counts[2]).Append('\n');
        sb.Append("words ").Append(lexicon.VocabularySize).Append('\n');
        for (int id = Lexicon.FirstWordId; id < lexicon.Words.Count; id++)
            sb.Append(lexicon.Words[id]).Append(' ').Append(counts[id]).Append('\n');
        sb.Append("bigrams ").Append(lexicon.BigramCount).Append('\n');
        foreach (var (key, count) in lexicon.BigramCounts.OrderBy(kv => kv.Key))
        {
            var (a, b) = Lexicon.Unpack2(key);
            sb.Append(a).Append(' ').Append(b).Append(' ').Append(count).Append('\n');
        }
        sb.Append("trigrams ").Append(lexicon.TrigramCount).Append('\n');
        foreach (var (key, count) in lexicon.TrigramCounts.OrderBy(kv => kv.Key))
        {
            var (a, b, c) = Lexicon.Unpack3(key);
            sb.Append(a).Append(' ').Append(b).Append(' ').Append(c).Append(' ').Append(count).Append('\n');
        }
        sb.Append("end\n");
        return sb.ToString();
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
        if (version != Version)
            reader.Fail(version > Version
                ? $"the vocabulary is lexicon format version {version}; this dgtools reads version {Version} — use a newer dgtools"
                : $"lexicon format version {version} is not supported (this dgtools reads version {Version})");

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

        var bigrams = new Dictionary<long, long>();
        int bigramCount = reader.Section("bigrams");
        for (int i = 0; i < bigramCount; i++)
        {
            var f = reader.Fields(3);
            var key = Lexicon.Pack(reader.Id(f[0], words.Count), reader.Id(f[1], words.Count));
            if (!bigrams.TryAdd(key, reader.Count(f[2]))) reader.Fail("bigram listed twice");
        }

        var trigrams = new Dictionary<long, long>();
        int trigramCount = reader.Section("trigrams");
        for (int i = 0; i < trigramCount; i++)
        {
            var f = reader.Fields(4);
            var key = Lexicon.Pack(reader.Id(f[0], words.Count), reader.Id(f[1], words.Count), reader.Id(f[2], words.Count));
            if (!trigrams.TryAdd(key, reader.Count(f[3]))) reader.Fail("trigram listed twice");
        }

        if (reader.Fields(1)[0] != "end") reader.Fail("expected 'end' after the trigrams");
        if (!reader.AtEnd) reader.Fail("unexpected text after 'end'");
        return new Lexicon(words, counts, bigrams, trigrams);
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
