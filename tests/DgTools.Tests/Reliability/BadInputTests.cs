// The bad-input suite: every input a customer can get wrong, run through the CLI in-process. Each case asserts the
// exact error line and exit code, the exact warning line when the input is skipped rather than fatal, no stack
// trace, and that neither the resource directory nor the current directory changed (hashes before and after).
// Corrupt .dg files are the 22 cases of Model/CorruptModelFileTests (through modelinfo); they run here again through
// autotrain. docs/reliability.md lists every case with its message.
using DgTools.Tests.Model;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Reliability;

/// <param name="Warning">The warning lines expected (without their time stamps, '\n' between them), or null for none.</param>
public sealed record BadInput(string Name, Action<BadInputScene> Arrange, Func<BadInputScene, string[]> Args, int ExitCode,
    string Error, string? Warning = null);

public class BadInputTests
{
    private const string NoPair = "data set 's' has no usable audio/transcript pair ({set})";
    private const string Skipped = "no training samples: every training file was skipped (see the warnings above) ({res})";
    private const string AllValidate = "no training samples: every usable pair is in the validation split ({res})";
    private static readonly Func<BadInputScene, string[]> Autotrain = s => ["autotrain", s.Model];

    private static BadInput Audio(string name, string file, byte[] bytes, string problem) =>
        new(name, s => { s.Write(file, bytes); s.Write(Path.ChangeExtension(file, ".txt"), "one two"); }, Autotrain, 1, NoPair,
            $"{{set}}/{file}: {problem}; skipped");

    /// <summary>Input dgtools must accept: the pair is used (no warning), and the run stops on purpose before training.</summary>
    private static BadInput Accepted(string name, Action<BadInputScene> arrange, params string[] stems) =>
        new(name, s => { arrange(s); s.ValidateOnly(stems); }, Autotrain, 1, AllValidate);

