// The .dg checksum (format 2): a flipped byte anywhere in a file is refused, by the reader and by every command that
// reads models, with one line naming the file; files written before checksums (format 1) still read, with a note.
// The header golden file (ModelFileTests) pins the checksum's value for a fixed model; bench/format/check_dg.py
// recomputes it with Python's hashlib.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DgTools.Model;
using DgTools.Tests.Reliability;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Model;

public class ModelChecksumTests
{
    private const string Damaged = "model file is damaged: ";

    [Fact]
    public void The_checksum_is_the_sha256_of_the_file_with_its_digits_zeroed()
    {
        var bytes = CorruptModelFileTests.WriteToBytes(FormatSamples.Tiny());
        var header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        var at = header.IndexOf("\"dgtools.checksum\":\"sha256:", StringComparison.Ordinal);
        Assert.True(at > 0, header);
        var digitsAt = 8 + at + "\"dgtools.checksum\":\"sha256:".Length;
        var stored = Encoding.ASCII.GetString(bytes, digitsAt, 64);
        var zeroed = (byte[])bytes.Clone();
        zeroed.AsSpan(digitsAt, 64).Fill((byte)'0');
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zeroed)), stored);
        Assert.Contains("\"dgtools.format\":\"2\"", header);
    }

    [Fact]
    public void A_flipped_bit_in_any_byte_of_the_file_is_refused()
    {
        var bytes = CorruptModelFileTests.WriteToBytes(FormatSamples.TinyConformer());
        var accepted = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var bit in new[] { 0x01, 0x80 })
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= (byte)bit;
                try
                {
                    ModelFile.Parse(copy, "m.dg", ModelArchitecture.ExpectedShapes);
                    accepted.Add(i);
                }
                catch (ModelFileError) { }
            }
        }
        Assert.True(accepted.Count == 0, $"{accepted.Count} flips of {bytes.Length * 2} accepted, first at byte {accepted.FirstOrDefault()}");
    }

    [Fact]
    public void A_damaged_weight_is_named_as_damage_not_as_what_it_happens_to_look_like()
    {
        var bytes = CorruptModelFileTests.WriteToBytes(FormatSamples.Tiny());
        var e = Assert.Throws<ModelFileError>(() => ModelFile.Parse(CorruptModelFileTests.FlipByte(bytes, bytes.Length - 20), "x/m.dg"));
        Assert.Equal("error: model file is damaged: its checksum does not match its contents (changed since it was written); use an undamaged copy (x/m.dg)",
            "error: " + e.OneLine);
        // A changed byte in the header (a tag here; in the issue, a language-model count) is damage too.
        var header = Encoding.UTF8.GetString(bytes);
        var digit = header.IndexOf("example", StringComparison.Ordinal);
        Assert.True(digit > 0);
        Assert.StartsWith(Damaged, Assert.Throws<ModelFileError>(() => ModelFile.Parse(CorruptModelFileTests.FlipByte(bytes, digit + 1), "m.dg")).Message);
    }

    [Fact]
    public void A_file_written_before_checksums_still_reads_with_a_note()
    {
        // conformer-4x.dg was written by the format-1 writer (no checksum); the bundled models/*.dg are format 1 too.
        var path = Path.Combine(RepoPaths.SourceFixtures, "Model", "conformer-4x.dg");
        var model = ModelFile.Read(path, ModelArchitecture.ExpectedShapes);
        Assert.True(model.IntegrityUnchecked);
        using var dir = new TempDirectory();
        var r = CliRunner.Run(dir.Path, dir.Combine("res"), "modelinfo", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("note: conformer-4x.dg has no checksum (format 1, written by an older dgtools), so damage to it cannot be detected; files dgtools writes now carry one\n", r.Err);

        // Written again, it carries one.
        ModelFile.Write(dir.Combine("again.dg"), model);
        Assert.False(ModelFile.Read(dir.Combine("again.dg")).IntegrityUnchecked);
        Assert.Equal("", CliRunner.Run(dir.Path, dir.Combine("res"), "modelinfo", "again.dg").Err);
    }

    [Fact]
    public void Sections_and_tensors_added_later_are_covered_without_the_reader_knowing_them()
    {
        var model = FormatSamples.Tiny() with
        {
            Sections = new Dictionary<string, string> { ["dgtools.calibration"] = "[0.1, 0.9]" },
            Tensors = new Dictionary<string, TensorData>(FormatSamples.Tiny().Tensors) { ["frontend.weight"] = TensorData.FromFloats([2], [1f, 2f]) },
        };
        var bytes = CorruptModelFileTests.WriteToBytes(model);
        Assert.Equal("[0.1, 0.9]", ModelFile.Parse(bytes, "m.dg").Sections["dgtools.calibration"]);
        var section = Encoding.UTF8.GetString(bytes).IndexOf("0.9", StringComparison.Ordinal);
        Assert.StartsWith(Damaged, Assert.Throws<ModelFileError>(() => ModelFile.Parse(CorruptModelFileTests.FlipByte(bytes, section), "m.dg")).Message);
    }

    public static TheoryData<string> Commands() => ["modelinfo", "makedeployable", "transcribe", "evaluate", "check", "autotrain", "init"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_that_reads_a_model_refuses_a_damaged_one_with_one_line(string command)
    {
        using var scene = new BadInputScene();
        scene.GoodPair("a");
        var bytes = File.ReadAllBytes(scene.Model);
        File.WriteAllBytes(scene.Model, CorruptModelFileTests.FlipByte(bytes, bytes.Length / 2));
        string[] args = command switch
        {
            "transcribe" => ["transcribe", scene.Model, Path.Combine(scene.Set, "a.wav")],
            "init" => ["init", "new.dg", "--encoder-from", scene.Model],
            _ => [command, scene.Model],
        };
        var r = BadInputTests.RunUnchanged(scene, args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {Damaged}its checksum does not match its contents (changed since it was written); use an undamaged copy ({scene.Model})",
            Assert.Single(r.Err.Split('\n'), l => l.StartsWith("error: ")));
        Assert.DoesNotContain("Created", r.Out);
    }
}
