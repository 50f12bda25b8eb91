using System.Text.Json;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Training;

public class TrainingLockTests
{
    [Fact]
    public void A_second_holder_is_refused_with_the_first_ones_pid()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(".train_meta", "autotrain.lock");
        using var first = TrainingLock.Acquire(path, "autotrain a.dg");
        var e = Assert.Throws<DgToolsException>(() => TrainingLock.Acquire(path, "autotrain b.dg"));
        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
        Assert.Contains("autotrain a.dg", e.Message);
    }

    [Fact]
    public void Released_lock_can_be_taken_again()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("autotrain.lock");
        TrainingLock.Acquire(path, "a").Dispose();
        Assert.False(File.Exists(path));
        using var again = TrainingLock.Acquire(path, "b");
    }

    [Fact]
    public void A_stale_lock_of_a_dead_process_is_taken_over_with_a_warning()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("autotrain.lock");
        using (var p = System.Diagnostics.Process.Start("true")!) p.WaitForExit();
        var dead = new LockHolder(int.MaxValue - 7, 123, DateTime.UtcNow, Environment.MachineName, "old");
        File.WriteAllText(path, JsonSerializer.Serialize(dead));
        var warnings = new List<string>();
        using var taken = TrainingLock.Acquire(path, "new", warnings.Add);
        Assert.Single(warnings);
        Assert.Contains("stale lock", warnings[0]);
        Assert.Equal(Environment.ProcessId, TrainingLock.ReadHolder(path)!.Pid);
    }

    [Fact]
    public void A_reused_pid_with_another_start_time_is_stale()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("autotrain.lock");
        var impostor = new LockHolder(Environment.ProcessId, 1, DateTime.UtcNow, Environment.MachineName, "old");
        File.WriteAllText(path, JsonSerializer.Serialize(impostor));
        using var taken = TrainingLock.Acquire(path, "new");
        Assert.Equal("new", TrainingLock.ReadHolder(path)!.Command);
    }

    [Fact]
    public void A_fresh_lock_without_details_belongs_to_a_starting_run()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("autotrain.lock");
        File.WriteAllText(path, "");
        var e = Assert.Throws<DgToolsException>(() => TrainingLock.Acquire(path, "b"));
        Assert.Equal("another autotrain is starting on this resource directory", e.Message);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
        var warnings = new List<string>();
        using var taken = TrainingLock.Acquire(path, "b", warnings.Add);
        Assert.StartsWith("removing an unreadable lock file", Assert.Single(warnings));
    }
}
