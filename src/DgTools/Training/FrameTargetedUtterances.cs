// The training utterances of a from-scratch run with frame cross-entropy pretraining (`autotrain
// --frame-targets-from MODEL`): each carries the best CTC path a trained model finds for its transcript
// (FrameTargetAligner). Utterances the model cannot align — more units than output frames — are left out: CTC could
// not learn from them either (its loss is infinite there and zeroed).
using DgTools.Model;

namespace DgTools.Training;

public sealed class FrameTargetedUtterances : IUtteranceSource
{
    private readonly IUtteranceSource _inner;
    private readonly int[] _kept;
    private readonly int[][] _targets;

    private FrameTargetedUtterances(IUtteranceSource inner, IReadOnlyList<int[]?> targets)
    {
        _inner = inner;
        _kept = Enumerable.Range(0, targets.Count).Where(i => targets[i] is not null).ToArray();
        _targets = _kept.Select(i => targets[i]!).ToArray();
    }

    /// <summary>Utterances of the source the aligning model could not align (and that this source leaves out).</summary>
    public int Dropped => _inner.Count - _kept.Length;

    /// <summary>
    /// Aligns every utterance of <paramref name="source"/> with the model in <paramref name="alignerPath"/>, which must
    /// read the same features and emit the same units at the same output frame rate as the model to be trained
    /// (<paramref name="student"/>); otherwise a <see cref="ModelFileError"/> says which of the three differs.
    /// </summary>
    public static FrameTargetedUtterances Align(string alignerPath, ModelMetadata student, IUtteranceSource source)
    {
        var file = ModelFile.Read(alignerPath, ModelArchitecture.ExpectedShapes);
        var aligner = file.Metadata;
        if (aligner.Architecture.OutputFramesPerSecond != student.Architecture.OutputFramesPerSecond)
            throw new ModelFileError($"the frame-target model emits {aligner.Architecture.OutputFramesPerSecond:0.#} frames/s, " +
                                     $"the model to train {student.Architecture.OutputFramesPerSecond:0.#}", alignerPath);
        if (!aligner.Units.SequenceEqual(student.Units))
            throw new ModelFileError($"the frame-target model's output units ({aligner.Units.Count}, {aligner.Language}) are not " +
                                     $"the model to train's ({student.Units.Count}, {student.Language})", alignerPath);
        if (aligner.Features != student.Features)
            throw new ModelFileError("the frame-target model computes other features than the model to train", alignerPath);
        using var model = ConformerCtc.FromFile(file, alignerPath);
        return new FrameTargetedUtterances(source, FrameTargetAligner.Align(model, source));
    }

    public int Count => _kept.Length;
    public int FramesOf(int index) => _inner.FramesOf(_kept[index]);
    public Utterance Load(int index) => _inner.Load(_kept[index]) with { FrameTargets = _targets[index] };
    public bool IsReplay(int index) => _inner.IsReplay(_kept[index]);
}
