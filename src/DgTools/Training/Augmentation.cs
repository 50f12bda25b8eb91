// Training-time augmentation on cached features. Speed perturbation is done as a time stretch of the feature frames
// (linear interpolation between frames) rather than by resampling audio: the features come from the cache, so audio
// speed perturbation would mean re-extracting features every epoch, and the stretch gives the tempo variation at the
// cost of a few microseconds per utterance (it does not shift formants as audio speed change does).
namespace DgTools.Training;

public sealed record AugmentationOptions
{
    /// <summary>Tempo factor range; 1.1 makes an utterance 10 % shorter. 1 and 1 turn it off.</summary>
    public double MinSpeed { get; init; } = 0.9;
    public double MaxSpeed { get; init; } = 1.1;

    public int FrequencyMasks { get; init; } = 2;
    public int MaxFrequencyMaskWidth { get; init; } = 15;

    /// <summary>Time masks per 100 frames (rounded down, at least one when this is above 0).</summary>
    public double TimeMasksPer100Frames { get; init; } = 1.0;
    public int MaxTimeMaskWidth { get; init; } = 20;
    /// <summary>Never mask more than this share of an utterance's frames.</summary>
    public double MaxTimeMaskedFraction { get; init; } = 0.2;

    public static AugmentationOptions None { get; } = new()
    {
        MinSpeed = 1, MaxSpeed = 1, FrequencyMasks = 0, TimeMasksPer100Frames = 0,
    };
}

public static class Augmentation
{
    /// <summary>A new, augmented copy (the input is not changed).</summary>
    public static Utterance Apply(Utterance utterance, AugmentationOptions options, Random random)
    {
        var speed = options.MinSpeed + (options.MaxSpeed - options.MinSpeed) * random.NextDouble();
        var result = speed == 1.0 ? utterance with { Features = (float[])utterance.Features.Clone() } : TimeStretch(utterance, speed);
        MaskInPlace(result, options, random);
        return result;
    }

    public static Utterance TimeStretch(Utterance utterance, double speed)
    {
        var dim = utterance.FeatureDim;
        var frames = Math.Max(1, (int)Math.Round(utterance.Frames / speed));
        var output = new float[frames * dim];
        var source = utterance.Features;
        for (var t = 0; t < frames; t++)
        {
            var position = frames == 1 ? 0 : t * (utterance.Frames - 1) / (double)(frames - 1);
            var lower = (int)position;
            var upper = Math.Min(lower + 1, utterance.Frames - 1);
            var w = (float)(position - lower);
            for (var f = 0; f < dim; f++)
                output[t * dim + f] = (1 - w) * source[lower * dim + f] + w * source[upper * dim + f];
        }
        return utterance with { Features = output, Frames = frames };
    }

    /// <summary>SpecAugment: zero whole bands of bins and spans of frames (features are mean-normalised, so 0 is the mean).</summary>
    public static void MaskInPlace(Utterance utterance, AugmentationOptions options, Random random)
    {
        var (dim, frames, x) = (utterance.FeatureDim, utterance.Frames, utterance.Features);
        for (var m = 0; m < options.FrequencyMasks; m++)
        {
            var width = random.Next(0, Math.Min(options.MaxFrequencyMaskWidth, dim) + 1);
            var start = random.Next(0, dim - width + 1);
            for (var t = 0; t < frames; t++) Array.Clear(x, t * dim + start, width);
        }
        if (options.TimeMasksPer100Frames <= 0) return;
        var masks = Math.Max(1, (int)(frames * options.TimeMasksPer100Frames / 100));
        var budget = (int)(frames * options.MaxTimeMaskedFraction);
        for (var m = 0; m < masks && budget > 0; m++)
        {
            var width = random.Next(0, Math.Min(options.MaxTimeMaskWidth, budget) + 1);
            var start = random.Next(0, frames - width + 1);
            Array.Clear(x, start * dim, width * dim);
            budget -= width;
        }
    }
}
