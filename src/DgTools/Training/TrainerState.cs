// The resumable state of a training run. Random state needs no saving: every random choice is drawn from
// (seed, purpose, step) (SeedSequence), so weights + optimizer moments + the counters below restore a run exactly.
// On disk it is a .dg file (safetensors) with tensors "model.NAME", "optimizer.exp_avg.NAME", "optimizer.exp_avg_sq.NAME",
// optionally "optimizer.anchor.NAME", and the counters as JSON under the "dgtools.trainer" metadata key.
using System.Text.Json;
using DgTools.Model;

namespace DgTools.Training;

/// <param name="Step">Batches trained (the next step's index).</param>
/// <param name="SamplesSeen">Utterances trained, counting repeats.</param>
/// <param name="Epoch">Epoch of the next batch (0-based).</param>
/// <param name="BatchInEpoch">Index of the next batch within that epoch's plan.</param>
/// <param name="OptimizerUpdates">AdamW updates applied (steps minus skipped non-finite ones).</param>
public sealed record TrainerProgress(long Step, long SamplesSeen, int Epoch, int BatchInEpoch, long OptimizerUpdates)
{
    public static TrainerProgress Start { get; } = new(0, 0, 0, 0, 0);
}

public sealed record TrainerState(TrainerProgress Progress, long Seed, IReadOnlyDictionary<string, TensorData> Tensors);

public static class TrainerStateFile
{
    public const string SectionKey = "dgtools.trainer";
    public const int Version = 1;

    private sealed record Counters(int Version, long Seed, TrainerProgress Progress);

    /// <summary>Writes atomically. <paramref name="metadata"/> describes the model (architecture, units).</summary>
    public static void Write(string path, TrainerState state, ModelMetadata metadata)
    {
        var counters = JsonSerializer.Serialize(new Counters(Version, state.Seed, state.Progress), ModelMetadata.Json);
        ModelFile.Write(path, new DgModel(metadata, state.Tensors, new Dictionary<string, string> { [SectionKey] = counters }));
    }

    public static (TrainerState State, ModelMetadata Metadata) Read(string path)
    {
        var file = ModelFile.Read(path);
        if (!file.Sections.TryGetValue(SectionKey, out var json)) throw new ModelFileError("not a training state file (no trainer section)", path);
        Counters counters;
        try { counters = JsonSerializer.Deserialize<Counters>(json, ModelMetadata.Json) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new ModelFileError($"training state counters are malformed: {e.Message}", path, e); }
        if (counters.Version > Version) throw new ModelFileError($"training state version {counters.Version} is newer than this dgtools understands ({Version})", path);
        return (new TrainerState(counters.Progress, counters.Seed, file.Tensors), file.Metadata);
    }
}
