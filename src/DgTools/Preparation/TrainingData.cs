// The bridge from the data layer (discovered data sets, persistent splits, feature cache) to what the trainer reads:
// numbered utterances whose frame counts are known up front. Features are extracted (or found in the cache) once at
// the start, then streamed from the cache one utterance at a time: memory stays flat as the corpus grows, and the
// operating system's page cache keeps the hot entries in memory anyway.
using DgTools.Audio;
using DgTools.Data;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Text;
using DgTools.Training;
using Utterance = DgTools.Training.Utterance;

namespace DgTools.Preparation;

/// <summary>One usable utterance: where it came from, its normalised text, its labels and its feature frame count.</summary>
/// <param name="SourceId">The file's id, or "&lt;recording id&gt;#&lt;start&gt;-&lt;end&gt;" for a segment of a long recording.</param>
/// <param name="Span">The segment of a long recording this example is; null for a whole file.</param>
public sealed record TrainingExample(string SourceId, string AudioPath, string Text, int[] Labels, int Frames, AudioSpan? Span = null)
{
    public FeatureMatrix FeaturesFrom(FeatureCache cache) =>
        Span is null ? cache.GetOrCompute(AudioPath) : cache.GetOrCompute(AudioPath, Span);
}

/// <summary>Utterances for the trainer; features read back from the feature cache when loaded. The first
/// <see cref="KeptBytes"/> of normalised features loaded stay in memory, so a small data set reads the cache once
/// while a large one streams and memory stays flat as the data grows.</summary>
public sealed class CachedUtterances : IUtteranceSource
{
    /// <summary>Normalised features kept in memory once loaded, per data set (training, validation, guard, replay).</summary>
    public const long KeptBytes = 32L << 20;

    private readonly FeatureCache _cache;
    private readonly CachedEntry[] _entries;
    private readonly float[]?[] _kept;
    private readonly KeptBudget _budget;

    /// <param name="entries">Each example's cache entry (from FeatureCache.Ensure), in the same order.</param>
    /// <param name="keptBytes">Normalised features kept in memory once loaded (shared with subsets).</param>
    public CachedUtterances(IReadOnlyList<TrainingExample> examples, FeatureCache cache, IReadOnlyList<CachedEntry> entries, long keptBytes = KeptBytes)
        : this(examples, cache, entries, new KeptBudget(keptBytes)) { }

    private CachedUtterances(IReadOnlyList<TrainingExample> examples, FeatureCache cache, IReadOnlyList<CachedEntry> entries, KeptBudget budget)
    {
        if (entries.Count != examples.Count) throw new ArgumentException($"{entries.Count} cache entries for {examples.Count} examples", nameof(entries));
        Examples = examples;
        _cache = cache;
        _entries = entries.ToArray();
        _kept = new float[]?[examples.Count];
        _budget = budget;
    }

    private sealed class KeptBudget(long bytes)
    {
        private long _left = bytes;
        public bool TryTake(long n)
        {
            if (Interlocked.Add(ref _left, -n) >= 0) return true;
            Interlocked.Add(ref _left, n);
            return false;
        }
    }

    public IReadOnlyList<TrainingExample> Examples { get; }
    public int Count => Examples.Count;
    public int FramesOf(int index) => Examples[index].Frames;

    /// <summary>The utterances at <paramref name="indices"/>, in that order.</summary>
    public CachedUtterances Keep(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Examples[i]).ToList(), _cache, indices.Select(i => _entries[i]).ToList(), _budget);

    /// <summary>At most <paramref name="max"/> utterances, evenly spaced (all of them when there are fewer).</summary>
    public CachedUtterances Subset(int max)
    {
        if (Count <= max) return this;
        var picks = Enumerable.Range(0, max).Select(i => (int)((long)i * Count / max)).ToList();
        return new CachedUtterances(picks.Select(i => Examples[i]).ToList(), _cache, picks.Select(i => _entries[i]).ToList(), _budget);
    }

    /// <summary>These utterances followed by <paramref name="segments"/> (segments of long recordings, whose features
    /// LongRecordingExamples has already put in the cache).</summary>
    public CachedUtterances With(IReadOnlyList<TrainingExample> segments) =>
        segments.Count == 0 ? this : new CachedUtterances([.. Examples, .. segments], _cache, [.. _entries, .. segments.Select(EntryOf)], _budget);

    // A segment's entry is found from its span without reading anything; a missing one is recomputed when loaded.
    private CachedEntry EntryOf(TrainingExample e) =>
        e.Span is null ? _cache.Ensure(e.AudioPath) : new CachedEntry(_cache.SegmentEntryPath(e.Span), e.Frames);

    /// <summary>The utterance; its feature array may be shared with later loads, so callers must not change it.</summary>
    public Utterance Load(int index)
    {
        var e = Examples[index];
        if (_kept[index] is { } kept) return new Utterance(kept, e.Frames, e.Labels);
        // An entry removed or damaged since preparation is recomputed (with a warning) rather than failing the run.
        var features = (_cache.TryRead(_entries[index]) ?? e.FeaturesFrom(_cache)).Normalized(_cache.Config).Data;
        if (_budget.TryTake(features.LongLength * sizeof(float))) _kept[index] = features;
        return new Utterance(features, e.Frames, e.Labels);
    }
}

public sealed record TrainingData(CachedUtterances Train, CachedUtterances Validate, IReadOnlyList<string> Datasets);

