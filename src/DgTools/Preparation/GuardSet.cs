// Where the guard set comes from: general-domain speech measured at every validation for forgetting.
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Training;

namespace DgTools.Preparation;

/// <summary>Finds the general-domain guard set: --guard-dataset, else the model's own (see <see cref="ForgettingGuards"/>),
/// else "&lt;resource dir&gt;/&lt;lang&gt;/guard/".</summary>
public static class GuardSet
{
    /// <returns>The set and its directory; (null, null) when there is none.</returns>
    public static (CachedUtterances? Set, string? Directory) Load(AutotrainOptions o, DgModel model, Data.ResourceDirectory resources,
        ForgettingGuards guards, IRunReporter reporter)
    {
        var metadata = model.Metadata;
        var candidates = new List<CompanionSet>();
        if (o.GuardDataset is not null) candidates.Add(new CompanionSet(o.GuardDataset, "given with --guard-dataset"));
        if (guards.Find(o.ModelPath, metadata, ".guard") is { } own) candidates.Add(own);
        candidates.Add(new CompanionSet(Path.Combine(resources.Root, metadata.Language, "guard"), "the resource directory's"));
        foreach (var (dir, origin) in candidates)
        {
            if (!Directory.Exists(dir))
            {
                if (dir == o.GuardDataset) throw new DatasetError("guard data set directory not found", dir);
                continue;
            }
            var set = TrainingDataLoader.LoadDirectory(dir, resources, metadata.Language, model, reporter);
            if (set is { Count: > 0 })
            {
                reporter.Info($"General-domain guard set: {dir} ({set.Count} samples; {origin}).");
                return (set, dir);
            }
        }
        reporter.Info("No general-domain guard set found (see docs/usage.md); forgetting of the general domain is not measured.");
        return (null, null);
    }
}
