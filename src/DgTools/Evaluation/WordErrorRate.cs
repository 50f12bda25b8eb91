// Word and character error rates by edit-distance alignment, scored exactly as NIST sclite scores them: a
// substitution costs 4, a deletion or insertion 3, and among equally cheap alignments the one that keeps the most
// diagonal steps wins (traceback from the end prefers match/substitution, then insertion, then deletion). With these
// weights our counts and aligned pairs equal sclite's on every saved fixture (tests/.../Fixtures/Evaluation, made by
// bench/data/make_wer_fixtures.py). Plain unit-cost Levenshtein can split the same errors differently (S vs D+I) and,
// rarely, count one error fewer; sclite is the number the field reports, so we follow it.
using System.Globalization;

namespace DgTools.Evaluation;

public enum EditOperation : byte { Correct, Substitution, Deletion, Insertion }

/// <summary>One column of an alignment; <c>Reference</c> is null for an insertion, <c>Hypothesis</c> for a deletion.</summary>
public readonly record struct AlignedPair(string? Reference, string? Hypothesis, EditOperation Operation);

/// <summary>Counts of an alignment (or a sum of many). Rate = (S + D + I) / reference length.</summary>
public readonly record struct ErrorCounts(int Correct, int Substitutions, int Deletions, int Insertions)
{
    public static ErrorCounts Zero => default;

    public int ReferenceLength => Correct + Substitutions + Deletions;
    public int Errors => Substitutions + Deletions + Insertions;

    /// <summary>Errors per reference token. An empty reference gives 0 when nothing was hypothesised, else the
    /// number of inserted tokens (each insertion is one error per "one" reference token).</summary>
    public double Rate => Errors / (double)Math.Max(1, ReferenceLength);

    /// <summary>1 − rate, floored at 0: the "validation accuracy" the trainer reports.</summary>
    public double Accuracy => Math.Max(0.0, 1.0 - Rate);

    public static ErrorCounts operator +(ErrorCounts a, ErrorCounts b) => new(
        a.Correct + b.Correct, a.Substitutions + b.Substitutions, a.Deletions + b.Deletions, a.Insertions + b.Insertions);
}

public sealed record Alignment(IReadOnlyList<AlignedPair> Pairs, ErrorCounts Counts);

public static class WordErrorRate
{
    public const int SubstitutionCost = 4;
    public const int DeletionCost = 3;
    public const int InsertionCost = 3;

    /// <summary>Aligns whitespace-separated words (the text should already be normalised).</summary>
    public static Alignment AlignWords(string reference, string hypothesis) => Align(Words(reference), Words(hypothesis));

    /// <summary>Aligns characters (user-perceived: Unicode text elements), ignoring whitespace as sclite -c does.</summary>
    public static Alignment AlignCharacters(string reference, string hypothesis) =>
        Align(Characters(reference), Characters(hypothesis));

    /// <summary>Corpus word error counts: the sum over pairs (the corpus WER is its <see cref="ErrorCounts.Rate"/>).</summary>
    public static ErrorCounts ScoreWords(IEnumerable<(string Reference, string Hypothesis)> pairs) =>
        pairs.Aggregate(ErrorCounts.Zero, (sum, p) => sum + AlignWords(p.Reference, p.Hypothesis).Counts);

    public static ErrorCounts ScoreCharacters(IEnumerable<(string Reference, string Hypothesis)> pairs) =>
        pairs.Aggregate(ErrorCounts.Zero, (sum, p) => sum + AlignCharacters(p.Reference, p.Hypothesis).Counts);

    public static string[] Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string[] Characters(string text)
    {
        var units = new List<string>(text.Length);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (!string.IsNullOrWhiteSpace(element)) units.Add(element);
        }
        return [.. units];
    }

    public static Alignment Align(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        int n = reference.Count, m = hypothesis.Count;
        // Costs two rows at a time; the chosen step of every cell in a byte matrix for the traceback.
        var previous = new int[m + 1];
        var current = new int[m + 1];
        var step = new EditOperation[(n + 1) * (m + 1)];
        for (int j = 1; j <= m; j++) { previous[j] = j * InsertionCost; step[j] = EditOperation.Insertion; }
        for (int i = 1; i <= n; i++)
        {
            current[0] = i * DeletionCost;
            step[i * (m + 1)] = EditOperation.Deletion;
            var r = reference[i - 1];
            for (int j = 1; j <= m; j++)
            {
                bool same = string.Equals(r, hypothesis[j - 1], StringComparison.Ordinal);
                int best = previous[j - 1] + (same ? 0 : SubstitutionCost);
                var op = same ? EditOperation.Correct : EditOperation.Substitution;
                int insert = current[j - 1] + InsertionCost;
                if (insert < best) { best = insert; op = EditOperation.Insertion; }
                int delete = previous[j] + DeletionCost;
                if (delete < best) { best = delete; op = EditOperation.Deletion; }
                current[j] = best;
                step[i * (m + 1) + j] = op;
            }
            (previous, current) = (current, previous);
        }

        var pairs = new List<AlignedPair>(Math.Max(n, m));
        int c = 0, s = 0, d = 0, ins = 0;
        for (int i = n, j = m; i > 0 || j > 0;)
        {
            var op = step[i * (m + 1) + j];
            switch (op)
            {
                case EditOperation.Correct: pairs.Add(new(reference[--i], hypothesis[--j], op)); c++; break;
                case EditOperation.Substitution: pairs.Add(new(reference[--i], hypothesis[--j], op)); s++; break;
                case EditOperation.Deletion: pairs.Add(new(reference[--i], null, op)); d++; break;
                default: pairs.Add(new(null, hypothesis[--j], op)); ins++; break;
            }
        }
        pairs.Reverse();
        return new Alignment(pairs, new ErrorCounts(c, s, d, ins));
    }
}
