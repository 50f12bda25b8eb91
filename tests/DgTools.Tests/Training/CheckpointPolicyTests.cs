using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Training;

public class CheckpointPolicyTests
{
    [Fact]
    public void Names_follow_the_guide()
    {
        var p = new CheckpointPolicy("general");
        Assert.Equal("general.best.1000.842.dg", p.Record(1000, 0.8421).Write);
        Assert.Equal("general.last.dg", p.LastFileName);
    }

    [Fact]
    public void Keeps_the_best_two_and_the_last_two_others()
    {
        var p = new CheckpointPolicy("m");
        var deleted = new List<string>();
        // remaining, accuracy
        (long, double)[] evals = [(900, 0.10), (800, 0.30), (700, 0.20), (600, 0.25), (500, 0.50), (400, 0.15), (300, 0.12)];
        var writes = new List<string>();
        foreach (var (r, a) in evals)
        {
            var d = p.Record(r, a);
            writes.Add(d.Write!);
            deleted.AddRange(d.Delete);
        }
        Assert.Equal(
            ["m.best.900.100.dg", "m.best.800.300.dg", "m.best.700.200.dg", "m.best.600.250.dg", "m.best.500.500.dg",
             "m.checkpoint.400.150.dg", "m.checkpoint.300.120.dg"], writes);
        Assert.Equal(["m.best.900.100.dg", "m.best.700.200.dg", "m.best.600.250.dg"], deleted);
        Assert.Equal(["m.best.500.500.dg", "m.best.800.300.dg", "m.checkpoint.300.120.dg", "m.checkpoint.400.150.dg"],
            p.Entries.Select(e => e.FileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_two_other_checkpoints_survive()
    {
        var p = new CheckpointPolicy("m");
        p.Record(100, 0.9);
        p.Record(90, 0.95);
        var deleted = Enumerable.Range(0, 5).SelectMany(i => p.Record(80 - i, 0.5).Delete).ToList();
        Assert.Equal(["m.checkpoint.80.500.dg", "m.checkpoint.79.500.dg", "m.checkpoint.78.500.dg"], deleted);
        Assert.Equal(4, p.Entries.Count);
    }

    [Fact]
    public void Restored_entries_carry_on()
    {
        var first = new CheckpointPolicy("m");
        first.Record(10, 0.4);
        first.Record(9, 0.6);
        var resumed = new CheckpointPolicy("m", first.Entries);
        var d = resumed.Record(8, 0.5);
        Assert.Equal(["m.best.10.400.dg"], d.Delete);
    }

    [Theory]
    [InlineData("general.dg", "general")]
    [InlineData("/x/y/general.last.dg", "general.r2")]
    [InlineData("general.r2.last.dg", "general.r3")]
    [InlineData("general.best.1000.842.dg", "general.best.1000.842")]
    public void Output_stem_never_overwrites_the_input(string input, string stem) =>
        Assert.Equal(stem, CheckpointPolicy.StemFor(input));
}
