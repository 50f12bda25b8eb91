// A minimal safetensors reader/writer for tests and benchmarks (F32 and I64 only), used to exchange weights with
// the PyTorch reference. The product reads and writes .dg files through DgTools.Model.ModelFile instead.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Tests.Model;

internal static class SafetensorsTestFile
{
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var data = bytes.AsSpan(8 + headerLength);
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString()!;
                continue;
            }
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var slice = data[offsets[0]..offsets[1]];
            tensors[entry.Name] = entry.Value.GetProperty("dtype").GetString() switch
            {
                "F32" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(slice).ToArray(), shape),
                "I64" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(slice).ToArray(), shape),
                var other => throw new InvalidDataException($"dtype {other} not supported by the test reader"),
            };
        }
        return (tensors, metadata);
    }

    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            using var detached = t.detach();            // each step held while the next may copy from it
            using var onDevice = detached.contiguous();
            using var contiguous = onDevice.cpu();
            var (dtype, blob) = contiguous.dtype switch
            {
                ScalarType.Float32 => ("F32", System.Runtime.InteropServices.MemoryMarshal.AsBytes(contiguous.data<float>().ToArray().AsSpan()).ToArray()),
                ScalarType.Int64 => ("I64", System.Runtime.InteropServices.MemoryMarshal.AsBytes(contiguous.data<long>().ToArray().AsSpan()).ToArray()),
                var other => throw new InvalidDataException($"dtype {other} not supported by the test writer"),
            };
            header[name] = new { dtype, shape = contiguous.shape, data_offsets = new[] { offset, offset + blob.Length } };
            blobs.Add(blob);
            offset += blob.Length;
        }
        if (metadata is not null) header["__metadata__"] = metadata;
        var text = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = text.Concat(Enumerable.Repeat((byte)' ', (8 - text.Length % 8) % 8)).ToArray();
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded.Length);
        file.Write(length);
        file.Write(padded);
        foreach (var blob in blobs) file.Write(blob);
    }
}
