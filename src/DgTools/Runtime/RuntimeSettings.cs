// Where models run: the device and torch's thread count. One setting for every command that runs a model
// (autotrain, evaluate, transcribe, check): dgtools.toml's [runtime] table gives the defaults, --device and --threads
// override them.
using DgTools.Configuration;
using DgTools.Data;
using TorchSharp;

namespace DgTools.Runtime;

/// <param name="Device">auto | cpu | cuda.</param>
/// <param name="Threads">Torch intra-op threads; 0 means all cores.</param>
public sealed record RuntimeSettings(string Device = "auto", int Threads = 0)
{
    /// <summary>The resource directory's dgtools.toml [runtime], overridden by the flags that were given.</summary>
    public static RuntimeSettings Resolve(ResourceDirectory resources, string? device = null, int? threads = null)
    {
        var file = Settings.Load(resources.ConfigFile);
        if (threads is < 0) throw new OptionError("--threads must be 0 or more");
        return new RuntimeSettings(device ?? file.Device, threads ?? file.Threads);
    }

    /// <summary>Sets torch's threads and returns the device to run on.</summary>
    public torch.Device Apply()
    {
        ComputeDevice.SetThreads(Threads);
        return ComputeDevice.Resolve(Device);
    }
}
