// Before work starts autotrain checks that it can write its output and resource directories and that they have room;
// a resource disk that fills while features are cached stops the run (resumably: what was cached stays) instead of
// skipping every file that no longer fits and training on the rest. Real file systems: small tmpfs mounts.
using DgTools.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DgTools.Tests.Reliability;

public class StorageTests(ITestOutputHelper output)
{
    [TmpfsFact]
    public void A_read_only_output_directory_is_refused_before_any_work()
    {
        using var scene = new BadInputScene();
        scene.GoodPair("a");
        var readOnly = Path.Combine(scene.Work, "ro");
        Tmpfs.Mount(readOnly, "ro,size=1m");
        try
        {
            var before = TreeSnapshot.Take(scene.Res);
            var r = CliRunner.Run(readOnly, scene.Res, "autotrain", scene.Model);
            output.WriteLine(r.Out + r.Err);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"error: cannot write to the output directory (read-only file system); autotrain writes its checkpoints and final model there (run it from a writable directory) ({readOnly})",
                Assert.Single(r.Err.Split('\n'), l => l.StartsWith("error: ")));
            Assert.DoesNotContain("data set", r.Out);   // refused before discovery
            before.AssertUnchangedBy(TreeSnapshot.Take(scene.Res));
        }
        finally { Tmpfs.Unmount(readOnly); }
    }

    [TmpfsFact]
    public void An_output_directory_without_room_for_a_model_is_refused_before_any_work()
    {
        using var scene = new BadInputScene();
        scene.GoodPair("a");
        var small = Path.Combine(scene.Work, "small");
        Tmpfs.Mount(small, "size=1200k");   // the tiny model is ~0.96 MB; a run needs room for it and its temp copy
        try
        {
            var r = CliRunner.Run(small, scene.Res, "autotrain", scene.Model);
            output.WriteLine(r.Out + r.Err);
            Assert.Equal(1, r.ExitCode);
            Assert.Matches(@"^error: not enough free space for the output directory: [\d.]+ MB free, writing one model beside its temporary copy needs 1\.9 MB \(free space, then run the same command again\) \(" +
                           System.Text.RegularExpressions.Regex.Escape(small) + @"\)$", Assert.Single(r.Err.Split('\n'), l => l.StartsWith("error: ")));
            Assert.Empty(Directory.GetFileSystemEntries(small));
        }
        finally { Tmpfs.Unmount(small); }
    }

    [TmpfsFact]
    public void A_resource_disk_that_fills_while_caching_features_stops_the_run_resumably()
    {
        using var scene = new BadInputScene();
        // 40 recordings of 10 s: ~13 MB of features, on a 9 MB resource disk that passes the start-up check (~7.7 MB).
        var data = Path.Combine(scene.Work, "data");
        Directory.CreateDirectory(data);
        var tone = Wav.Tone(10);
        for (var i = 0; i < 40; i++)
        {
            File.WriteAllBytes(Path.Combine(data, $"r{i:00}.wav"), tone.Select((b, j) => j == 100 + i ? (byte)(b ^ 1) : b).ToArray());
            File.WriteAllText(Path.Combine(data, $"r{i:00}.txt"), "one two three");
        }
        var res = Path.Combine(scene.Work, "res");
        Tmpfs.Mount(res, "size=9m");
        try
        {
            Directory.CreateDirectory(Path.Combine(res, "dgdatasets"));
            File.CreateSymbolicLink(Path.Combine(res, "dgdatasets", "s"), data);
            var r = CliRunner.Run(scene.Work, res, "autotrain", scene.Model);
            output.WriteLine(r.Out + r.Err);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"error: the resource directory's disk filled up while caching audio features: free space, then run the same command again (the features cached so far are kept) ({res}/.features_cache)",
                Assert.Single(r.Err.Split('\n'), l => l.StartsWith("error: ")));
            Assert.DoesNotContain("warning:", r.Err);          // no file was skipped for want of space
            Assert.DoesNotContain("Training samples", r.Out);  // and nothing was trained
            Assert.Empty(Directory.GetFiles(res, "*.tmp", SearchOption.AllDirectories));
            Assert.False(File.Exists(Path.Combine(res, ".train_meta", "autotrain.lock")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(res, ".features_cache"), "*.fbk", SearchOption.AllDirectories));
        }
        finally { Tmpfs.Unmount(res); }
    }
}
