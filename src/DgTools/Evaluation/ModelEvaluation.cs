// The work behind `dgtools evaluate`: choose the utterances (a split of the data sets of the models' language), load
// their audio once, run every model over them, time it, and score the lot (EvaluationReport).
using System.Diagnostics;
using DgTools.Audio;
using DgTools.Data;
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Reporting;

namespace DgTools.Evaluation;

public enum EvaluationSplit { Validate, Train, All }

public static class EvaluationSplits
{
    /// <summary>validate, train or all (the --split values).</summary>
    public static EvaluationSplit Parse(string name) => name switch
    {
        "validate" => EvaluationSplit.Validate,
        "train" => EvaluationSplit.Train,
        "all" => EvaluationSplit.All,
        _ => throw new OptionError($"--split must be validate, train or all, not '{name}'"),
    };
}

public sealed record EvaluationOptions
{
    /// <summary>Changes each model's stored decoding options (e.g. --greedy); null keeps them.</summary>
    public Func<DecodingOptions, DecodingOptions>? AdjustDecoding { get; init; }
    public EvaluationSplit Split { get; init; } = EvaluationSplit.Validate;
    /// <summary>The --dataset-locations value; null: every data set of the language.</summary>
    public string? DatasetLocations { get; init; }
    public TorchSharp.torch.Device? Device { get; init; }
    /// <summary>Words to boost in the beam search ("term[:intensifier]", as Deepgram's keywords); empty: none.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
}

public static class ModelEvaluation
{
    /// <summary>`dgtools evaluate`: chooses the utterances of the models' language and scores every model on them.</summary>
    /// <param name="models">Each model with its name as the user gave it (shown in the report).</param>
    public static EvaluationReport Run(IReadOnlyList<(string Path, DgModel Model)> models, ResourceDirectory resources,
        EvaluationOptions options, IRunReporter reporter)
    {
        var utterances = SelectUtterances(resources, models[0].Model.Metadata.Language, options, reporter);
        return Run(models, utterances, options, reporter);
    }

    /// <summary>The utterances of the chosen split (roles come from, and new ones go to, the persistent split file).</summary>
    public static IReadOnlyList<Utterance> SelectUtterances(
        ResourceDirectory resources, string language, EvaluationOptions options, IRunReporter reporter)
    {
        var discovery = new DatasetDiscovery(resources, language, reporter).Discover(options.DatasetLocations);
        // Long recordings take their side of the split as autotrain gives it (one item each) and are recognised whole,
        // in chunks cut at quiet moments like `dgtools transcribe` (SpeechRecognizer.TranscribeBatch).
        if (discovery.LongRecordings.Count > 0)
            reporter.Info($"{discovery.LongRecordings.Count} long recordings are recognised in chunks, as transcribe does");
        var split = SplitRegistry.Apply(resources, discovery, reporter);
        var chosen = options.Split switch
        {
            EvaluationSplit.Validate => split.Validate,
            EvaluationSplit.Train => split.Train,
            _ => [.. split.Train, .. split.Validate],
        };
        if (chosen.Count == 0)
            throw new DatasetError($"the {options.Split.ToString().ToLowerInvariant()} split of the data sets is empty");
        return chosen.OrderBy(u => u.SourceId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Runs every model over the utterances and scores them side by side.</summary>
    /// <param name="models">Each model with the path the user gave for it.</param>
    public static EvaluationReport Run(
        IReadOnlyList<(string Path, DgModel Model)> models, IReadOnlyList<Utterance> utterances, EvaluationOptions options, IRunReporter reporter)
    {
        var languages = models.Select(m => m.Model.Metadata.Language).Distinct().ToList();
        if (languages.Count > 1) throw new ModelFileError($"the models are for different languages ({string.Join(", ", languages)})");
        int sampleRate = models[0].Model.Metadata.Features.SampleRate;
        if (models.Any(m => m.Model.Metadata.Features.SampleRate != sampleRate))
            throw new ModelFileError("the models use different sample rates");

        reporter.Info($"Loading {utterances.Count} utterances");
        var audio = new float[utterances.Count][];
        Parallel.For(0, utterances.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => audio[i] = AudioDecoder.Load(utterances[i].AudioPath, sampleRate));

        var runs = new List<ModelHypotheses>();
        foreach (var (path, model) in models)
        {
            reporter.Info($"Evaluating {Path.GetFileName(path)}");
            var decoding = options.AdjustDecoding?.Invoke(ModelDecoding.ReadOptions(model, path));
            using var recognizer = new SpeechRecognizer(model, path, decoding, options.Device);
            var watch = Stopwatch.StartNew();
            var keywords = recognizer.Keywords(options.Keywords);
            var transcripts = recognizer.TranscribeBatch(audio, keywords: keywords);
            var seconds = watch.Elapsed.TotalSeconds;
            var hypotheses = utterances.Select((u, i) =>
                new UtteranceHypothesis(u.SourceId, u.Text, transcripts[i].Text, audio[i].Length / (double)sampleRate)).ToList();
            // Boosted keywords count as added words: their recall is what boosting them is for.
            var added = keywords is null ? model.Metadata.AddedWords : model.Metadata.AddedWords.Union(keywords.Words).ToList();
            runs.Add(new ModelHypotheses(path, hypotheses, seconds, added, model.Metadata.History));
        }
        return EvaluationReport.Compute(runs);
    }
}
