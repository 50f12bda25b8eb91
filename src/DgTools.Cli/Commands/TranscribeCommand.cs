using System.CommandLine;
using DgTools.Decoding;
using DgTools.Model;

namespace DgTools.Cli.Commands;

public static class TranscribeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string>("MODEL") { Description = "The .dg model to transcribe with." };
        var audio = new Argument<string[]>("AUDIO") { Description = "Audio files (wav, mp3, ogg, flac, or anything ffmpeg reads).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one Deepgram-shaped JSON response per file (one per line)." };
        var decoding = DecodingOptionFlags.Create();
        var runtime = RuntimeOptionFlags.Create();
        var command = new Command("transcribe", "Print what a model hears in audio files: one line of text per file.")
        {
            model, audio, json,
        };
        runtime.AddTo(command);
        decoding.AddTo(command);
        command.SetAction(parse =>
        {
            var modelPath = env.ResolvePath(parse.GetValue(model)!);
            var request = new TranscriptionRequest(ModelFiles.Read(env, modelPath), modelPath,
                parse.GetValue(audio)!.Select(env.ResolvePath).ToList(), stored => decoding.Read(parse, stored),
                runtime.Resolve(parse, env).Apply(), decoding.KeywordSpecs(parse));
            foreach (var file in FileTranscription.Run(request))
                env.Out.WriteLine(parse.GetValue(json) ? TranscriptJson.Write(file.Transcript, file.Metadata) : file.Transcript.Text);
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