    public static readonly IReadOnlyList<BadInput> All =
    [
        // Audio: the bad file is skipped with one warning; the set, left with nothing, stops the run.
        Audio("wav-cut-inside-header", "a.wav", Wav.Tone(0.5)[..30], "cannot decode audio: fmt chunk is too short"),
        Audio("wav-fmt-size-too-small", "a.wav", Wav.Build(1, 1, 16000, 16, new byte[3200], fmtSize: 8), "cannot decode audio: fmt chunk is too short"),
        Audio("wav-zero-samples", "a.wav", Wav.Build(1, 1, 16000, 16, []), "audio file has no samples"),
        new("wav-data-size-past-end", s => { s.Write("a.wav", Wav.Build(1, 1, 16000, 16, new byte[2], dataSize: 32000)); s.Write("a.txt", "one two"); },
            Autotrain, 1, Skipped, "audio too short for one feature frame; skipped ({set}/a.wav)"),
        new("wav-nan-samples", s => { s.Write("a.wav", Wav.Floats(Enumerable.Repeat(float.NaN, 8000).ToArray())); s.Write("a.txt", "one two"); },
            Autotrain, 1, Skipped, "audio has NaN or infinite samples; skipped ({set}/a.wav)"),
        new("wav-infinite-samples", s => { s.Write("a.wav", Wav.Floats([.. Enumerable.Repeat(0.1f, 7999), float.NegativeInfinity])); s.Write("a.txt", "one two"); },
            Autotrain, 1, Skipped, "audio has NaN or infinite samples; skipped ({set}/a.wav)"),
        Audio("text-renamed-wav", "a.wav", Wav.Ascii("hello, this is not audio\n"), "cannot decode audio: Invalid data found when processing input"),
        Audio("wav-adpcm-codec", "a.wav", Wav.Build(2, 1, 16000, 4, new byte[4000]), "cannot decode audio: unsupported WAV encoding 2 with 4 bits"),
        Audio("wav-sample-rate-zero", "a.wav", Wav.Build(1, 1, 0, 16, new byte[3200]), "cannot decode audio: implausible sample rate 0 Hz"),
        Audio("wav-zero-channels", "a.wav", Wav.Build(1, 0, 16000, 16, new byte[3200]), "cannot decode audio: zero channels"),
        Audio("wav-data-before-fmt", "a.wav", Wav.Build(1, 1, 16000, 16, new byte[3200], dataFirst: true), "cannot decode audio: data chunk before fmt chunk"),
        Audio("wav-empty-file", "a.wav", [], "audio file is empty"),
        Audio("mp3-garbage", "a.mp3", Wav.Ascii(new string('x', 2000)), "cannot decode audio: Invalid argument"),
        Audio("ogg-garbage", "a.ogg", Wav.Ascii("OggS" + new string('\0', 200)), "cannot decode audio: End of file"),
        Audio("flac-garbage", "a.flac", Wav.Ascii("fLaC" + new string('\x01', 100)), "cannot decode audio: Invalid data found when processing input"),
        new("directory-named-wav", s => { Directory.CreateDirectory(Path.Combine(s.Set, "a.wav")); s.Write("a.txt", "one two"); },
            Autotrain, 1, NoPair, "{set}/a.txt: no audio file with the same name; skipped"),
        new("symlink-loop", s => { File.CreateSymbolicLink(Path.Combine(s.Set, "a.wav"), Path.Combine(s.Set, "a.wav")); s.Write("a.txt", "one two"); },
            Autotrain, 1, NoPair, "{set}/a.wav: cannot read audio file: Too many levels of symbolic links : '{set}/a.wav'; skipped"),
        new("dangling-symlink", s => { File.CreateSymbolicLink(Path.Combine(s.Set, "a.wav"), "/nonexistent/a.wav"); s.Write("a.txt", "one two"); },
            Autotrain, 1, NoPair, "{set}/a.wav: cannot read audio file: Could not find file '{set}/a.wav'.; skipped"),
        new("audio-without-transcript", s => s.Write("a.wav", Wav.Tone(0.5)), Autotrain, 1, NoPair, "{set}/a.wav: no transcript (a.txt); skipped"),
        new("empty-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", ""); }, Autotrain, 1, NoPair, "{set}/a.txt: transcript is empty; skipped"),
        new("punctuation-only-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", " ... !? \n"); },
            Autotrain, 1, NoPair, "{set}/a.txt: transcript is empty after normalisation; skipped"),
        new("utf16-bom-garbage-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", Wav.Ascii("\xff\xfe\xfd\x80")); },
            Autotrain, 1, NoPair, "{set}/a.txt:1: character '能' (U+80FD) cannot be written with en units; dropped\n{set}/a.txt: transcript is empty after normalisation; skipped"),
        new("latin1-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", Wav.Ascii("caf\xe9 one")); },
            Autotrain, 1, NoPair, "{set}/a.txt: cannot read transcript: not UTF-8 text (save it as UTF-8); skipped"),
        Accepted("bom-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", [0xef, 0xbb, 0xbf, .. "one two"u8]); }, "a"),
        Accepted("utf16-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", [0xff, 0xfe, .. System.Text.Encoding.Unicode.GetBytes("one two")]); }, "a"),
        Accepted("crlf-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", "one\r\ntwo\r\n"); }, "a"),
        Accepted("huge-single-line-transcript", s => { s.Write("a.wav", Wav.Tone(0.5)); s.Write("a.txt", string.Concat(Enumerable.Repeat("seven ", 400_000))); }, "a"),
        Accepted("extremely-long-file-name", s => s.GoodPair(new string('n', 250)), new string('n', 250)),
        Accepted("file-names-with-spaces-and-unicode", s => s.GoodPair("mañana por la tarde"), "mañana por la tarde"),

        // Folder links that lead back into the set: skipped with a warning, never followed (they counted one
        // recording as 41 pairs; two of them hung autotrain).
        new("directory-link-to-its-own-folder", s => { s.GoodPair("a"); s.ValidateOnly("a"); Directory.CreateSymbolicLink(Path.Combine(s.Set, "sub"), "."); },
            Autotrain, 1, AllValidate, "{set}/sub: links to a folder the data set already has ({set}); skipped"),
        new("two-directory-links-to-its-own-folder", s => { s.GoodPair("a"); s.ValidateOnly("a"); Directory.CreateSymbolicLink(Path.Combine(s.Set, "x"), "."); Directory.CreateSymbolicLink(Path.Combine(s.Set, "y"), s.Set); },
            Autotrain, 1, AllValidate, "{set}/x: links to a folder the data set already has ({set}); skipped\n{set}/y: links to a folder the data set already has ({set}); skipped"),
        new("directory-link-loop", s => { s.GoodPair("a"); s.ValidateOnly("a"); Directory.CreateSymbolicLink(Path.Combine(s.Set, "p"), "q"); Directory.CreateSymbolicLink(Path.Combine(s.Set, "q"), "p"); },
            Autotrain, 1, AllValidate),   // links that resolve to nothing are not folders: ignored like any non-audio file

        // Data sets.
        new("no-datasets-folder", s => Directory.Delete(Path.Combine(s.Res, "dgdatasets"), true), Autotrain, 1,
            "no data sets: {res}/dgdatasets does not exist (copy data sets into it, one folder each) ({res}/dgdatasets)"),
        new("no-dataset-subfolders", s => Directory.Delete(s.Set), Autotrain, 1,
            "no data sets: the folder has no data set subfolders ({res}/dgdatasets)"),
        new("empty-dataset", _ => { }, Autotrain, 1, NoPair),
        new("dataset-location-missing", _ => { }, s => ["autotrain", s.Model, "--dataset-locations", s.Work + "/nowhere"], 1, "dataset location '{work}/nowhere' does not exist ({work}/nowhere)"),
        new("datasets-lst-unknown-set", s => File.WriteAllText(Path.Combine(s.Res, "datasets.lst"), "/dgtraining:nope\n"),
            s => ["autotrain", s.Model, "--dataset-locations", "/dgtraining/datasets.lst"], 1,
            "data set 'nope' of '/dgtraining:nope' not found (looked in {res}/dgdatasets/nope and {res}/nope)"),
        new("datasets-lst-dotdot-escape", s => { Directory.CreateDirectory(s.Outside); File.WriteAllBytes(Path.Combine(s.Outside, "a.wav"), Wav.Tone(0.5)); File.WriteAllText(Path.Combine(s.Res, "datasets.lst"), "/dgtraining/../outside\n"); },
            s => ["autotrain", s.Model, "--dataset-locations", "/dgtraining/datasets.lst"], 1, "dataset location '/dgtraining/../outside' points outside the resource directory ({outside})"),
        new("datasets-lst-set-name-escape", s => { Directory.CreateDirectory(s.Outside); File.WriteAllText(Path.Combine(s.Res, "datasets.lst"), "/dgtraining:../../outside\n"); },
            s => ["autotrain", s.Model, "--dataset-locations", "/dgtraining/datasets.lst"], 1, "data set name '../../outside' in '/dgtraining:../../outside' is not a folder name"),
        new("datasets-lst-includes-itself", s => File.WriteAllText(Path.Combine(s.Res, "datasets.lst"), "/dgtraining/datasets.lst\n"),
            s => ["autotrain", s.Model, "--dataset-locations", "/dgtraining/datasets.lst"], 1, "dataset location lists nest too deeply at '/dgtraining/datasets.lst'"),
        new("datasets-lst-empty", s => File.WriteAllText(Path.Combine(s.Res, "datasets.lst"), "# nothing yet\n\n"),
            s => ["autotrain", s.Model, "--dataset-locations", "/dgtraining/datasets.lst"], 1, "dataset location '/dgtraining/datasets.lst' names no data sets ({res}/datasets.lst)"),
        new("two-datasets-same-name", s => { s.GoodPair("a"); Directory.CreateDirectory(Path.Combine(s.Outside, "s")); File.WriteAllBytes(Path.Combine(s.Outside, "s", "b.wav"), Wav.Tone(0.5)); File.WriteAllText(Path.Combine(s.Res, "datasets.lst"), $"/dgtraining:s\n{s.Outside}/s\n"); },
            s => ["autotrain", s.Model, "--dataset-locations", "/dgtraining/datasets.lst"], 1, "two data sets are both named 's' ({set} and {outside}/s); rename one ({outside}/s)"),
        new("keep-list-unknown-id", s => { s.GoodPair("a"); s.ValidateOnly("a", "ghost"); }, Autotrain, 1, AllValidate,
            "{set}/keep_validate.lst: 'ghost' names no usable file in data set 's'; ignored"),
        new("split-file-garbage", s => { s.GoodPair("a"); Directory.CreateDirectory(Path.Combine(s.Res, ".train_meta")); File.WriteAllBytes(Path.Combine(s.Res, ".train_meta", "datasetsplits.meta_jm"), [0x00, 0x01, 0xff]); },
            Autotrain, 1, "not a dgtools split file (delete it to reset the splits) ({res}/.train_meta/datasetsplits.meta_jm)"),
        new("split-file-newer-version", s => { s.GoodPair("a"); Directory.CreateDirectory(Path.Combine(s.Res, ".train_meta")); File.WriteAllText(Path.Combine(s.Res, ".train_meta", "datasetsplits.meta_jm"), "dgtools-datasetsplits 9\n"); },
            Autotrain, 1, "split file version 9 is not supported (this dgtools reads version 1) ({res}/.train_meta/datasetsplits.meta_jm)"),
        new("malformed-dgtools-toml", s => File.WriteAllText(Path.Combine(s.Res, "dgtools.toml"), "[runtime\nthreads = = 2\n"), Autotrain, 1, "malformed dgtools.toml: (1,9) : error : Expected `]` but was `␤`. ({res}/dgtools.toml)"),
        new("guard-dataset-missing", s => s.GoodPair("a"), s => ["autotrain", s.Model, "--guard-dataset", "no-guard"], 1,
            "guard data set directory not found ({work}/no-guard)"),

        // Model files (the 22 corrupt-format cases run below through autotrain).
        new("model-missing", _ => { }, s => ["autotrain", Path.Combine(s.Work, "absent.dg")], 1, "model file not found ({work}/absent.dg)"),
        new("model-is-a-directory", s => Directory.CreateDirectory(Path.Combine(s.Work, "d.dg")), s => ["autotrain", Path.Combine(s.Work, "d.dg")], 1,
            "model path is a directory, not a .dg file ({work}/d.dg)"),
        new("model-not-trainable", s => ModelFileBytes.Write(Path.Combine(s.Work, "x.dg"), trainable: false), s => ["autotrain", Path.Combine(s.Work, "x.dg")], 1,
            "model is not trainable ({work}/x.dg)"),
        new("model-of-another-language", s => ModelFileBytes.Write(Path.Combine(s.Work, "ko.dg"), language: "ko"), s => ["autotrain", Path.Combine(s.Work, "ko.dg")], 1,
            "no data sets: {res}/ko/dgdatasets does not exist (copy data sets into it, one folder each) ({res}/ko/dgdatasets)"),
        new("model-empty-file-with-spaces", s => File.WriteAllBytes(Path.Combine(s.Work, "my model.dg"), []), s => ["modelinfo", Path.Combine(s.Work, "my model.dg")], 1,
            "not a .dg model file: too short to be a safetensors file ({work}/my model.dg)"),

        // Command-line arguments.
        new("unknown-subcommand", _ => { }, _ => ["frobnicate"], 2, "unknown subcommand 'frobnicate'"),
        new("negative-revisit-count", _ => { }, s => ["autotrain", s.Model, "--revisit-count", "-3"], 2, "--revisit-count must be at least 1"),
        new("revisit-count-not-a-number", _ => { }, s => ["autotrain", s.Model, "--revisit-count", "many"], 2, "--revisit-count needs a whole number, not 'many'"),
        new("negative-threads", _ => { }, s => ["autotrain", s.Model, "--threads", "-1"], 2, "--threads must be 0 or more"),
        new("zero-learning-rate", _ => { }, s => ["autotrain", s.Model, "--learning-rate", "0"], 2, "--learning-rate must be positive"),
        new("zero-validate-every", _ => { }, s => ["autotrain", s.Model, "--validate-every", "0"], 2, "--validate-every must be at least 1"),
        new("unknown-device", s => s.GoodPair("a"), s => ["autotrain", s.Model, "--device", "tpu"], 1, "unknown device 'tpu'; use auto, cpu or cuda"),
        new("unknown-option", _ => { }, s => ["autotrain", s.Model, "--frobnicate"], 2, "Unrecognized command or argument '--frobnicate'."),
        new("missing-model-argument", _ => { }, _ => ["autotrain"], 2, "Required argument missing for command: 'autotrain'."),
        new("missing-path-with-spaces", _ => { }, s => ["autotrain", Path.Combine(s.Work, "my models", "m 1.dg")], 1, "model file not found ({work}/my models/m 1.dg)"),
        new("overlong-path", _ => { }, s => ["autotrain", s.Model, "--dataset-locations", "/tmp/" + new string('x', 300)], 1, $"dataset location '/tmp/{new string('x', 300)}' does not exist (/tmp/{new string('x', 300)})"),
        new("init-unsupported-language", _ => { }, _ => ["init", "new.dg", "--lang", "xx"], 2, "unsupported language 'xx' (supported: en, es, nl, ko)"),
        new("init-unknown-size", _ => { }, _ => ["init", "new.dg", "--size", "huge"], 1, "unknown model size 'huge'; use tiny or small"),
        new("init-over-existing-file", _ => { }, _ => ["init", "m.dg", "--size", "tiny"], 1, "will not overwrite an existing file ({work}/m.dg)"),
    ];

    public static TheoryData<string> Names() => [.. All.Select(c => c.Name)];

    [Fact]
    public void The_suite_has_at_least_forty_distinct_inputs()
    {
        Assert.Equal(All.Count, All.Select(c => c.Name).Distinct().Count());
        Assert.True(All.Count + CorruptModelFileTests.Cases().Count >= 40 + 22);
        // DGTOOLS_BADINPUT_TABLE=FILE writes the table of docs/reliability.md.
        if (Environment.GetEnvironmentVariable("DGTOOLS_BADINPUT_TABLE") is { Length: > 0 } file)
        {
            using var scene = new BadInputScene();
            string Placeholders(string text) => text.Replace(scene.Set, "{set}").Replace(scene.Res, "{res}").Replace(scene.Work, "{work}").Replace(scene.Outside, "{outside}");
            static string Code(string text) => "`" + text.Replace("|", "\\|").Replace("\n", "` / `") + "`";
            File.WriteAllLines(file, All.Select((c, i) =>
                $"| {i + 1} | {c.Name} | {Code(string.Join(' ', c.Args(scene).Select(Placeholders).Select(a => a.Length > 60 ? a[..40] + "…" : a)))} | {c.ExitCode} | " +
                $"{Code("error: " + c.Error)} | {(c.Warning is null ? "" : Code(c.Warning))} |"));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Bad_input_gets_one_line_and_changes_nothing(string name)
    {
        var c = All.Single(x => x.Name == name);
        using var scene = new BadInputScene();
        c.Arrange(scene);
        var result = RunUnchanged(scene, c.Args(scene));
        AssertOneLine(result, c.ExitCode, scene.Expand(c.Error), c.Warning is null ? null : scene.Expand(c.Warning));
    }

    [Theory]
    [MemberData(nameof(CorruptModelFileTests.Cases), MemberType = typeof(CorruptModelFileTests))]
    public void Corrupt_model_files_are_refused_by_autotrain_too(string name, byte[] content, string expected)
    {
        using var scene = new BadInputScene();
        scene.GoodPair("a");
        var path = Path.Combine(scene.Work, $"{name}.dg");
        File.WriteAllBytes(path, content);
        var result = RunUnchanged(scene, ["autotrain", path]);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.StartsWith($"error: {expected}", line);
        Assert.EndsWith($"({path})", line);
    }

    internal static CliResult RunUnchanged(BadInputScene scene, string[] args)
    {
        var work = TreeSnapshot.Take(scene.Work);
        var res = TreeSnapshot.Take(scene.Res);
        var result = CliRunner.Run(scene.Work, scene.Res, args);
        work.AssertUnchangedBy(TreeSnapshot.Take(scene.Work));
        res.AssertUnchangedBy(TreeSnapshot.Take(scene.Res));
        Assert.DoesNotContain("   at ", result.Err + result.Out);
        Assert.DoesNotContain("Exception", result.Err + result.Out);
        Assert.DoesNotContain("internal error", result.Err);
        return result;
    }

    private static IEnumerable<string> ErrorLines(CliResult r) => r.Err.Split('\n').Where(l => l.StartsWith("error: "));

    /// <summary>Warning lines without their "HH:mm:ss " stamp.</summary>
    private static IEnumerable<string> WarningLines(CliResult r) =>
        r.Err.Split('\n').Where(l => l.Length > 9 && l[8..].StartsWith(" warning: ")).Select(l => l[9..]);

    private static void AssertOneLine(CliResult result, int exitCode, string error, string? warning)
    {
        var context = $"\nstderr:\n{result.Err}\nstdout:\n{result.Out}";
        Assert.True(exitCode == result.ExitCode, $"exit {result.ExitCode}, expected {exitCode}{context}");
        var errors = ErrorLines(result).ToList();
        Assert.True(errors.Count == 1 && errors[0] == $"error: {error}", $"expected 'error: {error}'{context}");
        var warnings = WarningLines(result).ToList();
        var expected = warning is null ? [] : warning.Split('\n').Select(w => $"warning: {w}").ToList();
        Assert.True(expected.SequenceEqual(warnings), $"expected warnings:\n{string.Join('\n', expected)}{context}");
    }
}

/// <summary>Real tiny models with a changed trait, written as .dg files.</summary>
internal static class ModelFileBytes
{
    public static void Write(string path, bool trainable = true, string language = "en")
    {
        var model = DgTools.Model.ModelFile.Parse(BadInputScene.TinyModelBytes, path);
        var meta = model.Metadata with { Trainable = trainable, Deployable = !trainable, Languages = [language] };
        if (language != "en")
        {
            var fresh = DgTools.Model.NewModel.Create(language, "m", DgTools.Model.NewModel.Preset("tiny"), seed: 3);
            DgTools.Model.ModelFile.Write(path, fresh);
            return;
        }
        DgTools.Model.ModelFile.Write(path, model with { Metadata = meta });
    }
}
