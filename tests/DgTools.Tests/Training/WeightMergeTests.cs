// The weight merge, a forgetting guard: what a fine-tuning run validates and saves is start + ratio × (trained − start);
// training itself goes on from the trained weights.
using DgTools.Model;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class WeightMergeTests
{
    private static Dictionary<string, float[]> Weights(ConformerCtc model) =>
        model.ExportTensors().ToDictionary(t => t.Key, t => t.Value.ToFloats());

    [FsddFact]
    public void Apply_puts_the_merged_weights_in_and_disposing_restores_the_trained_ones_bit_for_bit()
    {
        using var start = new ConformerCtc(TrainerResumeTests.Config, seed: 1);
        using var model = new ConformerCtc(TrainerResumeTests.Config, seed: 2);   // stands in for the trained weights
        var (a, b) = (Weights(start), Weights(model));
        using var merge = new WeightMerge(model, start, 0.25);
        using (merge.Apply())
        {
            var merged = Weights(model);
            Assert.All(a.Keys, k => Assert.All(Enumerable.Range(0, a[k].Length),
                i => Assert.Equal(a[k][i] + 0.25f * (b[k][i] - a[k][i]), merged[k][i], 5e-6f)));
        }
        var back = Weights(model);
        Assert.All(b.Keys, k => Assert.Equal(b[k], back[k]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightMerge(model, start, 1.5));
    }

    [FsddFact]
    public void Autotrain_saves_the_merged_model_ratio_0_is_the_start_and_half_is_the_midpoint()
    {
        using var dir = new TempDirectory();
        ReplayTests.Scene(dir, trained: true);
        var start = ModelFile.Read(dir.Combine("general.dg")).Tensors;
        Dictionary<string, float[]> Run(string ratio)
        {
            var r = CliRunner.Run(dir.Path, dir.Combine("res"), "autotrain", "general.dg", "--revisit-count", "1",
                "--threads", "1", "--replay-fraction", "0", "--merge-ratio", ratio);
            Assert.True(r.ExitCode == 0, r.Out + r.Err);
            if (ratio != "1") Assert.Contains("Weight merge: saved models keep", r.Out);
            return ModelFile.Read(dir.Combine("general.last.dg")).Tensors.ToDictionary(t => t.Key, t => t.Value.ToFloats());
        }
        var trained = Run("1");
        var none = Run("0");
        var half = Run("0.5");
        var first = start.ToDictionary(t => t.Key, t => t.Value.ToFloats());
        Assert.Contains(first.Keys, k => !first[k].SequenceEqual(trained[k]));   // training changed the weights
        Assert.All(first.Keys, k => Assert.Equal(first[k], none[k]));
        // The runs are deterministic, so the 0.5 run trained the same weights as the 1 run and saved the midpoint.
        Assert.All(first.Keys, k => Assert.All(Enumerable.Range(0, first[k].Length),
            i => Assert.Equal((first[k][i] + trained[k][i]) / 2, half[k][i], 1e-3f)));
        var bad = CliRunner.Run(dir.Path, dir.Combine("res"), "autotrain", "general.dg", "--merge-ratio", "2");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--merge-ratio must be between 0 and 1", bad.Err);
    }
}
