// A reader for the parts of an ONNX model file the speech-embedding port needs: the graph's nodes (operator, inputs,
// outputs, integer/float attributes) and its float32 initialisers. ONNX files are Protocol Buffers messages; this reads
// the wire format directly (varints, fixed32/64, length-delimited fields) for the few fields used:
//   ModelProto.graph = 7; GraphProto.node = 1, initializer = 5;
//   NodeProto.input = 1, output = 2, op_type = 4, attribute = 5; AttributeProto.name = 1, f = 2, i = 3, t = 5, ints = 8;
//   TensorProto.dims = 1, data_type = 2 (1 = float32, 7 = int64), float_data = 4, int64_data = 7, name = 8, raw_data = 9.
// Anything else is skipped. Malformed input raises ModelFileError naming the file.
using System.Buffers.Binary;
using System.Text;

namespace DgTools.Model.SpeechEmbedding;

/// <summary>One ONNX tensor: its shape and values (float32 tensors as floats, int64 ones as longs).</summary>
public sealed record OnnxTensor(string Name, long[] Shape, float[]? Floats, long[]? Longs);

/// <summary>One graph node: operator, input and output names, attributes (ints as longs, floats, tensors).</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, long[]> Ints, IReadOnlyDictionary<string, float> Floats, IReadOnlyDictionary<string, OnnxTensor> Tensors);

public sealed record OnnxGraph(IReadOnlyList<OnnxNode> Nodes, IReadOnlyDictionary<string, OnnxTensor> Initializers)
{
    public static OnnxGraph Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileError($"cannot read ONNX file: {e.Message}", path);
        }
        try { return Parse(bytes); }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new ModelFileError($"not a readable ONNX model ({e.Message})", path);
        }
    }

    public static OnnxGraph Parse(ReadOnlyMemory<byte> model)
    {
        var graph = Fields(model).Where(f => f.Number == 7).Select(f => f.Bytes).LastOrDefault();
        if (graph.IsEmpty) throw new FormatException("no graph");
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var field in Fields(graph))
        {
            if (field.Number == 1) nodes.Add(ParseNode(field.Bytes));
            else if (field.Number == 5) { var t = ParseTensor(field.Bytes); initializers[t.Name] = t; }
        }
        return new OnnxGraph(nodes, initializers);
    }

    /// <summary>The float32 initialiser <paramref name="name"/>.</summary>
    public OnnxTensor Initializer(string name) =>
        Initializers.TryGetValue(name, out var t) && t.Floats is not null ? t
            : throw new FormatException($"no float initialiser '{name}'");

    private static OnnxNode ParseNode(ReadOnlyMemory<byte> node)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = "";
        var ints = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var floats = new Dictionary<string, float>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var f in Fields(node))
        {
            switch (f.Number)
            {
                case 1: inputs.Add(Text(f.Bytes)); break;
                case 2: outputs.Add(Text(f.Bytes)); break;
                case 4: op = Text(f.Bytes); break;
                case 5:
                    var name = "";
                    var values = new List<long>();
                    float? value = null;
                    OnnxTensor? tensor = null;
                    foreach (var a in Fields(f.Bytes))
                    {
                        if (a.Number == 1) name = Text(a.Bytes);
                        else if (a.Number == 2 && a.WireType == 5) value = BitConverter.Int32BitsToSingle((int)a.Value);
                        else if (a.Number == 3 && a.WireType == 0) values.Add((long)a.Value);
                        else if (a.Number == 5) tensor = ParseTensor(a.Bytes);
                        else if (a.Number == 8) values.AddRange(Varints(a));
                    }
                    if (values.Count > 0) ints[name] = values.ToArray();
                    if (value is { } v) floats[name] = v;
                    if (tensor is not null) tensors[name] = tensor;
                    break;
            }
        }
        return new OnnxNode(op, inputs, outputs, ints, floats, tensors);
    }

    private static OnnxTensor ParseTensor(ReadOnlyMemory<byte> tensor)
    {
        var dims = new List<long>();
        var type = 0L;
        var name = "";
        ReadOnlyMemory<byte>? raw = null;
        var floatData = new List<float>();
        var longData = new List<long>();
        foreach (var f in Fields(tensor))
        {
            switch (f.Number)
            {
                case 1: dims.AddRange(Varints(f)); break;
                case 2: type = (long)f.Value; break;
                case 4:
                    if (f.WireType == 5) floatData.Add(BitConverter.Int32BitsToSingle((int)f.Value));
                    else for (var i = 0; i + 4 <= f.Bytes.Length; i += 4) floatData.Add(BinaryPrimitives.ReadSingleLittleEndian(f.Bytes.Span[i..]));
                    break;
                case 7: longData.AddRange(Varints(f)); break;
                case 8: name = Text(f.Bytes); break;
                case 9: raw = f.Bytes; break;
            }
        }
        var count = dims.Aggregate(1L, (a, b) => checked(a * b));
        float[]? floats = null;
        long[]? longs = null;
        if (type == 1)
        {
            floats = raw is { } r ? Enumerable.Range(0, r.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(r.Span[(i * 4)..])).ToArray()
                : floatData.ToArray();
            if (floats.Length != count) throw new FormatException($"tensor '{name}' holds {floats.Length} floats, its shape needs {count}");
        }
        else if (type == 7)
        {
            longs = raw is { } r ? Enumerable.Range(0, r.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(r.Span[(i * 8)..])).ToArray()
                : longData.ToArray();
            if (longs.Length != count) throw new FormatException($"tensor '{name}' holds {longs.Length} int64 values, its shape needs {count}");
        }
        return new OnnxTensor(name, dims.ToArray(), floats, longs);
    }

    private readonly record struct Field(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Bytes);

    private static IEnumerable<long> Varints(Field f)
    {
        if (f.WireType == 0) { yield return (long)f.Value; yield break; }
        var position = 0;
        while (position < f.Bytes.Length) yield return (long)ReadVarint(f.Bytes.Span, ref position);
    }

    private static List<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var result = new List<Field>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var key = ReadVarint(span, ref position);
            var (number, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: result.Add(new Field(number, wire, ReadVarint(span, ref position), default)); break;
                case 1: result.Add(new Field(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(span[position..]), default)); position += 8; break;
                case 5: result.Add(new Field(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(span[position..]), default)); position += 4; break;
                case 2:
                    var length = checked((int)ReadVarint(span, ref position));
                    if (length < 0 || position + length > span.Length) throw new FormatException("a field runs past the end of its message");
                    result.Add(new Field(number, wire, 0, message.Slice(position, length)));
                    position += length;
                    break;
                default: throw new FormatException($"unsupported protobuf wire type {wire}");
            }
        }
        return result;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = span[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return result;
        }
        throw new FormatException("varint longer than 10 bytes");
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
