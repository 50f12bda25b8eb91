namespace DgTools.Model;

/// <summary>Architecture of the Conformer-CTC encoder. Immutable; stored in the .dg file's metadata.</summary>
public sealed record ModelConfig
{
    public int InputDim { get; init; } = 80;
    /// <summary>Output units including the CTC blank at index 0.</summary>
    public int NumUnits { get; init; } = 32;
    public int DModel { get; init; } = 144;
    public int NumLayers { get; init; } = 6;
    public int NumHeads { get; init; } = 4;
    public int FeedForwardDim { get; init; } = 576;
    public int ConvKernel { get; init; } = 15;
    /// <summary>Total time reduction of the front end (4 or 8).</summary>
    public int Subsampling { get; init; } = 4;
    public double Dropout { get; init; } = 0.1;
}
