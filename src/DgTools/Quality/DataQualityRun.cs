// `dgtools check` below the command line: discover the data sets, align with the model if one is given, check.
using DgTools.Alignment;
using DgTools.Data;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Text;

namespace DgTools.Quality;

/// <param name="ModelPath">The .dg model to align with; null checks audio and text only.</param>
/// <param name="Language">The data sets' language when there is no model (a model's own language wins).</param>
public sealed record CheckOptions(string? ModelPath, string Language = "en", string? DatasetLocations = null)
{
    public QualityCheckOptions Thresholds { get; init; } = new();
    public AlignmentOptions Alignment { get; init; } = new();
    public TorchSharp.torch.Device? Device { get; init; }
}

public static class DataQualityRun
{
    public static QualityReport Run(CheckOptions options, ResourceDirectory resources, IRunReporter reporter)
    {
        DgModel? model = options.ModelPath is null ? null : ModelFile.Read(options.ModelPath, ModelArchitecture.ExpectedShapes);
        if (model is not null && ModelFile.UncheckedNote(model, options.ModelPath!) is { } note) reporter.Info(note);
        var language = model?.Metadata.Language ?? options.Language;
        var discovery = new DatasetDiscovery(resources, language, reporter,
            new DiscoveryOptions { MaxUtteranceSeconds = options.Thresholds.Segmentation.LongerThanSeconds })
            .Discover(options.DatasetLocations);
        var normalizer = TextNormalizer.For(language);
        // The figures of autotrain's language check (Preparation/LanguageCheck).
        if (model is not null && Language.ModelLexicon.Read(model, options.ModelPath) is { VocabularySize: > 0 } lexicon)
        {
            var thresholds = new Preparation.LanguageCheckOptions();
            var evidence = Preparation.LanguageCheck.Measure(discovery, lexicon, normalizer, thresholds);
            reporter.Info($"Language check: {evidence.Describe(thresholds)}" +
                          (Preparation.LanguageCheck.Matches(evidence, lexicon, thresholds) ? "." : $"; these transcripts do not look like '{evidence.Language}'."));
        }
        using var source = model is null ? null : new ModelPosteriorSource(model, options.ModelPath, options.Device);
        var aligner = source is null ? null : new RecordingAligner(source, normalizer, options.Alignment, reporter.Warning);
        var report = new DataQualityChecker(aligner, normalizer, options.Thresholds, reporter).Check(discovery);
        if (aligner is not null)
            reporter.Info($"Alignments: {aligner.Aligned} made, {aligner.Reused} reused from resource_properties/.");
        return report;
    }
}
