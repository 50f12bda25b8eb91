// Two runs on one resource directory: the second is refused with the first's pid and start time; the lock of a
// SIGKILLed run is taken over; feature-cache readers never see a half-written entry while another writer works.
using System.Globalization;
using DgTools.Audio;
using DgTools.Data;
using DgTools.Reporting;
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Reliability;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class ConcurrencyTests
{
    [FsddFact]
    public void A_second_autotrain_is_refused_naming_the_first_and_a_killed_ones_lock_is_taken_over()
    {
        using var dir = new TempDirectory("dgtools-lock");
        var (work, res) = KillNineHarness.Prepare(dir.Path);
        var lockPath = Path.Combine(res, ".train_meta", "autotrain.lock");
        // A long first run: the harness's short run can finish (and release the lock) before the second one starts.
        var longRun = KillNineHarness.Arguments.Select(a => a == "2" ? "400" : a).ToArray();
        using var first = DgtoolsProcess.Start(work, res, longRun);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        // Wait until the lock names its holder (it is created a moment before its details are written).
        while (TrainingLock.ReadHolder(lockPath) is null && !first.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
        Assert.True(TrainingLock.ReadHolder(lockPath) is not null, "the first run never took the lock:\n" + first.Output);

        var second = CliRunner.Run(work, res, KillNineHarness.Arguments);
        Assert.True(second.ExitCode == 1, $"the second run was not refused (exit {second.ExitCode}).\nsecond:\n{second.Out}{second.Err}\nfirst:\n{first.Output}");
        var line = Assert.Single(second.Err.Split('\n'), l => l.StartsWith("error: "));
        var m = System.Text.RegularExpressions.Regex.Match(line,
            @"^error: another autotrain is running on this resource directory: pid (\d+) on (\S+), started (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC \(dgtools autotrain m\.dg\) \((.+)\)$");
        Assert.True(m.Success, line);
        Assert.Equal(first.Id, int.Parse(m.Groups[1].Value));
        Assert.Equal(Environment.MachineName, m.Groups[2].Value);
        var started = DateTime.ParseExact(m.Groups[3].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(-2), TimeSpan.FromMinutes(3));
        Assert.Equal(lockPath, m.Groups[4].Value);

        first.Kill();
        if (!File.Exists(lockPath)) return; // the first run finished before the kill and released its lock
        Assert.Equal(first.Id, TrainingLock.ReadHolder(lockPath)!.Pid);
        var warnings = new List<string>();
        using (TrainingLock.Acquire(lockPath, "dgtools autotrain again", warnings.Add))
            Assert.Equal(Environment.ProcessId, TrainingLock.ReadHolder(lockPath)!.Pid);
        Assert.Equal($"taking over a stale lock from pid {first.Id}, which is no longer running ({lockPath})", Assert.Single(warnings));
    }

    [Fact]
    public async Task Feature_cache_readers_see_whole_entries_while_another_writer_rewrites_them()
    {
        using var dir = new TempDirectory("dgtools-cache");
        var audio = Enumerable.Range(0, 4).Select(i =>
        {
            var path = dir.Combine($"a{i}.wav");
            File.WriteAllBytes(path, Wav.Tone(0.3 + 0.1 * i));
            return path;
        }).ToList();
        var cacheDir = dir.Combine("cache");
        var expected = audio.Select(a => new FeatureCache(cacheDir, new FeatureConfig(), new RecordingReporter()).GetOrCompute(a).Data).ToList();
        var writer = new FeatureCache(cacheDir, new FeatureConfig(), new RecordingReporter());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var rewrites = 0;
        var writing = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                foreach (var a in audio)
                {
                    File.Delete(writer.EntryPath(File.ReadAllBytes(a))); // forces a recompute and a fresh write
                    writer.GetOrCompute(a);
                    rewrites++;
                }
        });
        var readerReporter = new RecordingReporter();
        var reads = 0;
        Parallel.For(0, 2, _ =>
        {
            var reader = new FeatureCache(cacheDir, new FeatureConfig(), readerReporter);
            while (!stop.IsCancellationRequested)
                for (var i = 0; i < audio.Count; i++)
                {
                    Assert.Equal(expected[i], reader.GetOrCompute(audio[i]).Data);
                    Interlocked.Increment(ref reads);
                }
            Assert.Equal(0, reader.RecoveredCount);
        });
        await writing;
        Assert.Empty(readerReporter.Warnings);
        Assert.True(rewrites > 10 && reads > 10, $"{rewrites} rewrites, {reads} reads");
        Assert.Empty(Directory.GetFiles(cacheDir, "*.tmp", SearchOption.AllDirectories));
    }
}
