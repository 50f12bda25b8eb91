// The guide's checkpoint rule: keep the best two models by validation accuracy as
// <stem>.best.<remaining>.<accuracy×1000>.dg, keep the last two other checkpoints as
// <stem>.checkpoint.<remaining>.<accuracy×1000>.dg, delete older ones; the final model is <stem>.last.dg.
// The policy decides names and deletions; the caller writes files (atomically) and persists Entries for resume.
namespace DgTools.Training;

public sealed record CheckpointEntry(string FileName, long Remaining, double Accuracy, bool IsBest);

/// <summary>What to do after one validation: write the model under <see cref="Write"/> (null: nothing), then delete.</summary>
public sealed record CheckpointDecision(string? Write, IReadOnlyList<string> Delete, bool IsNewBest);

public sealed class CheckpointPolicy
{
    public const int KeepBest = 2, KeepOthers = 2;

    private readonly List<CheckpointEntry> _entries;

    public CheckpointPolicy(string stem, IEnumerable<CheckpointEntry>? entries = null)
    {
        Stem = stem;
        _entries = entries?.ToList() ?? [];
    }

    public string Stem { get; }

    /// <summary>Files kept so far, oldest first; persisted with the resume state.</summary>
    public IReadOnlyList<CheckpointEntry> Entries => _entries;

    public string LastFileName => $"{Stem}.last.dg";

    public static int AccuracyPermille(double accuracy) => (int)Math.Round(Math.Clamp(accuracy, 0, 1) * 1000);

    public CheckpointDecision Record(long remaining, double accuracy)
    {
        var bests = _entries.Where(e => e.IsBest).ToList();
        var isBest = bests.Count < KeepBest || accuracy > bests.Min(b => b.Accuracy);
        var kind = isBest ? "best" : "checkpoint";
        var name = $"{Stem}.{kind}.{remaining}.{AccuracyPermille(accuracy)}.dg";
        var delete = new List<string>();

        // The same name twice (same countdown and accuracy after a resume) is simply rewritten.
        _entries.RemoveAll(e => e.FileName == name);
        _entries.Add(new CheckpointEntry(name, remaining, accuracy, isBest));

        if (isBest)
        {
            var newBests = _entries.Where(e => e.IsBest).ToList();
            if (newBests.Count > KeepBest)
            {
                // The worst best goes; among equals the older one.
                var worst = newBests.OrderBy(b => b.Accuracy).ThenByDescending(b => b.Remaining).First();
                _entries.Remove(worst);
                delete.Add(worst.FileName);
            }
        }
        else
        {
            var others = _entries.Where(e => !e.IsBest).ToList();
            foreach (var old in others.Take(Math.Max(0, others.Count - KeepOthers)))
            {
                _entries.Remove(old);
                delete.Add(old.FileName);
            }
        }
        return new CheckpointDecision(name, delete, isBest);
    }

    /// <summary>Output stem for an input model file: general.dg → general; general.last.dg → general.r2;
    /// general.r2.last.dg → general.r3 — so a run never overwrites the model it starts from.</summary>
    public static string StemFor(string inputPath)
    {
        var name = Path.GetFileName(inputPath);
        if (name.EndsWith(".dg", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        if (!name.EndsWith(".last", StringComparison.Ordinal)) return name;
        name = name[..^5];
        var m = System.Text.RegularExpressions.Regex.Match(name, @"^(.*)\.r(\d+)$");
        return m.Success ? $"{m.Groups[1].Value}.r{int.Parse(m.Groups[2].Value) + 1}" : $"{name}.r2";
    }
}
