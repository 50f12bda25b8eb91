// Validation during autotrain: greedy transcripts of the validation split and the guard set through the inference
// engine, scored as word accuracy.
using DgTools.Decoding;
using DgTools.Evaluation;
using DgTools.Inference;
using DgTools.Model;
using DgTools.Preparation;

namespace DgTools.Training;

/// <summary>Greedy-decodes the validation split (and the guard set) and scores word accuracy = max(0, 1 − WER).
/// Large sets are measured on a fixed, evenly spaced subset so that validating stays a small part of the run.</summary>
public sealed class Validator(ConformerCtc model, ModelMetadata metadata, CachedUtterances validate, CachedUtterances? guard, int maxSamples)
{
    private readonly InferenceEngine _engine = InferenceEngine.Over(model, metadata);
    private readonly CachedUtterances _validate = validate.Subset(maxSamples);
    private readonly CachedUtterances? _guard = guard?.Subset(maxSamples / 2);

    public int ValidationSamples => _validate.Count;

    public Measurement Measure() => new(Accuracy(_validate), _guard is null ? null : Accuracy(_guard));

    /// <summary>Greedy transcripts in source order, spelled with the model file's units.</summary>
    public IReadOnlyList<string> Transcribe(CachedUtterances source)
    {
        var greedy = new CtcGreedyDecoder(_engine.Units);
        return Posteriors(source).Select(p => greedy.Decode(p).Text).ToList();
    }

    /// <summary>What the network says about each utterance, in source order.</summary>
    public IReadOnlyList<CtcPosteriors> Posteriors(CachedUtterances source)
    {
        var results = new CtcPosteriors[source.Count];
        _engine.Posteriors(source, (i, _, posteriors) => results[i] = posteriors);
        return results;
    }

    private double Accuracy(CachedUtterances source)
    {
        if (source.Count == 0) return 0;
        var hypotheses = Transcribe(source);
        return WordErrorRate.ScoreWords(source.Examples.Select((e, i) => (e.Text, hypotheses[i]))).Accuracy;
    }
}
