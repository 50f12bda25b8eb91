// How a model's output becomes words. One immutable record, stored in the .dg under DecodingOptions.MetadataKey
// so a model carries the settings it was tuned with. Scores are natural logs; a hypothesis scores
//   log P_acoustic + LmWeight · log P_LM(words) + WordInsertionBonus · words
//   + UnknownWordPenalty · unknown words + UnknownUnitPenalty · units spelled outside the vocabulary.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DgTools.Decoding;

/// <remarks>The defaults were tuned by grid search in bench/decoding (see docs/benchmarks.md) on simulated posteriors
/// with the general English lexicon; a model stores its own tuned copy under <see cref="MetadataKey"/>.</remarks>
public sealed record DecodingOptions
{
    public const string MetadataKey = "dgtools.decoding";
    public const int FormatVersion = 1;

    /// <summary>Greedy (best unit per frame) instead of beam search; the language model is not used.</summary>
    public bool Greedy { get; init; }
    public int BeamSize { get; init; } = 64;
    public double LmWeight { get; init; } = 0.2;
    public double WordInsertionBonus { get; init; } = 2.0;
    /// <summary>Added (it is negative) once for a word that is not in the vocabulary, as soon as its spelling leaves
    /// every vocabulary word — so an unknown word can still be spelled, when the sound is clear enough.</summary>
    public double UnknownWordPenalty { get; init; } = -3.0;
    /// <summary>Added (negative) for every unit an unknown word spells after it left the vocabulary: the cost of
    /// spelling it letter by letter, which stops one unknown "word" from swallowing the spaces between several.</summary>
    public double UnknownUnitPenalty { get; init; } = -1.5;
    /// <summary>Added (negative) where a vocabulary word ends without a separator unit: after every complete
    /// vocabulary word the search also tries ending it and starting the next word with the following unit, beside
    /// going on spelling — the network sometimes drops the space after a word it does know ("allopurinolin").
    /// −3: on the bundled English model it took the demo's added-word recall from 88.5 to 90.4 % and the held-out WER from 44.8 to 44.5 %
    /// (docs/lab/models-notebook.md); negative infinity turns it off.</summary>
    public double ImplicitBoundaryPenalty { get; init; } = -3.0;
    /// <summary>Units less likely than this in a frame are not tried (the frame's best always is).</summary>
    public double UnitMinLogProb { get; init; } = -8.0;
    /// <summary>Hypotheses this far (log) behind the best are dropped even if the beam has room.</summary>
    public double BeamPruneLogProb { get; init; } = -12.0;

    public static DecodingOptions Default { get; } = new();

    public void Validate()
    {
        if (BeamSize < 1) throw new ArgumentException("beam size must be at least 1");
        if (LmWeight < 0 || !double.IsFinite(LmWeight)) throw new ArgumentException("LM weight must be ≥ 0");
        if (UnknownWordPenalty > 0 || !double.IsFinite(UnknownWordPenalty)) throw new ArgumentException("unknown-word penalty must be ≤ 0");
        if (UnknownUnitPenalty > 0 || !double.IsFinite(UnknownUnitPenalty)) throw new ArgumentException("unknown-unit penalty must be ≤ 0");
        if (ImplicitBoundaryPenalty > 0 || double.IsNaN(ImplicitBoundaryPenalty)) throw new ArgumentException("implicit word boundary penalty must be ≤ 0");
        if (!double.IsFinite(WordInsertionBonus)) throw new ArgumentException("word insertion bonus must be finite");
        if (UnitMinLogProb > 0 || BeamPruneLogProb > 0) throw new ArgumentException("pruning thresholds are log-probabilities (≤ 0)");
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // An implicit-boundary penalty of -Infinity (off) is stored as "-Infinity".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private sealed record Stored(int Version, DecodingOptions Options);

    public string ToJson() => JsonSerializer.Serialize(new Stored(FormatVersion, this), Json);

    /// <summary>Reads a stored section; <see cref="ModelFileError"/> for a newer version or unknown fields.</summary>
    public static DecodingOptions FromJson(string json, string? source = null)
    {
        Stored? stored;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("version", out var v) ||
                !v.TryGetInt32(out var version))
                throw new ModelFileError($"decoding options '{MetadataKey}' have no version", source);
            if (version != FormatVersion)
                throw new ModelFileError($"decoding options '{MetadataKey}' are version {version}; this dgtools reads version {FormatVersion}", source);
            stored = JsonSerializer.Deserialize<Stored>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ModelFileError($"decoding options '{MetadataKey}' are malformed: {e.Message.Split('\n')[0]}", source, e);
        }
        var options = stored?.Options ?? throw new ModelFileError($"decoding options '{MetadataKey}' are empty", source);
        try { options.Validate(); }
        catch (ArgumentException e) { throw new ModelFileError($"decoding options '{MetadataKey}': {e.Message}", source, e); }
        return options;
    }
}
