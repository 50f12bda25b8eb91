// What the trainer reads: utterances as feature frames plus output-unit labels, loaded one at a time so that a large
// corpus streams from the feature cache instead of sitting in memory.
namespace DgTools.Training;

/// <param name="Features">Frames × feature bins, row-major (frame 0's bins first).</param>
/// <param name="Frames">Number of feature frames.</param>
/// <param name="Labels">Output-unit indices (1…NumUnits-1; 0 is the CTC blank and never a label).</param>
public sealed record Utterance(float[] Features, int Frames, int[] Labels)
{
    public int FeatureDim => Frames == 0 ? 0 : Features.Length / Frames;

    /// <summary>
    /// Optional per-CTC-output-frame targets (unit id, 0 = blank) for frame cross-entropy pretraining
    /// (<see cref="TrainerOptions.FrameCrossEntropyUpdates"/>), usually from <see cref="FrameTargetAligner"/>. They stay
    /// at the unaugmented utterance's output frames: augmentation copies them unchanged (records' <c>with</c>) and the
    /// loss maps them onto the model's actual output length (<see cref="FrameCrossEntropy.Resample"/>).
    /// </summary>
    public int[]? FrameTargets { get; init; }
}

/// <summary>A numbered set of utterances whose lengths are known without loading them.</summary>
public interface IUtteranceSource
{
    int Count { get; }

    /// <summary>Feature frames of utterance <paramref name="index"/> (for length bucketing).</summary>
    int FramesOf(int index);

    Utterance Load(int index);

    /// <summary>True for a replayed general-domain utterance (what the distillation guard works on).</summary>
    bool IsReplay(int index) => false;
}

public sealed class InMemoryUtterances(IReadOnlyList<Utterance> utterances) : IUtteranceSource
{
    public int Count => utterances.Count;
    public int FramesOf(int index) => utterances[index].Frames;
    public Utterance Load(int index) => utterances[index];
}

/// <summary>
/// Replay: the customer's utterances followed by a fixed, seeded selection of general-domain ones (a fraction of the
/// customer count), so every epoch revisits some general speech. One of the forgetting guards.
/// </summary>
public sealed class ReplayMixedUtterances : IUtteranceSource
{
    private readonly IUtteranceSource _primary;
    private readonly IUtteranceSource _replay;
    private readonly int[] _replayIndices;

    public ReplayMixedUtterances(IUtteranceSource primary, IUtteranceSource replay, double fraction, long seed)
    {
        _primary = primary;
        _replay = replay;
        var wanted = Math.Min(replay.Count, (int)Math.Round(fraction * primary.Count));
        var order = Enumerable.Range(0, replay.Count).ToArray();
        new Random(SeedSequence.Derive(seed, SeedSequence.Replay, 0)).Shuffle(order);
        _replayIndices = order[..wanted];
    }

    public int Count => _primary.Count + _replayIndices.Length;
    public int FramesOf(int index) => index < _primary.Count ? _primary.FramesOf(index) : _replay.FramesOf(_replayIndices[index - _primary.Count]);
    public Utterance Load(int index) => index < _primary.Count ? _primary.Load(index) : _replay.Load(_replayIndices[index - _primary.Count]);
    public bool IsReplay(int index) => index >= _primary.Count;
}
