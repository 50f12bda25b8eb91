// The bridge between TorchSharp tensors and the .dg file's TensorData (F32 in memory; F16/BF16/F64 in files are
// widened to F32 on the way in).
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Model;

public static class TorchTensorData
{
    /// <summary>Copies a float32 or int64 tensor (any device) into file form.</summary>
    public static TensorData ToTensorData(Tensor tensor)
    {
        // Weights and optimizer moments are contiguous CPU tensors: read them in place, one copy, no temporary tensors
        // (a checkpoint or resume state copies every tensor of the model, and per-tensor overhead dominated for small ones).
        if (tensor.device_type == DeviceType.CPU && tensor.is_contiguous()) return Copy(tensor);
        using var detached = tensor.detach();
        using var contiguous = detached.contiguous();
        using var cpu = contiguous.cpu();
        return Copy(cpu);
    }

    private static TensorData Copy(Tensor cpu) => cpu.dtype switch
    {
        ScalarType.Float32 => new TensorData("F32", cpu.shape, cpu.bytes.ToArray()),
        ScalarType.Int64 => new TensorData("I64", cpu.shape, cpu.bytes.ToArray()),
        var other => throw new ArgumentException($"tensors of dtype {other} are not stored"),
    };

    /// <summary>A new CPU tensor: float32 for any floating dtype, int64 for I64.</summary>
    public static Tensor ToTensor(TensorData data) => data.DType switch
    {
        "I64" => tensor(MemoryMarshal.Cast<byte, long>(data.Data).ToArray(), data.Shape),
        _ when data.IsFloat => tensor(data.ToFloats(), data.Shape),
        var other => throw new ModelFileError($"tensor of dtype {other} cannot be loaded into a model"),
    };

    public static Dictionary<string, TensorData> ToTensorData(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.ToDictionary(t => t.Key, t => ToTensorData(t.Value));

    /// <summary>New CPU tensors; the caller disposes them (or lets a dispose scope do it).</summary>
    public static Dictionary<string, Tensor> ToTensors(IReadOnlyDictionary<string, TensorData> tensors) =>
        tensors.ToDictionary(t => t.Key, t => ToTensor(t.Value));
}
