// Where a .dg keeps what decoding needs besides the weights: the output units (ModelMetadata.Units), the lexicon
// (LexiconFormat.MetadataKey, see Language/ModelLexicon) and the tuned decoding options (DecodingOptions.MetadataKey).
// Reads them into a ready decoder.
using DgTools.Language;
using DgTools.Model;

namespace DgTools.Decoding;

public static class ModelDecoding
{
    /// <summary>The decoding options stored in the model, or the defaults.</summary>
    public static DecodingOptions ReadOptions(DgModel model, string? path = null) =>
        model.Sections.TryGetValue(DecodingOptions.MetadataKey, out var json) ? DecodingOptions.FromJson(json, path) : DecodingOptions.Default;

    /// <summary>A decoder for the model's units and lexicon; <paramref name="options"/> overrides the stored options.</summary>
    public static CtcDecoder CreateDecoder(DgModel model, DecodingOptions? options = null, string? path = null)
    {
        var units = ReadUnits(model, path);
        options ??= ReadOptions(model, path);
        var lexicon = options.Greedy ? null : ModelLexicon.Read(model, path);
        return new CtcDecoder(units, lexicon is null ? null : new WordLanguageModel(lexicon), options);
    }

    /// <summary>The output units the model file lists (the only source of units for decoding).</summary>
    public static CtcUnits ReadUnits(DgModel model, string? path = null)
    {
        if (model.Metadata.Units.Count < 2) throw new ModelFileError("model lists no output units", path);
        try { return CtcUnits.For(model.Metadata.Units, model.Metadata.Language); }
        catch (ArgumentException e) { throw new ModelFileError($"model output units are unusable: {e.Message}", path, e); }
    }

    /// <summary>The model with these decoding options stored in it (after tuning them for it).</summary>
    public static DgModel WithOptions(DgModel model, DecodingOptions options)
    {
        options.Validate();
        var sections = new Dictionary<string, string>(model.Sections, StringComparer.Ordinal)
        {
            [DecodingOptions.MetadataKey] = options.ToJson(),
        };
        return model with { Sections = sections };
    }
}
