// The front end: 2× per stage in time and frequency. A full 3×3 convolution first (1 input channel is cheap), then
// depthwise-separable stages, because a full C×C 3×3 convolution here would cost more than the whole encoder.
// Frames past each utterance's length are zeroed after every stage so padding never leaks into real frames.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Model;

internal sealed class SubsamplingStage : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d depthwise;
    private readonly Conv2d pointwise;

    public SubsamplingStage(int channels) : base(nameof(SubsamplingStage))
    {
        depthwise = nn.Conv2d(channels, channels, 3, stride: 2, padding: 1, groups: channels);
        pointwise = nn.Conv2d(channels, channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.relu(pointwise.call(depthwise.call(x)));
}

internal sealed class ConvSubsampling : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Conv2d conv0;
    private readonly ModuleList<SubsamplingStage> stages;
    private readonly Linear proj;

    public ConvSubsampling(ModelConfig config) : base(nameof(ConvSubsampling))
    {
        var channels = config.SubsamplingChannels;
        conv0 = nn.Conv2d(1, channels, 3, stride: 2, padding: 1);
        stages = new ModuleList<SubsamplingStage>();
        var frequencies = Halve(config.InputDim);
        for (var factor = 4; factor <= config.Subsampling; factor *= 2)
        {
            stages.Add(new SubsamplingStage(channels));
            frequencies = Halve(frequencies);
        }
        proj = nn.Linear(channels * frequencies, config.DModel);
        RegisterComponents();
    }

    /// <summary>Length after one stride-2, padding-1, kernel-3 stage.</summary>
    public static long Halve(long length) => (length + 1) / 2;

    public static int Halve(int length) => (length + 1) / 2;

    public static long[] Halve(long[] lengths) => lengths.Select(Halve).ToArray();

    /// <param name="features">(B, T, F) log-mel frames.</param>
    /// <param name="lengths">(B) valid frames per utterance, int64 on the CPU.</param>
    /// <returns>(B, T / subsampling, DModel).</returns>
    public override Tensor forward(Tensor features, Tensor lengthTensor)
    {
        var lengths = lengthTensor.cpu().data<long>().ToArray();
        var x = features.unsqueeze(1);
        lengths = Halve(lengths);
        x = nn.functional.relu(conv0.call(x));
        x = x.mul(TimeMask(lengths, x.shape[2], x.device));
        foreach (var stage in stages)
        {
            lengths = Halve(lengths);
            x = stage.call(x);
            x = x.mul(TimeMask(lengths, x.shape[2], x.device));
        }
        var (b, c, t, f) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        return proj.call(x.permute(0, 2, 1, 3).reshape(b, t, c * f));
    }

    /// <summary>(B, 1, frames, 1) float: 1 for real frames, 0 for padding.</summary>
    private static Tensor TimeMask(long[] lengths, long frames, Device device)
    {
        var mask = new float[lengths.Length * frames];
        for (var b = 0; b < lengths.Length; b++) Array.Fill(mask, 1f, (int)(b * frames), (int)Math.Min(lengths[b], frames));
        return tensor(mask, [lengths.Length, 1, frames, 1], device: device);
    }
}
