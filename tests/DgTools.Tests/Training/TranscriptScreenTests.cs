// Fine-tuning screens short recordings' transcripts with the starting model (the check `dgtools check` applies):
// a transcript that clearly belongs to other audio is skipped with a warning, correct ones train. Real speech (FSDD
// takes 1-4, never take 0) and the bundled general English model; the wrong labels are ones the check-mismatch
// benchmark scores far below the threshold, the right ones far above, so the test checks the wiring, not the tuning
// (docs/reliability.md has the measured precision and recall).
using DgTools.Model;
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Training;

public class TranscriptScreenTests
{
    [FsddFact]
    public void Autotrain_skips_a_transcript_that_does_not_match_its_recording()
    {
        var r = Run(screen: true);
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        var warnings = r.Err.Split('\n').Where(l => l.Contains(" warning: ")).ToList();
        var warning = Assert.Single(warnings);
        Assert.EndsWith($" warning: transcript \"six\" does not match the audio (100% of its words do not fit under the starting model; `dgtools check` lists such recordings); skipped ({Path.Combine(_set, "1_george_3.wav")})", warning);
        Assert.True(r.Out.Contains("Training samples: 2; validation samples: 1;"), r.Out);   // the wrong one was to validate
    }

    [FsddFact]
    public void With_transcript_screen_false_every_pair_trains()
    {
        var r = Run(screen: false);
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        Assert.DoesNotContain(" warning: ", r.Err);
        Assert.True(r.Out.Contains("Training samples: 2; validation samples: 2;"), r.Out);
    }

    private string _set = "";

    private CliResult Run(bool screen)
    {
        using var dir = new TempDirectory();
        var set = dir.Combine("res", "dgdatasets", "digits");
        Directory.CreateDirectory(set);
        void Pair(string stem, string text)
        {
            File.CreateSymbolicLink(Path.Combine(set, stem + ".wav"), Path.Combine(SharedData.FsddDigits, stem + ".wav"));
            File.WriteAllText(Path.Combine(set, stem + ".txt"), text);
        }
        Pair("1_jackson_1", "one");
        Pair("1_lucas_1", "one");
        Pair("1_george_3", "six");      // wrong: it says "one"
        Pair("1_lucas_2", "one");
        File.WriteAllText(Path.Combine(set, "keep_validate.lst"), "1_lucas_2\n");
        // A copy beside no replay or guard set: the test is about the screen, not the forgetting guards.
        File.Copy(Path.Combine(RepoPaths.Root, "models", "general-en.dg"), dir.Combine("general.dg"));

        _set = set;
        return CliRunner.Run(dir.Path, dir.Combine("res"), "autotrain", "general.dg", "--revisit-count", "1", "--threads", "1",
            "--replay-fraction", "0", "--final-evaluation", "false", "--transcript-screen", screen ? "true" : "false");
    }
}
