namespace DgTools.Model;

/// <summary>The tensors an architecture needs, used to validate .dg files before any weight is loaded.</summary>
public static class ModelArchitecture
{
    /// <summary>
    /// Parameter names and shapes for the metadata's architecture; null while no module is registered.
    /// (Not yet wired to <see cref="ConformerShapes"/>: the format tests' sample models carry placeholder tensors.)
    /// </summary>
    public static IReadOnlyDictionary<string, long[]>? ExpectedShapes(ModelMetadata metadata) => null;

    /// <summary>Parameter names and shapes of the Conformer-CTC that <paramref name="config"/> describes.</summary>
    public static IReadOnlyDictionary<string, long[]> ConformerShapes(ModelConfig config)
    {
        using var model = new ConformerCtc(config);
        return model.NamedTensors().ToDictionary(t => t.Key, t => t.Value.shape);
    }

    /// <summary>For <see cref="ModelFile.Read"/>: rejects files whose tensors do not fit their Conformer-CTC config.</summary>
    public static IReadOnlyDictionary<string, long[]>? ConformerShapes(ModelMetadata metadata) => ConformerShapes(metadata.Architecture);
}
