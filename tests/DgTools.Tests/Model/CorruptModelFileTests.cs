using System.Text;
using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Model;

/// <summary>Every corrupt or foreign file is refused by `modelinfo` with one line naming the file, exit 1.</summary>
public class CorruptModelFileTests
{
    private static byte[] Raw(string header, byte[]? data = null, ulong? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new List<byte>(BitConverter.GetBytes(declaredLength ?? (ulong)h.Length));
        bytes.AddRange(h);
        bytes.AddRange(data ?? []);
        return bytes.ToArray();
    }

    private static string ValidMeta(string format = "1", string? model = null)
    {
        model ??= FormatSamples.Tiny().Metadata.ToJson();
        return $"\"__metadata__\":{{\"dgtools.format\":\"{format}\",\"dgtools.model\":{System.Text.Json.JsonSerializer.Serialize(model)}}}";
    }

    private static readonly string TwoUnits = (FormatSamples.Tiny().Metadata with { Units = ["<blank>", "a"] }).ToJson();

    private static byte[] WithFloat(float value)
    {
        var header = $"{{{ValidMeta()},\"w\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}}}";
        return Raw(header, BitConverter.GetBytes(value));
    }

    public static TheoryData<string, byte[], string> Cases()
    {
        var data = new TheoryData<string, byte[], string>
        {
            { "empty", [], "not a .dg model file: too short to be a safetensors file" },
            { "five-bytes", [1, 2, 3, 4, 5], "not a .dg model file: too short to be a safetensors file" },
            { "absurd-header", Raw("{}", declaredLength: 200_000_000), "not a .dg model file: header length 200000000 is absurd" },
            { "header-past-end", Raw("{}", declaredLength: 5000), "not a .dg model file: header length 5000 runs past the end of the 10-byte file" },
            { "malformed-json", Raw("{\"a\": [1, 2"), "not a .dg model file: malformed header JSON" },
            { "json-array", Raw("[1, 2, 3]"), "not a .dg model file: header is not a JSON object" },
            { "bad-utf8", Raw("{\"\xff\":1}").Select((b, i) => i == 10 ? (byte)0xff : b).ToArray(), "not a .dg model file: malformed header JSON" },
            { "offsets-out-of-range", Raw($"{{{ValidMeta()},\"w\":{{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}}}", new byte[4]),
                "tensor 'w' data offsets [0, 8] are out of range (data is 4 bytes)" },
            { "overlapping", Raw($"{{{ValidMeta()},\"a\":{{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}},\"b\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}}}", new byte[8]),
                "tensors 'a' and 'b' overlap" },
            { "unknown-dtype", Raw($"{{{ValidMeta()},\"w\":{{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}}}", new byte[1]),
                "tensor 'w' has unknown dtype 'Q4'" },
            { "size-mismatch", Raw($"{{{ValidMeta()},\"w\":{{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}}}", new byte[8]),
                "tensor 'w' has 8 bytes but shape [3] of F32 needs 12" },
            { "foreign-safetensors", Raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "not a dgtools model: the safetensors file has no __metadata__ (a file from another tool?)" },
            { "foreign-metadata", Raw("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "not a dgtools model: no dgtools.format in the metadata (a safetensors file from another tool?)" },
            { "newer-format", Raw($"{{{ValidMeta(format: "7")}}}"), "model format 7 is newer than this dgtools understands (2); update dgtools" },
            { "invalid-format", Raw($"{{{ValidMeta(format: "one")}}}"), "invalid dgtools.format 'one'" },
            { "malformed-model-json", Raw($"{{{ValidMeta(model: "{\"name\": 3")}}}"), "malformed dgtools.model metadata" },
            { "metadata-not-string", Raw("{\"__metadata__\":{\"dgtools.format\":1}}"), "metadata entry 'dgtools.format' is not a string" },
            { "units-mismatch", Raw($"{{{ValidMeta(model: TwoUnits)}}}"),
                "model has 2 output units but its architecture expects 3" },
            { "nan-weights", WithFloat(float.NaN), "tensor 'w' contains NaN or infinite values" },
            { "inf-weights", WithFloat(float.PositiveInfinity), "tensor 'w' contains NaN or infinite values" },
            { "tensors-of-another-architecture", WriteToBytes(FormatSamples.Tiny()), "tensor 'ctc_head.bias' is missing for the model's architecture" },
            { "checksum-mismatch", FlipByte(WriteToBytes(FormatSamples.Tiny()), ^3), "model file is damaged: its checksum does not match its contents (changed since it was written); use an undamaged copy" },
            { "checksum-malformed", Raw($"{{{ValidMeta(format: "2")[..^1]},\"dgtools.checksum\":\"md5:1234\"}}}}"),
                "model file is damaged: its checksum entry 'md5:1234' is not sha256:<64 lowercase hex digits>" },
            { "format-2-without-checksum", Raw($"{{{ValidMeta(format: "2")}}}"), "model file is damaged: format 2 needs a dgtools.checksum entry and it has none" },
            { "riff-wav-renamed", Encoding.ASCII.GetBytes("RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x80\x3e\0\0"), "not a .dg model file: header length" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Modelinfo_rejects_with_one_line_and_exit_1(string name, byte[] content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine($"{name}.dg");
        File.WriteAllBytes(path, content);
        var result = CliRunner.Run(dir.Path, dir.Combine("res"), "modelinfo", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        var lines = result.Err.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith($"error: {expected}", lines[0]);
        Assert.EndsWith($"({path})", lines[0]);
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_directory_and_a_missing_file_are_named()
    {
        using var dir = new TempDirectory();
        var missing = CliRunner.Run(dir.Path, dir.Path, "modelinfo", "nope.dg");
        Assert.Equal((1, $"error: model file not found ({dir.Combine("nope.dg")})\n"), (missing.ExitCode, missing.Err));
        var directory = CliRunner.Run(dir.Path, dir.Path, "modelinfo", dir.Path);
        Assert.Equal((1, $"error: model path is a directory, not a .dg file ({dir.Path})\n"), (directory.ExitCode, directory.Err));
    }

    [Fact]
    public void Architecture_check_names_missing_and_misshapen_tensors()
    {
        var bytes = WriteToBytes(FormatSamples.Tiny());
        var missing = Assert.Throws<ModelFileError>(() => ModelFile.Parse(bytes, "m.dg",
            _ => new Dictionary<string, long[]> { ["encoder.weight"] = [2, 3], ["head.bias"] = [3], ["steps"] = [1], ["extra"] = [1] }));
        Assert.Equal("tensor 'extra' is missing for the model's architecture", missing.Message);
        var shape = Assert.Throws<ModelFileError>(() => ModelFile.Parse(bytes, "m.dg",
            _ => new Dictionary<string, long[]> { ["encoder.weight"] = [3, 2], ["head.bias"] = [3], ["steps"] = [1] }));
        Assert.Equal("tensor 'encoder.weight' has shape [2, 3], the architecture needs [3, 2]", shape.Message);
        var extra = Assert.Throws<ModelFileError>(() => ModelFile.Parse(bytes, "m.dg",
            _ => new Dictionary<string, long[]> { ["encoder.weight"] = [2, 3], ["head.bias"] = [3] }));
        Assert.Equal("tensor 'steps' is not part of the model's architecture", extra.Message);
    }

    internal static byte[] FlipByte(byte[] bytes, Index at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x01;
        return copy;
    }

    internal static byte[] WriteToBytes(DgModel model)
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("m.dg"), model);
        return File.ReadAllBytes(dir.Combine("m.dg"));
    }
}
