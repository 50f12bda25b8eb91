// What a .dg file says about itself: identity, abilities, architecture, output units, feature settings and where it
// came from. Stored as JSON under the "dgtools.model" key of the safetensors __metadata__ map.
using System.Text.Json;
using System.Text.Json.Serialization;
using DgTools.Audio;

namespace DgTools.Model;

public sealed record ModelMetadata
{
    public string Name { get; init; } = "general";
    public Guid Uuid { get; init; } = Guid.NewGuid();
    /// <summary>The date the weights were made, yyyy-MM-dd.</summary>
    public string Version { get; init; } = DateTime.UtcNow.ToString("yyyy-MM-dd");
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = ["en"];
    public bool Trainable { get; init; } = true;
    public bool Deployable { get; init; }
    public ModelConfig Architecture { get; init; } = new();
    /// <summary>CTC output units; index 0 is the blank.</summary>
    public IReadOnlyList<string> Units { get; init; } = [];
    public FeatureConfig Features { get; init; } = new();
    public Provenance Provenance { get; init; } = new();
    /// <summary>Words that training added to the vocabulary (for added-word recall).</summary>
    public IReadOnlyList<string> AddedWords { get; init; } = [];
    /// <summary>Validation measurements taken while training, oldest first.</summary>
    public IReadOnlyList<HistoryPoint> History { get; init; } = [];

    [JsonIgnore]
    public string Language => Languages.Count > 0 ? Languages[0] : "en";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelMetadata FromJson(string json) =>
        JsonSerializer.Deserialize<ModelMetadata>(json, Json) ?? throw new JsonException("metadata is null");
}

public sealed record Provenance
{
    public Guid? ParentUuid { get; init; }
    public IReadOnlyList<string> Datasets { get; init; } = [];
    public long SamplesTrained { get; init; }
    /// <summary>Word accuracy (1 − WER, floored at 0) on the customer's validation split.</summary>
    public double? ValidationAccuracy { get; init; }
    /// <summary>Word accuracy on the general-domain guard set (the forgetting guard).</summary>
    public double? GeneralAccuracy { get; init; }
    public string? Tool { get; init; }
}

public sealed record HistoryPoint(long SamplesSeen, double? TrainLoss, double? ValidationAccuracy, double? GeneralAccuracy);
