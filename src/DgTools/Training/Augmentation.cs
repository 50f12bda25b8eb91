// Training-time augmentation on cached features. Speed perturbation is done as a time stretch of the feature frames
// (linear interpolation between frames) rather than by resampling audio: the features come from the cache, so audio
// speed perturbation would mean re-extracting features every epoch, and the stretch gives the tempo variation at the
// cost of a few microseconds per utterance (it does not shift formants as audio speed change does). The formant
// shift a different speaker brings is the frequency warp (vocal-tract-length perturbation) on the mel bins.
using DgTools.Audio;

namespace DgTools.Training;

public sealed record AugmentationOptions
{
    /// <summary>Tempo factor range; 1.1 makes an utterance 10 % shorter. 1 and 1 turn it off.</summary>
    public double MinSpeed { get; init; } = 0.9;
    public double MaxSpeed { get; init; } = 1.1;

    /// <summary>
    /// Vocal-tract-length perturbation: each utterance's frequency axis is scaled by a factor drawn from
    /// [1 − w, 1 + w] (0: off). Stands in for speakers the training voices do not cover (Jaitly and Hinton 2013).
    /// </summary>
    public double MaxFrequencyWarp { get; init; }

    /// <summary>
    /// Share of utterances heard as if through a narrower channel: the mel bins above a cut-off drawn from 3.4–5.5 kHz
    /// (telephone to 11 kHz game audio) are set to 0, which is what an empty band becomes after per-utterance
    /// normalisation. Synthetic speech then also comes band-limited, so an empty top band does not tell real voices
    /// apart (0: off).
    /// </summary>
    public double BandLimitProbability { get; init; }

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
    /// <summary>A new, augmented copy (the input is not changed). The frequency warp and masks act on the first
    /// <paramref name="spectralBins"/> columns (the mel bins; default: all), not on a speech-embedding stream after them.</summary>
    public static Utterance Apply(Utterance utterance, AugmentationOptions options, Random random, int? spectralBins = null)
    {
        var speed = options.MinSpeed + (options.MaxSpeed - options.MinSpeed) * random.NextDouble();
        var result = speed == 1.0 ? utterance with { Features = (float[])utterance.Features.Clone() } : TimeStretch(utterance, speed);
        // Drawn only when on, so runs without it keep their random stream (and their resume states) unchanged.
        if (options.MaxFrequencyWarp > 0)
            result = FrequencyWarp(result, 1 + options.MaxFrequencyWarp * (2 * random.NextDouble() - 1), spectralBins: spectralBins);
        if (options.BandLimitProbability > 0 && random.NextDouble() < options.BandLimitProbability)
            BandLimitInPlace(result, 3400 + 2100 * random.NextDouble(), spectralBins: spectralBins);
        MaskInPlace(result, options, random, spectralBins);
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

    /// <summary>
    /// Scales the frequency axis by <paramref name="factor"/> (above 1: formants move up, as from a shorter vocal
    /// tract): each mel bin takes the value found at its centre frequency ÷ factor, interpolated between neighbouring
    /// bins. As in VTLP the warp bends at 4.8 kHz so that Nyquist maps onto Nyquist and no band is lost off the top.
    /// </summary>
    public static Utterance FrequencyWarp(Utterance utterance, double factor, int sampleRate = 16000, int? spectralBins = null)
    {
        var stride = utterance.FeatureDim;
        var dim = spectralBins ?? stride;
        var (source, weight) = WarpMap(dim, factor, sampleRate);
        var input = utterance.Features;
        var output = (float[])input.Clone();
        for (var t = 0; t < utterance.Frames; t++)
        {
            var row = t * stride;
            for (var m = 0; m < dim; m++)
            {
                var upper = Math.Min(source[m] + 1, dim - 1);
                output[row + m] = (1 - weight[m]) * input[row + source[m]] + weight[m] * input[row + upper];
            }
        }
        return utterance with { Features = output };
    }

    /// <summary>Sets the mel bins whose centre lies above <paramref name="cutoffHz"/> to 0 (an empty band, normalised).</summary>
    public static void BandLimitInPlace(Utterance utterance, double cutoffHz, int sampleRate = 16000, int? spectralBins = null)
    {
        var dim = utterance.FeatureDim;
        var bins = spectralBins ?? dim;
        var step = FbankExtractor.MelStep(bins, sampleRate);
        var first = FbankExtractor.Mel(FbankExtractor.LowFrequency);
        var from = Enumerable.Range(0, bins).FirstOrDefault(m => FbankExtractor.HzOfMel(first + (m + 1) * step) > cutoffHz, bins);
        for (var t = 0; t < utterance.Frames; t++) Array.Clear(utterance.Features, t * dim + from, bins - from);
    }

    /// <summary>For each output bin: the source bin at or below its warped position and the weight of the one above.</summary>
    private static (int[] Lower, float[] Weight) WarpMap(int bins, double factor, int sampleRate)
    {
        // VTLP's piecewise-linear map with α = 1 / factor: f·α up to the knee, then a straight line to (Nyquist, Nyquist).
        const double bend = 4800;
        var alpha = 1 / factor;
        var nyquist = 0.5 * sampleRate;
        var knee = bend * Math.Min(alpha, 1) / alpha;
        var step = FbankExtractor.MelStep(bins, sampleRate);
        var melLow = FbankExtractor.Mel(FbankExtractor.LowFrequency);
        var lower = new int[bins];
        var weight = new float[bins];
        for (var m = 0; m < bins; m++)
        {
            var hz = FbankExtractor.HzOfMel(melLow + (m + 1) * step);
            var from = hz <= knee ? hz * alpha
                : nyquist - (nyquist - bend * Math.Min(alpha, 1)) / (nyquist - knee) * (nyquist - hz);
            var position = Math.Clamp((FbankExtractor.Mel(Math.Max(from, 0)) - melLow) / step - 1, 0, bins - 1);
            lower[m] = (int)position;
            weight[m] = (float)(position - lower[m]);
        }
        return (lower, weight);
    }

    /// <summary>SpecAugment: zero whole bands of bins and spans of frames (features are mean-normalised, so 0 is the mean).</summary>
    public static void MaskInPlace(Utterance utterance, AugmentationOptions options, Random random, int? spectralBins = null)
    {
        var (dim, frames, x) = (utterance.FeatureDim, utterance.Frames, utterance.Features);
        var bins = spectralBins ?? dim;
        for (var m = 0; m < options.FrequencyMasks; m++)
        {
            var width = random.Next(0, Math.Min(options.MaxFrequencyMaskWidth, bins) + 1);
            var start = random.Next(0, bins - width + 1);
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
