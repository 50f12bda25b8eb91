// Where the replay set comes from: general-domain speech mixed into fine-tuning against forgetting.
using DgTools.Model;
using DgTools.Training;

namespace DgTools.Preparation;

/// <summary>Finds the general-domain replay set for fine-tuning: --replay-dataset, else the model's own (see
/// <see cref="ForgettingGuards"/>). Its utterances are mixed into training (never into validation) to keep the general domain.</summary>
public static class ReplaySet
{
    public static CompanionSet? Locate(AutotrainOptions o, ModelMetadata metadata, ForgettingGuards guards)
    {
        if (o.ReplayFraction <= 0) return null;
        if (o.ReplayDataset is not null)
            return Directory.Exists(o.ReplayDataset)
                ? new CompanionSet(o.ReplayDataset, "given with --replay-dataset")
                : throw new DatasetError("replay data set directory not found", o.ReplayDataset);
        return guards.Find(o.ModelPath, metadata, ".replay");
    }
}
