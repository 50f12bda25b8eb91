// autotrain --frame-targets-from: a from-scratch run whose first updates learn the frame targets a trained model's
// alignments give (the learning itself is tested in FrameCrossEntropyTests), and the models it must refuse.
using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class AutotrainFrameTargetsTests
{
    [FsddFact]
    public void A_from_scratch_run_aligns_its_samples_and_starts_with_frame_cross_entropy()
    {
        using var dir = new TempDirectory();
        var res = dir.Combine("res");
        DigitsResources.Create(res, "george", Enumerable.Range(10, 4), [1]);   // 36 training samples after the split
        Assert.Equal(0, CliRunner.Run(dir.Path, res, "init", "digits.dg", "--size", "tiny", "--seed", "3").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, res, "init", "aligner.dg", "--size", "tiny", "--seed", "4").ExitCode);

        var r = CliRunner.Run(dir.Path, res, "autotrain", "digits.dg", "--frame-targets-from", "aligner.dg",
            "--revisit-count", "4", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(r.Out.Contains("Frame targets: 36 training samples aligned with aligner.dg in "), r.Out);
        Assert.Matches(@"Frame cross-entropy for the first \d+ updates, then CTC\.", r.Out);
        var last = ModelFile.Read(dir.Combine("digits.last.dg"));
        Assert.Equal(4 * 36, last.Metadata.Provenance.SamplesTrained);
    }

    [FsddFact]
    public void A_trained_model_is_refused()
    {
        using var dir = new TempDirectory();
        var fresh = NewModel.Create("en", "general", NewModel.Preset("tiny"), seed: 1);
        ModelFile.Write(dir.Combine("general.dg"), fresh with { Metadata = fresh.Metadata with { Provenance = fresh.Metadata.Provenance with { SamplesTrained = 5 } } });
        ModelFile.Write(dir.Combine("aligner.dg"), fresh);
        var res = dir.Combine("res");
        DigitsResources.Create(res, "george", [10], [1]);

        var r = CliRunner.Run(dir.Path, res, "autotrain", "general.dg", "--frame-targets-from", "aligner.dg", "--threads", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: --frame-targets-from is for training an untrained model from scratch (dgtools init); this one has trained 5 samples ({dir.Combine("general.dg")})\n", r.Err);
    }

    [FsddFact]
    public void An_aligner_with_other_units_is_refused()
    {
        using var dir = new TempDirectory();
        var res = dir.Combine("res");
        DigitsResources.Create(res, "george", [10], [1]);
        Assert.Equal(0, CliRunner.Run(dir.Path, res, "init", "digits.dg", "--size", "tiny").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, res, "init", "korean.dg", "--size", "tiny", "--lang", "ko").ExitCode);

        var r = CliRunner.Run(dir.Path, res, "autotrain", "digits.dg", "--frame-targets-from", "korean.dg", "--threads", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: the frame-target model's output units (", r.Err);
        Assert.EndsWith($"({dir.Combine("korean.dg")})\n", r.Err);
        Assert.False(File.Exists(dir.Combine("digits.last.dg")));
    }
}
