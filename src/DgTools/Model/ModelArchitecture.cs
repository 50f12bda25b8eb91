namespace DgTools.Model;

/// <summary>The tensors an architecture needs, used to validate .dg files before any weight is loaded.</summary>
public static class ModelArchitecture
{
    /// <summary>Parameter names and shapes for the metadata's architecture (every model is a Conformer-CTC).</summary>
    public static IReadOnlyDictionary<string, long[]>? ExpectedShapes(ModelMetadata metadata)
    {
        try { return ConformerShapes(metadata.Architecture); }
        catch (ModelFileError e) { throw new ModelFileError($"model architecture is invalid: {e.Message}", null, e); }
    }

    /// <summary>Parameter names and shapes of the Conformer-CTC that <paramref name="config"/> describes.</summary>
    public static IReadOnlyDictionary<string, long[]> ConformerShapes(ModelConfig config)
    {
        using var model = new ConformerCtc(config);
        return model.NamedTensors().ToDictionary(t => t.Key, t => t.Value.shape);
    }

    /// <summary>For <see cref="ModelFile.Read"/>: rejects files whose tensors do not fit their Conformer-CTC config.</summary>
    public static IReadOnlyDictionary<string, long[]>? ConformerShapes(ModelMetadata metadata) => ConformerShapes(metadata.Architecture);
}
