namespace DgTools.Model;

/// <summary>The tensors an architecture needs, used to validate .dg files before any weight is loaded.</summary>
public static class ModelArchitecture
{
    /// <summary>Parameter names and shapes for the metadata's architecture; null while no module is registered.</summary>
    public static IReadOnlyDictionary<string, long[]>? ExpectedShapes(ModelMetadata metadata) => null;
}
