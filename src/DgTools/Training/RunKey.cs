using System.IO.Hashing;
using System.Text;

namespace DgTools.Training;

/// <summary>Identifies "the same command": the resume state of a run lives under .train_meta/runs/&lt;key&gt;/.</summary>
public static class RunKey
{
    public static string For(AutotrainOptions o, Guid modelUuid)
    {
        var text = string.Join("\n",
            modelUuid, Path.GetFullPath(o.OutputDirectory), o.TopOff, o.EffectiveRevisitCount, o.DatasetLocations ?? "",
            o.GuardDataset ?? "", o.Seed, o.LearningRate?.ToString("R") ?? "", o.ValidateEvery?.ToString() ?? "", o.AnchorWeight.ToString("R"));
        // Options added later join the key only when set, so the keys (and resumable runs) of earlier runs stay valid.
        if (o.FrozenLayers != 0) text += $"\nfrozen {o.FrozenLayers}";
        if (o.ReplayDataset is not null && o.ReplayFraction > 0) text += $"\nreplay {Path.GetFullPath(o.ReplayDataset)} {o.ReplayFraction:R}";
        if (o.DistillationWeight != 0) text += $"\ndistill {o.DistillationWeight:R}";
        if (o.MergeRatio != 1) text += $"\nmerge {o.MergeRatio:R}";
        if (o.FrequencyWarp != 0) text += $"\nwarp {o.FrequencyWarp:R}";
        if (o.BandLimit != 0) text += $"\nband limit {o.BandLimit:R}";
        if (o.StreamRateScale != 1) text += $"\nstream rate {o.StreamRateScale:R}";
        if (o.FrameTargetsFrom is not null) text += $"\nframe targets {Path.GetFullPath(o.FrameTargetsFrom)}";
        return Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text)));
    }
}
