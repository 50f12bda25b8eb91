// The .dg model file: a safetensors file (8-byte little-endian header length, JSON header with dtype/shape/
// data_offsets per tensor and a __metadata__ string map, then raw little-endian data) whose __metadata__ carries
// "dgtools.format" (an integer version), "dgtools.model" (ModelMetadata as JSON) and, from format 2, "dgtools.checksum"
// (ModelChecksum: SHA-256 of the whole file, verified before anything else is trusted). Any safetensors reader opens
// it; opening it never executes code. Writes are atomic (temp file + rename).
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DgTools.Model;

/// <summary>A model as it sits in a file: metadata, named tensors, and other metadata sections kept verbatim.</summary>
public sealed record DgModel(
    ModelMetadata Metadata,
    IReadOnlyDictionary<string, TensorData> Tensors,
    IReadOnlyDictionary<string, string> Sections)
{
    /// <summary>True when the model was read from a file written before checksums (format 1), whose integrity could
    /// not be checked; <see cref="ModelFile.UncheckedNote"/> is what to tell the user.</summary>
    public bool IntegrityUnchecked { get; init; }
}

public static class ModelFile
{
    /// <summary>2: with "dgtools.checksum" (required). Format 1 files (no checksum) are still read.</summary>
    public const int FormatVersion = 2;
    public const int FirstChecksummedFormat = 2;
    public const string FormatKey = "dgtools.format";
    public const string ModelKey = "dgtools.model";
    public const long MaxHeaderBytes = 100_000_000;

