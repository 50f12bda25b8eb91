using System.Buffers.Binary;
using System.Text;
using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Model;

public class ModelFileTests
{
    [Fact]
    public void Round_trip_keeps_tensors_bit_identical_and_metadata_equal()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.dg");
        var model = FormatSamples.Tiny();
        ModelFile.Write(path, model);
        var back = ModelFile.Read(path);

        Assert.Equal(model.Metadata.ToJson(), back.Metadata.ToJson());
        Assert.Equal(model.Tensors.Keys.Order(), back.Tensors.Keys.Order());
        foreach (var (name, t) in model.Tensors)
        {
            Assert.Equal(t.DType, back.Tensors[name].DType);
            Assert.Equal(t.Shape, back.Tensors[name].Shape);
            Assert.Equal(t.Data, back.Tensors[name].Data);
        }
        Assert.Equal("kept verbatim", back.Sections["dgtools.extra"]);
    }

    [Fact]
    public void Header_of_a_fixed_tiny_model_matches_the_golden_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.dg");
        ModelFile.Write(path, FormatSamples.Tiny());
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, length % 8);
        Golden.Assert("tiny-model.header.json", Encoding.UTF8.GetString(bytes, 8, length).TrimEnd(' ') + "\n");
    }

    [Fact]
    public void A_write_that_fails_leaves_the_previous_file_and_no_temp_files()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.dg");
        ModelFile.Write(path, FormatSamples.Tiny());
        var before = File.ReadAllBytes(path);
        var broken = FormatSamples.Tiny() with
        {
            Tensors = new Dictionary<string, TensorData> { ["x"] = new("F32", [4], new byte[3]) },
        };
        Assert.Throws<ModelFileError>(() => ModelFile.Write(path, broken));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Python_standard_library_reads_the_file_with_the_same_names_shapes_and_checksums()
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "Debian's /usr/bin/python3 is needed (scripts/setup.sh installs it)");
        using var dir = new TempDirectory();
        var path = dir.Combine("m.dg");
        var model = FormatSamples.Tiny();
        ModelFile.Write(path, model);

        var psi = new System.Diagnostics.ProcessStartInfo(python,
            [Path.Combine(RepoPaths.Root, "bench", "format", "check_dg.py"), path])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);

        var expected = model.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
            $"{t.Key} {t.Value.DType} [{string.Join(",", t.Value.Shape)}] {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(t.Value.Data))}");
        var lines = output.Trim().Split('\n');
        Assert.Equal($"format 2 name general uuid {FormatSamples.FixedUuid} checksum ok", lines[0]);
        Assert.Equal(expected, lines.Skip(1));
    }
}
