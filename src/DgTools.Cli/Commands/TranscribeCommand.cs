using System.CommandLine;
using System.Security.Cryptography;
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Runtime;

namespace DgTools.Cli.Commands;

public static class TranscribeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string>("MODEL") { Description = "The .dg model to transcribe with." };
        var audio = new Argument<string[]>("AUDIO") { Description = "Audio files (wav, mp3, ogg, flac, or anything ffmpeg reads).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one Deepgram-shaped JSON response per file (one per line)." };
        var decoding = DecodingOptionFlags.Create();
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var command = new Command("transcribe", "Print what a model hears in audio files: one line of text per file.")
        {
            model, audio, json, device,
        };
        decoding.AddTo(command);
        command.SetAction(parse =>
        {
            var modelPath = env.ResolvePath(parse.GetValue(model)!);
            var file = ModelFiles.Read(env, modelPath);
            var options = decoding.Read(parse, ModelDecoding.ReadOptions(file, modelPath));
            using var recognizer = new SpeechRecognizer(file, modelPath, options, ComputeDevice.Resolve(parse.GetValue(device)!));
            var keywords = decoding.ReadKeywords(parse, recognizer);
            var info = new TranscriptModelInfo(file.Metadata.Uuid, file.Metadata.Name, file.Metadata.Version);
            foreach (var name in parse.GetValue(audio)!)
            {
                var path = env.ResolvePath(name);
                if (!File.Exists(path)) throw new AudioError("audio file not found", path);
                var transcript = recognizer.TranscribeFile(path, keywords);
                if (!parse.GetValue(json))
                {
                    env.Out.WriteLine(transcript.Text);
                    continue;
                }
                string sha;
                using (var stream = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(stream));
                var metadata = new TranscriptMetadata(Guid.NewGuid().ToString(), sha, DateTimeOffset.UtcNow, [info]);
                env.Out.WriteLine(TranscriptJson.Write(transcript, metadata));
            }
            return CliApp.Ok;
        });
        return command;
    }
}

/// <summary>The decoding flags transcribe and evaluate share; unset flags keep the model's stored options.</summary>
public sealed class DecodingOptionFlags
{
    private readonly Option<bool> _greedy = new("--greedy") { Description = "Greedy decoding, without the word language model." };
    private readonly Option<int?> _beam = new("--beam-size") { Description = "Hypotheses kept by the beam search." };
    private readonly Option<double?> _lmWeight = new("--lm-weight") { Description = "Weight of the word language model." };
    private readonly Option<string[]> _keywords = new("--keywords")
    {
        Description = "A word to boost in the beam search, TERM or TERM:INTENSIFIER (Deepgram's keywords; repeat for more). "
            + "Words the model does not know are spelled into its vocabulary for this run.",
    };

    public static DecodingOptionFlags Create() => new();

    public void AddTo(Command command)
    {
        command.Add(_greedy);
        command.Add(_beam);
        command.Add(_lmWeight);
        command.Add(_keywords);
    }

    /// <summary>The --keywords values, each checked to parse (TERM or TERM:INTENSIFIER).</summary>
    public IReadOnlyList<string> KeywordSpecs(ParseResult parse)
    {
        var specs = parse.GetValue(_keywords) ?? [];
        foreach (var spec in specs)
        {
            try { Keyword.Parse(spec); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        return specs;
    }

    /// <summary>The --keywords spelled in the recognizer's units; null without any.</summary>
    public KeywordBoost? ReadKeywords(ParseResult parse, SpeechRecognizer recognizer) => recognizer.Keywords(KeywordSpecs(parse).ToList());

    public DecodingOptions Read(ParseResult parse, DecodingOptions stored)
    {
        var options = stored;
        if (parse.GetValue(_greedy)) options = options with { Greedy = true };
        if (parse.GetValue(_beam) is { } beam) options = options with { BeamSize = beam };
        if (parse.GetValue(_lmWeight) is { } weight) options = options with { LmWeight = weight };
        try { options.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        return options;
    }
}
