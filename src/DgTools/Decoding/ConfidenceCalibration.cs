// The map from a word's WordEvidence to the probability that the word is right: a logistic regression over named
// features of the evidence, fitted on words whose correctness is known (a model's own validation split, aligned to
// its references) and stored in the .dg under MetadataKey. A model without the section reports the acoustic
// confidence, uncalibrated. The map is fitted for one way of decoding (beam search with the model's lexicon, or
// greedy) and only applied to that one: the evidence means different things in the two. A stored map lists the
// features it uses, so maps fitted before a feature was added keep working.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DgTools.Decoding;

/// <param name="Decoding">"beam" or "greedy": the decoding the map was fitted for.</param>
/// <param name="Features">The names of the features it weighs (a subset of <see cref="FeatureNames"/>, in any order).</param>
/// <param name="Weights">One per feature.</param>
/// <param name="Fit">What it was fitted on, for `model-info` and the reports.</param>
public sealed record ConfidenceCalibration(string Decoding, IReadOnlyList<string> Features, IReadOnlyList<double> Weights, double Bias, CalibrationFit Fit)
{
    public const string MetadataKey = "dgtools.confidence";
    public const int FormatVersion = 1;
    public const string Beam = "beam";
    public const string Greedy = "greedy";
    /// <summary>Ridge penalty on the weights (not the bias), in units of the summed log-likelihood: keeps a map fitted
    /// on a few hundred words from leaning on a feature that happened to separate them.</summary>
    public const double Ridge = 1.0;

    /// <summary>Every feature this dgtools computes; new maps use all of them. The first nine are the first version's.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } = [.. Extractors().Keys];

    private static readonly IReadOnlyDictionary<string, Func<WordEvidence, double>> Computed = Extractors();

    private static Dictionary<string, Func<WordEvidence, double>> Extractors() => new()
    {
        ["acoustic_logit"] = e => Logit(e.Acoustic),
        ["weakest_unit_logit"] = e => Logit(e.WeakestUnit),
        ["hypotheses_logit"] = e => Logit(e.Hypotheses),
        ["in_vocabulary"] = e => e.InVocabulary switch { true => 1, false => 0, null => 0.5 },
        ["log_units"] = e => Math.Log(Math.Max(1, e.Units)),
        ["log_frames_per_unit"] = e => Math.Log(Math.Clamp(e.FramesPerUnit, 0.1, 100)),
        ["neighbours_logit"] = e => Logit(e.Neighbours),
        ["utterance_logit"] = e => Logit(e.Utterance),
        ["log_lexicon_count"] = e => Math.Log(1 + Math.Max(0, e.LexiconCount)),
        // Natural-log probabilities; without a language model a typical value, so greedy maps see a constant.
        ["language_model"] = e => Math.Clamp(e.LanguageModel ?? -8, -25, 0),
        ["utterance_language_model"] = e => Math.Clamp(e.UtteranceLanguageModel ?? -8, -25, 0),
        ["agreement"] = e => e.Agreement,
        ["utterance_agreement"] = e => e.UtteranceAgreement,
        ["log_utterance_words"] = e => Math.Log(Math.Max(1, e.UtteranceWords)),
    };

    public static string DecodingOf(DecodingOptions options) => options.Greedy ? Greedy : Beam;

    public bool AppliesTo(DecodingOptions options) => Decoding == DecodingOf(options);

    /// <summary>The probability that the word is right.</summary>
    public double Probability(WordEvidence evidence)
    {
        double z = Bias;
        for (int i = 0; i < Features.Count; i++) z += Weights[i] * Computed[Features[i]](evidence);
        return Sigmoid(z);
    }

    /// <summary>The transcript with every word's confidence (and the utterance's mean) from this map.</summary>
    public Transcript Apply(Transcript transcript)
    {
        if (transcript.Words.Count == 0) return transcript;
        var words = transcript.Words.Select(w => w.Evidence is null ? w : w with { Confidence = Probability(w.Evidence) }).ToList();
        return transcript with { Words = words, Confidence = words.Average(w => w.Confidence) };
    }

    /// <summary>The values of the named features (default: all of them) for one word.</summary>
    public static double[] FeaturesOf(WordEvidence e, IReadOnlyList<string>? names = null) =>
        (names ?? FeatureNames).Select(n => Computed[n](e)).ToArray();