    public static void Write(string path, DgModel model)
    {
        var header = new JsonObject();
        var meta = new JsonObject { [FormatKey] = FormatVersion.ToString(), [ModelKey] = model.Metadata.ToJson() };
        foreach (var (key, value) in model.Sections.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (key is FormatKey or ModelKey or ModelChecksum.Key) continue;
            meta[key] = value;
        }
        meta[ModelChecksum.Key] = ModelChecksum.Placeholder;
        header["__metadata__"] = meta;

        long offset = 0;
        var ordered = model.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, t) in ordered)
        {
            var expected = t.ElementCount * TensorData.DTypeSizes[t.DType];
            if (t.Data.LongLength != expected)
                throw new ModelFileError($"tensor '{name}' has {t.Data.LongLength} bytes, its shape needs {expected}", path);
            header[name] = new JsonObject
            {
                ["dtype"] = t.DType,
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + t.Data.LongLength),
            };
            offset += t.Data.LongLength;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString(ModelMetadata.Json));
        // safetensors pads the header with spaces to 8-byte alignment
        var padded = new byte[(json.Length + 7) / 8 * 8];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded.Length);
        ModelChecksum.Seal(padded, [length, padded, .. ordered.Select(t => (ReadOnlyMemory<byte>)t.Value.Data)]);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(length);
            stream.Write(padded);
            foreach (var (_, t) in ordered) stream.Write(t.Data);
        });
    }

    /// <summary>The one line to show when <paramref name="model"/> came from a file without a checksum.</summary>
    public static string? UncheckedNote(DgModel model, string path) => model.IntegrityUnchecked
        ? $"{Path.GetFileName(path)} has no checksum (format 1, written by an older dgtools), so damage to it cannot be detected; files dgtools writes now carry one"
        : null;

    /// <summary>Reads and validates a .dg file. <paramref name="expectedShapes"/> gives, for an architecture, the tensors
    /// it needs; when given, missing, unexpected or mis-shaped tensors are rejected.</summary>
    public static DgModel Read(string path, Func<ModelMetadata, IReadOnlyDictionary<string, long[]>?>? expectedShapes = null)
    {
        if (Directory.Exists(path)) throw new ModelFileError("model path is a directory, not a .dg file", path);
        if (!File.Exists(path)) throw new ModelFileError("model file not found", path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileError($"cannot read model file: {e.Message}", path, e);
        }
        return Parse(bytes, path, expectedShapes);
    }

    /// <summary>The metadata of a .dg file from its header alone, without reading or checking the tensors: for
    /// telling models apart (uuid, name, language) where the weights are not needed.</summary>
    public static ModelMetadata ReadMetadata(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength < 2 || headerLength > MaxHeaderBytes || 8 + (long)headerLength > stream.Length)
                throw new ModelFileError($"not a .dg model file: header length {headerLength} is absurd", path);
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            var model = JsonNode.Parse(header)?["__metadata__"]?[ModelKey]?.GetValue<string>()
                        ?? throw new ModelFileError("not a dgtools model: no dgtools.model in the metadata", path);
            return ModelMetadata.FromJson(model);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            throw new ModelFileError($"cannot read the model's header: {FirstLine(e.Message)}", path, e);
        }
    }

    private static void Materialize(JsonNode? node)
    {
        if (node is JsonObject o) foreach (var (_, v) in o) Materialize(v);
        else if (node is JsonArray a) foreach (var v in a) Materialize(v);
    }

    public static DgModel Parse(byte[] bytes, string path, Func<ModelMetadata, IReadOnlyDictionary<string, long[]>?>? expectedShapes = null)
    {
        ModelFileError Bad(string what) => new(what, path);

        if (bytes.Length < 8) throw Bad("not a .dg model file: too short to be a safetensors file");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes) throw Bad($"not a .dg model file: header length {headerLength} is absurd");
        if (headerLength < 2 || 8 + (long)headerLength > bytes.Length)
            throw Bad($"not a .dg model file: header length {headerLength} runs past the end of the {bytes.Length}-byte file");
        var dataStart = 8 + (int)headerLength;
        var dataLength = bytes.Length - dataStart;

        JsonObject header;
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 8, (int)headerLength);
            header = JsonNode.Parse(text) as JsonObject ?? throw Bad("not a .dg model file: header is not a JSON object");
            Materialize(header); // JsonObject finds duplicate keys lazily (ArgumentException); find them here (fuzz finding)
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException or ArgumentException)
        {
            throw Bad($"not a .dg model file: malformed header JSON ({FirstLine(e.Message)})");
        }
        // Integrity first: a damaged file is named as damaged, not by whichever field the damage happened to hit.
        var checksummed = CheckIntegrity(bytes, (int)headerLength, header, path);

        var entries = new List<(string Name, string DType, long[] Shape, long Begin, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            if (node is not JsonObject t) throw Bad($"tensor '{name}' entry is not an object");
            string dtype; long[] shape; long begin, end;
            try
            {
                dtype = t["dtype"]!.GetValue<string>();
                shape = t["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                var offsets = t["data_offsets"]!.AsArray();
                if (offsets.Count != 2) throw new InvalidOperationException();
                begin = offsets[0]!.GetValue<long>();
                end = offsets[1]!.GetValue<long>();
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or JsonException)
            {
                throw Bad($"tensor '{name}' has a malformed dtype, shape or data_offsets entry");
            }
            if (!TensorData.DTypeSizes.TryGetValue(dtype, out var size)) throw Bad($"tensor '{name}' has unknown dtype '{dtype}'");
            if (shape.Any(d => d < 0)) throw Bad($"tensor '{name}' has a negative dimension");
            if (begin < 0 || end < begin || end > dataLength)
                throw Bad($"tensor '{name}' data offsets [{begin}, {end}] are out of range (data is {dataLength} bytes)");
            long count;
            try { count = shape.Aggregate(1L, (a, b) => checked(a * b)); }
            catch (OverflowException) { throw Bad($"tensor '{name}' shape is too large"); }
            if (end - begin != count * size)
                throw Bad($"tensor '{name}' has {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {count * size}");
            entries.Add((name, dtype, shape, begin, end));
        }
        var byOffset = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        for (var i = 1; i < byOffset.Count; i++)
        {
            if (byOffset[i].Begin < byOffset[i - 1].End)
                throw Bad($"tensors '{byOffset[i - 1].Name}' and '{byOffset[i].Name}' overlap");
        }

        if (header["__metadata__"] is not JsonObject metaNode)
            throw Bad("not a dgtools model: the safetensors file has no __metadata__ (a file from another tool?)");
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metaNode)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var s)) sections[key] = s;
            else throw Bad($"metadata entry '{key}' is not a string");
        }
        if (!sections.TryGetValue(FormatKey, out var formatText))
            throw Bad("not a dgtools model: no dgtools.format in the metadata (a safetensors file from another tool?)");
        if (!int.TryParse(formatText, out var format) || format < 1)
            throw Bad($"invalid dgtools.format '{formatText}'");
        if (format > FormatVersion)
            throw Bad($"model format {format} is newer than this dgtools understands ({FormatVersion}); update dgtools");
        if (!sections.TryGetValue(ModelKey, out var modelJson)) throw Bad("not a dgtools model: no dgtools.model in the metadata");
        ModelMetadata metadata;
        try { metadata = ModelMetadata.FromJson(modelJson); }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw Bad($"malformed dgtools.model metadata ({FirstLine(e.Message)})");
        }
        if (metadata.Languages.Count == 0) throw Bad("model metadata names no language");
        if (metadata.Units.Count != 0 && metadata.Units.Count != metadata.Architecture.NumUnits)
            throw Bad($"model has {metadata.Units.Count} output units but its architecture expects {metadata.Architecture.NumUnits}");
        if (format >= FirstChecksummedFormat && !checksummed)
            throw Bad($"model file is damaged: format {format} needs a {ModelChecksum.Key} entry and it has none");
        sections.Remove(FormatKey);
        sections.Remove(ModelKey);
        sections.Remove(ModelChecksum.Key);

        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var data = bytes.AsSpan(dataStart + (int)e.Begin, (int)(e.End - e.Begin)).ToArray();
            var tensor = new TensorData(e.DType, e.Shape, data);
            if (tensor.IsFloat && tensor.ToFloats().Any(x => !float.IsFinite(x)))
                throw Bad($"tensor '{e.Name}' contains NaN or infinite values");
            tensors[e.Name] = tensor;
        }

        if (expectedShapes?.Invoke(metadata) is { } shapes) CheckArchitecture(tensors, shapes, path);
        return new DgModel(metadata, tensors, sections) { IntegrityUnchecked = !checksummed };
    }

    /// <summary>Verifies the checksum when the header has one (any format); false when it has none.</summary>
    private static bool CheckIntegrity(byte[] bytes, int headerLength, JsonObject header, string path)
    {
        if (header["__metadata__"] is not JsonObject meta || !meta.ContainsKey(ModelChecksum.Key)) return false;
        var value = meta[ModelChecksum.Key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        if (ModelChecksum.Verify(bytes, headerLength, value) is { } problem)
            throw new ModelFileError($"model file is damaged: {problem} (changed since it was written); use an undamaged copy", path);
        return true;
    }

    private static void CheckArchitecture(
        IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, long[]> expected, string path)
    {
        foreach (var (name, shape) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new ModelFileError($"tensor '{name}' is missing for the model's architecture", path);
            if (!t.Shape.SequenceEqual(shape))
                throw new ModelFileError(
                    $"tensor '{name}' has shape [{string.Join(", ", t.Shape)}], the architecture needs [{string.Join(", ", shape)}]", path);
        }
        var extra = tensors.Keys.Where(k => !expected.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).FirstOrDefault();
        if (extra is not null) throw new ModelFileError($"tensor '{extra}' is not part of the model's architecture", path);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
