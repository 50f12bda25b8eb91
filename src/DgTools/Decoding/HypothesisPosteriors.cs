// How much of the beam agrees with a word: the final hypotheses' scores turned into posteriors, and which words of the
// best hypothesis another hypothesis shares (a longest-common-subsequence match, so an insertion or a split word
// elsewhere does not unmatch the rest).
namespace DgTools.Decoding;

public static class HypothesisPosteriors
{
    /// <summary>Softmax of log scores.</summary>
    public static double[] Of(IReadOnlyList<double> scores)
    {
        if (scores.Count == 0) return [];
        double max = scores.Max();
        var p = scores.Select(s => double.IsNegativeInfinity(s) ? 0 : Math.Exp(s - max)).ToArray();
        double sum = p.Sum();
        for (int i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }

    /// <summary>For each word of <paramref name="best"/>, whether a longest common subsequence with
    /// <paramref name="other"/> uses it.</summary>
    public static bool[] MatchedWords(IReadOnlyList<string> best, IReadOnlyList<string> other)
    {
        int n = best.Count, m = other.Count;
        var length = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                length[i, j] = string.Equals(best[i], other[j], StringComparison.Ordinal)
                    ? length[i + 1, j + 1] + 1
                    : Math.Max(length[i + 1, j], length[i, j + 1]);
        var matched = new bool[n];
        for (int i = 0, j = 0; i < n && j < m;)
        {
            if (string.Equals(best[i], other[j], StringComparison.Ordinal) && length[i, j] == length[i + 1, j + 1] + 1)
            {
                matched[i] = true;
                i++; j++;
            }
            else if (length[i + 1, j] >= length[i, j + 1]) i++;
            else j++;
        }
        return matched;
    }
}
