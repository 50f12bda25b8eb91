using DgTools.Audio;
using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Training;

public class BandLimitTests
{
    [Fact]
    public void BandLimitEmptiesTheMelBinsAboveTheCutoffOnly()
    {
        var features = Enumerable.Range(0, 5 * 176).Select(i => 1f + i % 7).ToArray();
        var utterance = new Utterance(features, 5, [1]);
        Augmentation.BandLimitInPlace(utterance, 4000, spectralBins: 80);
        // Bin centres of the 80-bin mel scale: 4 kHz falls near bin 55 (mel 2146 of 2840 at 8 kHz).
        var first = Enumerable.Range(0, 80).First(m => utterance.Features[m] == 0);
        Assert.InRange(FbankExtractor.HzOfMel(FbankExtractor.Mel(FbankExtractor.LowFrequency) + (first + 1) * FbankExtractor.MelStep(80, 16000)), 4000, 4100);
        for (var t = 0; t < 5; t++)
        {
            Assert.All(Enumerable.Range(first, 80 - first), m => Assert.Equal(0f, utterance.Features[t * 176 + m]));
            Assert.All(Enumerable.Range(0, first), m => Assert.NotEqual(0f, utterance.Features[t * 176 + m]));
            Assert.All(Enumerable.Range(80, 96), d => Assert.NotEqual(0f, utterance.Features[t * 176 + d])); // the stream is untouched
        }
    }

    [Fact]
    public void ApplyBandLimitsTheGivenShareOfUtterances()
    {
        var options = AugmentationOptions.None with { BandLimitProbability = 0.3 };
        var random = new Random(1);
        var limited = Enumerable.Range(0, 400).Count(_ =>
        {
            var u = Augmentation.Apply(new Utterance(Enumerable.Repeat(1f, 3 * 80).ToArray(), 3, [1]), options, random, 80);
            return u.Features[79] == 0;
        });
        Assert.InRange(limited, 90, 150);
    }
}
