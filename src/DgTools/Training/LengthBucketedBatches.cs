// Batches of similar length bounded by padded frames (batch size × longest utterance), not by a fixed count: short
// utterances travel in large batches, long ones in small ones, and every step costs about the same.
namespace DgTools.Training;

public sealed record BatchingOptions
{
    /// <summary>Upper bound on batch size × longest utterance in frames (10 ms each). 12,000 = 2 min of padded audio.</summary>
    public int MaxFramesPerBatch { get; init; } = 12_000;

    /// <summary>Largest number of utterances in one batch.</summary>
    public int MaxUtterancesPerBatch { get; init; } = 256;

    /// <summary>Relative length jitter before sorting, so batches differ from epoch to epoch.</summary>
    public double LengthJitter { get; init; } = 0.1;

    /// <summary>Curriculum (SortaGrad): the first epoch runs its batches shortest first instead of shuffled.</summary>
    public bool ShortestFirstFirstEpoch { get; init; }
}

public static class LengthBucketedBatches
{
    /// <summary>The batches of one epoch: each a list of utterance indices. Depends only on the inputs.</summary>
    public static IReadOnlyList<int[]> PlanEpoch(IUtteranceSource source, BatchingOptions options, long seed, int epoch)
    {
        var random = new Random(SeedSequence.Derive(seed, SeedSequence.Batches, epoch));
        var jittered = new double[source.Count];
        var order = new int[source.Count];
        for (var i = 0; i < source.Count; i++)
        {
            order[i] = i;
            jittered[i] = source.FramesOf(i) * (1 + options.LengthJitter * (2 * random.NextDouble() - 1));
        }
        Array.Sort(jittered, order);

        var batches = new List<int[]>();
        var current = new List<int>();
        var longest = 0;
        foreach (var index in order)
        {
            var frames = source.FramesOf(index);
            var wouldBe = Math.Max(longest, frames) * (current.Count + 1);
            if (current.Count > 0 && (wouldBe > options.MaxFramesPerBatch || current.Count >= options.MaxUtterancesPerBatch))
            {
                batches.Add([.. current]);
                current.Clear();
                longest = 0;
            }
            current.Add(index);
            longest = Math.Max(longest, frames);
        }
        if (current.Count > 0) batches.Add([.. current]);

        if (!(options.ShortestFirstFirstEpoch && epoch == 0)) random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batches));
        return batches;
    }
}