public static class TrainingDataLoader
{
    /// <param name="aligner">The model long recordings are aligned with (see LongRecordingExamples); null leaves them out.</param>
    /// <param name="cancel">Stops feature extraction between files (OperationCanceledException); entries written stay whole.</param>
    /// <param name="checkDiscovered">Runs on what discovery found, before anything is written (the split registry, the
    /// feature cache); it stops the run by throwing (autotrain's LanguageCheck).</param>
    public static TrainingData Load(ResourceDirectory resources, string language, string? locations, DgModel model,
        IRunReporter reporter, AlignmentModel? aligner = null, CancellationToken cancel = default,
        Action<DiscoveryResult>? checkDiscovered = null)
    {
        var discovery = new DatasetDiscovery(resources, language, reporter).Discover(locations);
        checkDiscovered?.Invoke(discovery);
        // A long recording takes part in the split as one item, so all of its segments train or all validate.
        var split = SplitRegistry.Apply(resources, discovery, reporter);
        var cache = new FeatureCache(resources, model, reporter);
        var segments = LongRecordingExamples.Make(discovery.LongRecordings, discovery.Datasets, aligner, language, cache, reporter).BySourceId;
        var isLong = discovery.LongRecordings.Select(u => u.SourceId).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<TrainingExample> SegmentsOf(IReadOnlyList<Data.Utterance> side) =>
            side.Where(u => isLong.Contains(u.SourceId)).SelectMany(u => segments.GetValueOrDefault(u.SourceId) ?? []).ToList();
        List<Data.Utterance> Whole(IReadOnlyList<Data.Utterance> side) => side.Where(u => !isLong.Contains(u.SourceId)).ToList();

        if (split.Train.Count == 0) throw new DatasetError("no training samples: every usable pair is in the validation split", resources.Root);
        var train = Prepare(Whole(split.Train), language, model.Metadata.Architecture, cache, reporter, "training", cancel).With(SegmentsOf(split.Train));
        // Files that passed discovery can still fail here (undecodable samples, shorter than one frame).
        if (train.Count == 0) throw new DatasetError("no training samples: every training file was skipped (see the warnings above)", resources.Root);
        var validate = Prepare(Whole(split.Validate), language, model.Metadata.Architecture, cache, reporter, "validation", cancel).With(SegmentsOf(split.Validate));
        return new TrainingData(train, validate, discovery.Datasets.Select(d => d.Name).ToList());
    }

    /// <summary>A general-domain data set in a plain directory (the forgetting guard), or null when there is none.</summary>
    public static CachedUtterances? LoadDirectory(string directory, ResourceDirectory resources, string language, DgModel model,
        IRunReporter reporter, string what = "general-domain guard")
    {
        if (!Directory.Exists(directory)) return null;
        var discovery = new DatasetDiscovery(resources, language, reporter).Discover(directory);
        var cache = new FeatureCache(resources, model, reporter);
        return Prepare(discovery.Utterances, language, model.Metadata.Architecture, cache, reporter, what);
    }

    /// <summary>Output frames CTC needs for <paramref name="labels"/>: one per unit, plus a blank between repeated units.</summary>
    public static int CtcFramesNeeded(int[] labels)
    {
        var needed = labels.Length;
        for (var i = 1; i < labels.Length; i++) if (labels[i] == labels[i - 1]) needed++;
        return needed;
    }

    private static CachedUtterances Prepare(IReadOnlyList<Data.Utterance> utterances, string language, ModelConfig architecture,
        FeatureCache cache, IRunReporter reporter, string what, CancellationToken cancel = default)
    {
        var alphabet = Alphabet.For(language);
        var examples = new TrainingExample?[utterances.Count];
        var entries = new CachedEntry[utterances.Count];
        var done = 0;
        var gate = new object();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel };
        try
        {
            Parallel.For(0, utterances.Count, parallel, i =>
            {
                var u = utterances[i];
                try
                {
                    var labels = alphabet.Encode(u.Text);
                    if (labels.Length == 0) { reporter.Warning($"empty transcript after normalisation; skipped ({u.TranscriptPath})"); return; }
                    var entry = cache.Ensure(u.AudioPath);
                    if (entry.Frames == 0) { reporter.Warning($"audio too short for one feature frame; skipped ({u.AudioPath})"); return; }
                    // CTC cannot emit more units than the model has output frames: such a pair (a long text on a short
                    // recording) teaches nothing but a zeroed loss, and `check` reports it as not used for training.
                    var outputFrames = ConformerCtc.OutputLength(entry.Frames, architecture);
                    if (CtcFramesNeeded(labels) > outputFrames)
                    {
                        reporter.Warning($"transcript needs {CtcFramesNeeded(labels):N0} output frames, more than the {outputFrames:N0} the model makes from " +
                                         $"{entry.Frames / 100.0:0.##} s of audio (does it belong to this recording?); skipped ({u.TranscriptPath})");
                        return;
                    }
                    examples[i] = new TrainingExample(u.SourceId, u.AudioPath, u.Text, labels, entry.Frames);
                    entries[i] = entry;
                    lock (gate)
                    {
                        done++;
                        reporter.Progress(new ProgressSnapshot($"{what} features", done, utterances.Count, "files"));
                    }
                }
                // A full disk is not this file's fault: skipping it (and every file after it) would train on what is left.
                catch (DgToolsException e) when (e is not DiskFullError)
                {
                    reporter.Warning($"{e.Message}; skipped ({e.Path ?? u.AudioPath})");
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<DiskFullError>().FirstOrDefault() is { } full)
        {
            throw new DiskFullError($"the resource directory's disk filled up while caching audio features: free space, then run " +
                                    "the same command again (the features cached so far are kept)", cache.Directory, full);
        }
        var kept = Enumerable.Range(0, examples.Length).Where(i => examples[i] is not null).ToList();
        return new CachedUtterances(kept.Select(i => examples[i]!).ToList(), cache, kept.Select(i => entries[i]).ToList());
    }
}
