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
    /// <param name="prior">Shrink the weights towards this map's instead of towards 0 (see <see cref="MapPrior"/>).</param>
    public static ConfidenceCalibration FitTo(IReadOnlyList<(WordEvidence Evidence, bool Correct)> words, string decoding, string source, int utterances,
        IReadOnlyList<double>? weights = null, IReadOnlyList<string>? features = null, MapPrior? prior = null)
    {
        if (words.Count == 0) throw new ArgumentException("no words to fit a confidence map on");
        var names = features ?? FeatureNames;
        if (weights is not null && weights.Count != words.Count) throw new ArgumentException("one weight per word");
        int k = names.Count + 1; // the bias is the last parameter
        var rows = words.Select(w => FeaturesOf(w.Evidence, names).Append(1.0).ToArray()).ToArray();
        var y = words.Select(w => w.Correct ? 1.0 : 0.0).ToArray();
        var c = weights?.ToArray() ?? Enumerable.Repeat(1.0, words.Count).ToArray();
        var (centre, strength) = Penalty(names, words, rows, c, prior);
        var beta = new double[k];
        Array.Copy(centre, beta, k - 1);
        // Start at the prior or the base rate so Newton begins near the answer (and all-right or all-wrong sets stay finite).
        double rate = Math.Clamp(y.Zip(c, (a, b) => a * b).Sum() / c.Sum(), 0.5 / words.Count, 1 - 0.5 / words.Count);
        beta[k - 1] = prior?.Map.Bias ?? Math.Log(rate / (1 - rate));
        // The penalised, weighted log-likelihood.
        double Objective(double[] b)
        {
            double total = 0;
            for (int n = 0; n < rows.Length; n++)
            {
                double z = 0;
                for (int i = 0; i < k; i++) z += b[i] * rows[n][i];
                total -= c[n] * (y[n] > 0.5 ? LogOnePlusExp(-z) : LogOnePlusExp(z));
            }
            for (int i = 0; i < k - 1; i++) total -= strength[i] * (b[i] - centre[i]) * (b[i] - centre[i]) / 2;
            return total;
        }
        double current = Objective(beta);
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
                gradient[i] -= strength[i] * (beta[i] - centre[i]);
                hessian[i, i] += strength[i];
            }
            hessian[k - 1, k - 1] += 1e-9;
            var step = Solve(hessian, gradient);
            // Newton's step, halved until the objective does not get worse: far from the answer (a prior the data
            // disagree with) a full step can overshoot into confidences of 0 or 1, where the curvature vanishes.
            double scale = 1, value;
            double[] next;
            while (true)
            {
                next = beta.Zip(step, (b, d) => b + scale * d).ToArray();
                value = Objective(next);
                if (value >= current - 1e-12 || scale < 1e-6) break;
                scale /= 2;
            }
            double largest = step.Max(Math.Abs) * scale;
            (beta, current) = (next, value);
            if (largest < 1e-9) break;
        }
        var fit = new CalibrationFit(source, utterances, words.Count, y.Average());
        return new ConfidenceCalibration(decoding, names.ToArray(), beta[..^1], beta[^1], fit);
    }

    /// <summary>Per feature, the weight the penalty pulls towards and its strength: 0 and <see cref="Ridge"/> without a
    /// prior; with one, the prior's weight (0 for a feature it lacks) and <see cref="Ridge"/> plus
    /// <see cref="MapPrior.Words"/> times the information one of these words carries about that weight at the prior's
    /// answer (the mean of c·p(1−p)·x², p the prior's probability): the prior counts as that many words, so it decides
    /// when the data are a few words and fades as they grow.</summary>
    private static (double[] Centre, double[] Strength) Penalty(IReadOnlyList<string> names,
        IReadOnlyList<(WordEvidence Evidence, bool Correct)> words, double[][] rows, double[] c, MapPrior? prior)
    {
        var centre = new double[names.Count];
        var strength = Enumerable.Repeat(Ridge, names.Count).ToArray();
        if (prior is null) return (centre, strength);
        for (int i = 0; i < names.Count; i++)
        {
            int at = prior.Map.Features.ToList().IndexOf(names[i]);
            centre[i] = at < 0 ? 0 : prior.Map.Weights[at];
        }
        var information = new double[names.Count];
        for (int n = 0; n < rows.Length; n++)
        {
            double p = prior.Map.Probability(words[n].Evidence), q = c[n] * p * (1 - p);
            for (int i = 0; i < names.Count; i++) information[i] += q * rows[n][i] * rows[n][i];
        }
        double total = c.Sum();
        for (int i = 0; i < names.Count; i++) strength[i] += prior.Words * information[i] / total;
        return (centre, strength);
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

    private static double LogOnePlusExp(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

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

/// <summary>What a map fitted on few words should stay close to: the map the model had before (a custom-trained model's
/// starting map, fitted on far more words of more kinds), counted as <paramref name="Words"/> words of evidence.</summary>
public sealed record MapPrior(ConfidenceCalibration Map, double Words);

/// <param name="Source">What the words came from (e.g. "validation split of pharmacy").</param>
/// <param name="Accuracy">The share of those words that were right.</param>
public sealed record CalibrationFit(string Source, int Utterances, int Words, double Accuracy);
