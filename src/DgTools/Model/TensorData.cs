namespace DgTools.Model;

/// <summary>One named tensor as stored in a .dg file: safetensors dtype name, shape, raw little-endian bytes.</summary>
public sealed record TensorData(string DType, long[] Shape, byte[] Data)
{
    public static readonly IReadOnlyDictionary<string, int> DTypeSizes = new Dictionary<string, int>
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public static TensorData FromFloats(long[] shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        return new TensorData("F32", shape, bytes);
    }

    /// <summary>Values as float32, converting from F16/BF16/F64 where needed.</summary>
    public float[] ToFloats()
    {
        var n = checked((int)ElementCount);
        var result = new float[n];
        switch (DType)
        {
            case "F32":
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Data).CopyTo(result);
                break;
            case "F16":
                for (var i = 0; i < n; i++) result[i] = (float)BitConverter.ToHalf(Data, i * 2);
                break;
            case "BF16":
                for (var i = 0; i < n; i++) result[i] = BitConverter.Int32BitsToSingle(BitConverter.ToUInt16(Data, i * 2) << 16);
                break;
            case "F64":
                for (var i = 0; i < n; i++) result[i] = (float)BitConverter.ToDouble(Data, i * 8);
                break;
            default:
                throw new InvalidOperationException($"tensor of dtype {DType} is not floating point");
        }
        return result;
    }

    public bool IsFloat => DType is "F32" or "F16" or "BF16" or "F64";
}
