// An interrupted autotrain, run again with the same command, resumes from its saved sample count and ends with the
// same model, bit for bit, as a run that was never interrupted (CPU, one thread, fixed seed).
using DgTools.Data;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class AutotrainResumeTests
{
    /// <summary>Cancels the run after the given number of validations (each validation saves the resume state).</summary>
    private sealed class CancelAfterValidations(int validations, CancellationTokenSource cancel) : IRunReporter
    {
        private int _seen;
        public List<string> Lines { get; } = [];
        public void Info(string line)
        {
            Lines.Add(line);
            if (line.Contains("samples remaining:") && ++_seen == validations) cancel.Cancel();
        }
        public void Warning(string line) => Lines.Add("warning: " + line);
        public void Progress(ProgressSnapshot snapshot) { }
    }

    private static AutotrainOptions Options(string model, string output) => new()
    {
        ModelPath = model, OutputDirectory = output, RevisitCount = 8, ValidateEvery = 60, Threads = 1, Seed = 5,
        LearningRate = 3e-3,
    };

    [FsddFact]
    public void Resumed_run_equals_uninterrupted_run()
    {
        using var dir = new TempDirectory();
        var resources = new ResourceDirectory(dir.Combine("res"));
        DigitsResources.Create(resources.Root, "jackson", Enumerable.Range(10, 4), [1]);
        var model = dir.Combine("m.dg");
        ModelFile.Write(model, NewModel.Create("en", "m", NewModel.Preset("tiny"), seed: 5));
        var straight = dir.Combine("straight");
        var resumed = dir.Combine("resumed");
        Directory.CreateDirectory(straight);
        Directory.CreateDirectory(resumed);

        new Autotrain(Options(model, straight), resources, new RecordingReporter()).Run();

        using var cancel = new CancellationTokenSource();
        var first = new CancelAfterValidations(2, cancel);
        var stopped = Assert.Throws<InterruptedError>(() => new Autotrain(Options(model, resumed), resources, first).Run(cancel.Token));
        // Interrupted between steps: the state is saved where the run stood, and nothing is left behind.
        Assert.True(stopped.Resumable);
        Assert.Matches(@"^interrupted at [\d,]+ of [\d,]+ samples; the run is saved and the same command resumes it$", stopped.Message);
        Assert.False(File.Exists(Path.Combine(resumed, "m.last.dg")));
        Assert.False(File.Exists(Path.Combine(resources.TrainMetaDir, "autotrain.lock")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));

        var second = new RecordingReporter();
        var result = new Autotrain(Options(model, resumed), resources, second).Run();
        Assert.True(result.Resumed);
        var resumeLine = Assert.Single(second.Infos, l => l.StartsWith("Resuming the interrupted run at "));
        Assert.Matches(@"^Resuming the interrupted run at [\d,]+ of [\d,]+ samples", resumeLine);
        Assert.DoesNotContain(second.Infos, l => l.StartsWith("Validation accuracy before training"));

        var a = ModelFile.Read(Path.Combine(straight, "m.last.dg"));
        var b = ModelFile.Read(Path.Combine(resumed, "m.last.dg"));
        Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
        foreach (var (name, t) in a.Tensors) Assert.True(t.Data.AsSpan().SequenceEqual(b.Tensors[name].Data), $"tensor {name} differs");
        Assert.Equal(a.Metadata.Provenance.SamplesTrained, b.Metadata.Provenance.SamplesTrained);
        // The same checkpoints, under the same names (countdown and accuracy), survive in both.
        Assert.Equal(Directory.GetFiles(straight).Select(Path.GetFileName).Order(), Directory.GetFiles(resumed).Select(Path.GetFileName).Order());
    }

    [FsddFact]
    public void A_carried_state_continues_the_run_on_another_resource_directory()
    {
        using var dir = new TempDirectory();
        var here = new ResourceDirectory(dir.Combine("here"));
        var there = new ResourceDirectory(dir.Combine("there"));
        foreach (var r in new[] { here, there }) DigitsResources.Create(r.Root, "jackson", Enumerable.Range(10, 4), [1]);
        var model = dir.Combine("m.dg");
        ModelFile.Write(model, NewModel.Create("en", "m", NewModel.Preset("tiny"), seed: 5));
        var straight = dir.Combine("straight");
        Directory.CreateDirectory(straight);
        new Autotrain(Options(model, straight), here, new RecordingReporter()).Run();

        using var cancel = new CancellationTokenSource();
        var interrupted = dir.Combine("interrupted");
        Directory.CreateDirectory(interrupted);
        Assert.Throws<InterruptedError>(() =>
            new Autotrain(Options(model, interrupted), here, new CancelAfterValidations(2, cancel)).Run(cancel.Token));
        var carried = dir.Combine("carried");
        Directory.CreateDirectory(carried);
        foreach (var file in Directory.GetFiles(Directory.GetDirectories(Path.Combine(here.TrainMetaDir, "runs")).Single()))
            File.Copy(file, Path.Combine(carried, Path.GetFileName(file)));

        // Elsewhere: another resource directory, output directory and model file (a new uuid, so a new run key).
        var elsewhere = dir.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var copy = Path.Combine(elsewhere, "m.dg");
        ModelFile.Write(copy, NewModel.Create("en", "m", NewModel.Preset("tiny"), seed: 5));
        var reporter = new RecordingReporter();
        var result = new Autotrain(Options(copy, elsewhere) with { ResumeState = carried }, there, reporter).Run();

        Assert.True(result.Resumed);
        Assert.Contains($"Took over the saved run state in {carried}.", reporter.Infos);
        var a = ModelFile.Read(Path.Combine(straight, "m.last.dg"));
        var b = ModelFile.Read(Path.Combine(elsewhere, "m.last.dg"));
        foreach (var (name, t) in a.Tensors) Assert.True(t.Data.AsSpan().SequenceEqual(b.Tensors[name].Data), $"tensor {name} differs");
    }

    [FsddFact]
    public void Restart_ignores_the_saved_state()
    {
        using var dir = new TempDirectory();
        var resources = new ResourceDirectory(dir.Combine("res"));
        DigitsResources.Create(resources.Root, "jackson", Enumerable.Range(10, 2), [1]);
        var model = dir.Combine("m.dg");
        ModelFile.Write(model, NewModel.Create("en", "m", NewModel.Preset("tiny"), seed: 5));
        using var cancel = new CancellationTokenSource();
        var options = Options(model, dir.Path) with { RevisitCount = 4, ValidateEvery = 40 };
        Assert.Throws<InterruptedError>(() =>
            new Autotrain(options, resources, new CancelAfterValidations(1, cancel)).Run(cancel.Token));
        var again = new RecordingReporter();
        var result = new Autotrain(options with { Restart = true }, resources, again).Run();
        Assert.False(result.Resumed);
        Assert.Contains(again.Infos, l => l.StartsWith("Validation accuracy before training"));
    }
}
