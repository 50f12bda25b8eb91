// autotrain end to end on a temp resource directory: real spoken digits (../shared), a tiny model the test creates,
// the guide's output files, modelinfo on them, and a model that really learned.
using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class AutotrainEndToEndTests(ITestOutputHelper output)
{
    [FsddFact]
    public void Trains_writes_the_guides_files_and_learns()
    {
        using var dir = new TempDirectory();
        var res = dir.Combine("res");
        DigitsResources.Create(res, "george", Enumerable.Range(10, 8), [1, 2]);
        Assert.Equal(0, CliRunner.Run(dir.Path, res, "init", "digits.dg", "--size", "tiny", "--seed", "3").ExitCode);

        var r = CliRunner.Run(dir.Path, res, "autotrain", "digits.dg", "--revisit-count", "60", "--threads", "1",
            "--learning-rate", "3e-3", "--seed", "3");
        output.WriteLine(r.Out);
        output.WriteLine(r.Err);
        Assert.Equal(0, r.ExitCode);

        var files = Directory.GetFiles(dir.Path, "*.dg").Select(Path.GetFileName).Order().ToList();
        Assert.Contains("digits.last.dg", files);
        Assert.Equal(2, files.Count(f => f!.StartsWith("digits.best.")));
        Assert.InRange(files.Count(f => f!.StartsWith("digits.checkpoint.")), 0, 2);
        Assert.All(files.Where(f => f!.StartsWith("digits.best.")), f => Assert.Matches(@"^digits\.best\.\d+\.\d{1,4}\.dg$", f));
        Assert.Contains("Added 10 new vocabulary words:", r.Out);
        Assert.Contains("samples remaining", r.Out);
        Assert.Matches(@"Time: \d+:\d\d:\d\d — model steps [\d.]+%, loading features [\d.]+%, validation [\d.]+%", r.Out);

        var last = ModelFile.Read(dir.Combine("digits.last.dg"), ModelArchitecture.ExpectedShapes);
        Assert.Equal(0, last.Metadata.Provenance.SamplesTrained % 60);
        Assert.Equal(["digits"], last.Metadata.Provenance.Datasets);
        // An untrained model's first words are its base vocabulary, not "added" words.
        Assert.Empty(last.Metadata.AddedWords);
        Assert.Equal(10, DgTools.Language.ModelLexicon.Read(last)!.VocabularySize);
        var history = last.Metadata.History;
        var firstLoss = history.Skip(1).First().TrainLoss!.Value;
        var lastLoss = history[^1].TrainLoss!.Value;
        output.WriteLine($"loss {firstLoss:F2} → {lastLoss:F2}; accuracy {history[0].ValidationAccuracy:P0} → {history[^1].ValidationAccuracy:P0}");
        Assert.True(lastLoss < 0.5 * firstLoss, $"loss fell only from {firstLoss:F2} to {lastLoss:F2}");
        Assert.True(history[^1].ValidationAccuracy >= history[0].ValidationAccuracy + 0.3,
            $"held-out word accuracy went from {history[0].ValidationAccuracy:P0} to {history[^1].ValidationAccuracy:P0}");

        var info = CliRunner.Run(dir.Path, res, "modelinfo", "digits.last.dg");
        Assert.StartsWith("Model is trainable but not deployable.\n", info.Out);
        Assert.False(File.Exists(Path.Combine(res, ".train_meta", "autotrain.lock")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(res, ".train_meta", "runs")));
    }

    [Fact]
    public void Training_a_trained_model_records_the_words_it_adds()
    {
        using var dir = new TempDirectory();
        var res = dir.Combine("res");
        Directory.CreateDirectory(Path.Combine(res, "dgdatasets"));
        File.CreateSymbolicLink(Path.Combine(res, "dgdatasets", "pharmacy"), Path.Combine(RepoPaths.Root, "demo", "dgdatasets", "pharmacy"));
        var fresh = NewModel.Create("en", "general", NewModel.Preset("tiny"), seed: 1);
        var trained = fresh with { Metadata = fresh.Metadata with { Provenance = fresh.Metadata.Provenance with { SamplesTrained = 1 } } };
        ModelFile.Write(dir.Combine("general.dg"), trained);

        var r = CliRunner.Run(dir.Path, res, "autotrain", "general.dg", "--revisit-count", "1", "--threads", "1");
        Assert.Equal(0, r.ExitCode);
        var added = File.ReadAllLines(Path.Combine(RepoPaths.Root, "demo", "added-words.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var last = ModelFile.Read(dir.Combine("general.last.dg"));
        Assert.Matches(@"Added \d+ new vocabulary words: ", r.Out);
        Assert.All(added, w => Assert.Contains(w, last.Metadata.AddedWords));
    }

    [Fact]
    public void An_untrainable_model_is_refused()
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("m.dg"), FormatSamples.TinyConformer(trainable: false, deployable: true));
        var r = CliRunner.Run(dir.Path, dir.Combine("res"), "autotrain", "m.dg");
        Assert.Equal((1, $"error: model is not trainable ({dir.Combine("m.dg")})\n"), (r.ExitCode, r.Err));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