    /// <summary>Fits the map by Newton's method on the ridge-penalised (weighted) log-likelihood.</summary>
    /// <param name="words">Each recognised word's evidence and whether it was right.</param>
    /// <param name="weights">How much each word counts (default 1 each; see ConfidenceFitting's balancing of data sets).</param>
    /// <param name="features">The features to use (default: all).</param>
    public static ConfidenceCalibration FitTo(IReadOnlyList<(WordEvidence Evidence, bool Correct)> words, string decoding, string source, int utterances,
        IReadOnlyList<double>? weights = null, IReadOnlyList<string>? features = null)
    {
        if (words.Count == 0) throw new ArgumentException("no words to fit a confidence map on");
        var names = features ?? FeatureNames;
        if (weights is not null && weights.Count != words.Count) throw new ArgumentException("one weight per word");
        int k = names.Count + 1; // the bias is the last parameter
        var rows = words.Select(w => FeaturesOf(w.Evidence, names).Append(1.0).ToArray()).ToArray();
        var y = words.Select(w => w.Correct ? 1.0 : 0.0).ToArray();
        var c = weights?.ToArray() ?? Enumerable.Repeat(1.0, words.Count).ToArray();
        var beta = new double[k];
        // Start at the base rate so Newton begins near the answer (and all-right or all-wrong sets stay finite).
        double rate = Math.Clamp(y.Zip(c, (a, b) => a * b).Sum() / c.Sum(), 0.5 / words.Count, 1 - 0.5 / words.Count);
        beta[k - 1] = Math.Log(rate / (1 - rate));
        for (int iteration = 0; iteration < 100; iteration++)
        {
            var gradient = new double[k];
            var hessian = new double[k, k];
            for (int n = 0; n < rows.Length; n++)
            {
                double z = 0;
                for (int i = 0; i < k; i++) z += beta[i] * rows[n][i];
                double p = Sigmoid(z), w = c[n] * Math.Max(p * (1 - p), 1e-12);
                for (int i = 0; i < k; i++)
                {
                    gradient[i] += c[n] * (y[n] - p) * rows[n][i];
                    for (int j = 0; j < k; j++) hessian[i, j] += w * rows[n][i] * rows[n][j];
                }
            }
            for (int i = 0; i < k - 1; i++)
            {
                gradient[i] -= Ridge * beta[i];
                hessian[i, i] += Ridge;
            }
            hessian[k - 1, k - 1] += 1e-9;
            var step = Solve(hessian, gradient);
            double largest = 0;
            for (int i = 0; i < k; i++)
            {
                beta[i] += step[i];
                largest = Math.Max(largest, Math.Abs(step[i]));
            }
            if (largest < 1e-9) break;
        }
        var fit = new CalibrationFit(source, utterances, words.Count, y.Average());
        return new ConfidenceCalibration(decoding, names.ToArray(), beta[..^1], beta[^1], fit);
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            if (pivot != c)
            {
                for (int j = 0; j < n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
                (x[c], x[pivot]) = (x[pivot], x[c]);
            }
            if (Math.Abs(m[c, c]) < 1e-15) continue;
            for (int r = c + 1; r < n; r++)
            {
                double f = m[r, c] / m[c, c];
                for (int j = c; j < n; j++) m[r, j] -= f * m[c, j];
                x[r] -= f * x[c];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = x[r];
            for (int j = r + 1; j < n; j++) sum -= m[r, j] * x[j];
            x[r] = Math.Abs(m[r, r]) < 1e-15 ? 0 : sum / m[r, r];
        }
        return x;
    }

    internal static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-4, 1 - 1e-4);
        return Math.Log(p / (1 - p));
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record Stored(int Version, string Decoding, IReadOnlyList<string> Features, IReadOnlyList<double> Weights, double Bias, CalibrationFit Fit);

    public string ToJson() => JsonSerializer.Serialize(new Stored(FormatVersion, Decoding, Features, Weights, Bias, Fit), Json);

    /// <summary>Reads a stored section; <see cref="ModelFileError"/> for another version, other features or bad numbers.</summary>
    public static ConfidenceCalibration FromJson(string json, string? source = null)
    {
        ModelFileError Bad(string what, Exception? inner = null) => new($"confidence map '{MetadataKey}' {what}", source, inner);
        Stored? stored;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version))
                throw Bad("has no version");
            if (version != FormatVersion) throw Bad($"is version {version}; this dgtools reads version {FormatVersion}");
            stored = JsonSerializer.Deserialize<Stored>(json, Json);
        }
        catch (JsonException e) { throw Bad($"is malformed: {e.Message.Split('\n')[0]}", e); }
        if (stored is null || stored.Features is null || stored.Weights is null || stored.Fit is null || stored.Decoding is null) throw Bad("is incomplete");
        var unknown = stored.Features.Where(f => !Computed.ContainsKey(f)).ToList();
        if (unknown.Count > 0 || stored.Features.Distinct().Count() != stored.Features.Count)
            throw Bad($"uses features [{string.Join(", ", stored.Features)}]; this dgtools computes [{string.Join(", ", FeatureNames)}]");
        if (stored.Weights.Count != stored.Features.Count) throw Bad($"has {stored.Weights.Count} weights for {stored.Features.Count} features");
        if (stored.Decoding is not (Beam or Greedy)) throw Bad($"is for decoding '{stored.Decoding}' (beam or greedy)");
        if (!stored.Weights.Append(stored.Bias).All(double.IsFinite)) throw Bad("has a weight that is not a finite number");
        return new ConfidenceCalibration(stored.Decoding, stored.Features.ToArray(), stored.Weights.ToArray(), stored.Bias, stored.Fit);
    }
}

/// <param name="Source">What the words came from (e.g. "validation split of pharmacy").</param>
/// <param name="Accuracy">The share of those words that were right.</param>
public sealed record CalibrationFit(string Source, int Utterances, int Words, double Accuracy);
