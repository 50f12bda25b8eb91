using DgTools.Model;

namespace DgTools.Tests.TestSupport;

/// <summary>Small fixed models for format tests (no torch needed).</summary>
public static class FormatSamples
{
    public static readonly Guid FixedUuid = Guid.Parse("a965179c-a8c3-457d-bc67-32b66f579656");

    public static DgModel Tiny(bool trainable = true, bool deployable = false, string language = "en") => new(
        new ModelMetadata
        {
            Name = "general",
            Uuid = FixedUuid,
            Version = "2026-11-25",
            Tags = ["example"],
            Languages = [language],
            Trainable = trainable,
            Deployable = deployable,
            Architecture = new ModelConfig { NumUnits = 3 },
            Units = ["<blank>", "a", "b"],
        },
        new Dictionary<string, TensorData>
        {
            ["encoder.weight"] = TensorData.FromFloats([2, 3], [0.5f, -1.25f, 2f, 3.5f, -0.125f, 1e-3f]),
            ["head.bias"] = new("F16", [3], [0x00, 0x3C, 0x00, 0xBC, 0x00, 0x00]), // 1, -1, 0
            ["steps"] = new("I64", [1], BitConverter.GetBytes(42L)),
        },
        new Dictionary<string, string> { ["dgtools.extra"] = "kept verbatim" });

    /// <summary>A real (tiny, untrained) Conformer-CTC, as the CLI's architecture check requires.</summary>
    public static DgModel TinyConformer(bool trainable = true, bool deployable = false, string language = "en")
    {
        var config = new ModelConfig
        {
            InputDim = 8, NumUnits = 3, DModel = 8, NumLayers = 1, NumHeads = 2, FeedForwardDim = 8, ConvKernel = 3,
            Subsampling = 4, SubsamplingChannels = 4, Dropout = 0,
        };
        using var module = new ConformerCtc(config, seed: 7);
        var sample = Tiny(trainable, deployable, language);
        return sample with
        {
            Metadata = sample.Metadata with { Architecture = config },
            Tensors = module.ExportTensors(),
        };
    }
}
