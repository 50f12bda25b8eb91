// A fresh, untrained model for a language: the starting point of a general model trained from scratch
// (`dgtools init`, then `dgtools autotrain`).
using DgTools.Text;

namespace DgTools.Model;

public static class NewModel
{
    /// <summary>Named sizes. "small" is the default CPU-trainable size; "tiny" is for tests and quick trials.</summary>
    public static ModelConfig Preset(string size) => size switch
    {
        "tiny" => new ModelConfig { DModel = 64, NumLayers = 2, NumHeads = 2, FeedForwardDim = 256, ConvKernel = 15, SubsamplingChannels = 32 },
        "small" => new ModelConfig(),
        _ => throw new DgToolsException($"unknown model size '{size}'; use tiny or small"),
    };

    public static DgModel Create(string language, string name, ModelConfig architecture, long seed)
    {
        var alphabet = Alphabet.For(language);
        var config = architecture with { NumUnits = alphabet.Count };
        using var module = new ConformerCtc(config, seed);
        var metadata = new ModelMetadata
        {
            Name = name,
            Languages = [language],
            Trainable = true,
            Deployable = false,
            Architecture = config,
            Units = alphabet.Units.ToList(),
            Provenance = new Provenance { Tool = $"dgtools {ProductInfo.Version} init" },
        };
        return new DgModel(metadata, module.ExportTensors(), new Dictionary<string, string>());
    }
}
