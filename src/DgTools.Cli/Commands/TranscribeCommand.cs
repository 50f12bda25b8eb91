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
        var utterances = new Option<bool>("--utterances")
        {
            Description = "With --json: add results.utterances, the words split at pauses (Deepgram's utterances=true).",
        };
        var uttSplit = new Option<double>("--utt-split")
        {
            Description = "With --utterances: the pause in seconds that starts a new utterance (Deepgram's utt_split).",
            DefaultValueFactory = _ => TranscriptJson.DefaultUtteranceSplit,
        };
        uttSplit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && (!double.IsFinite(v) || v < 0 || v > 60))
                r.AddError("--utt-split must be from 0 to 60 seconds");
        });
        var decoding = DecodingOptionFlags.Create();
        var runtime = RuntimeOptionFlags.Create();
        var command = new Command("transcribe", "Print what a model hears in audio files: one line of text per file.")
        {
            model, audio, json, utterances, uttSplit,
        };
        runtime.AddTo(command);
        decoding.AddTo(command);
        command.SetAction(parse =>
        {
            var modelPath = env.ResolvePath(parse.GetValue(model)!);
            var names = parse.GetValue(audio)!;
            var request = new TranscriptionRequest(ModelFiles.Read(env, modelPath), modelPath,
                names.Select(env.ResolvePath).ToList(), stored => decoding.Read(parse, stored),
                runtime.Resolve(parse, env).Apply(), decoding.KeywordSpecs(parse));
            var failed = 0;
            void Skip(AudioError e)
            {
                env.Err.WriteLine($"error: {e.OneLine}");
                failed++;
            }
            var paths = request.AudioPaths.ToList();
            var index = 0;
            foreach (var file in FileTranscription.Run(request, names.Length > 1 ? Skip : null))
            {
                // Several files: each line says which file it is, so a skipped file cannot shift the others.
                var at = paths.IndexOf(file.AudioPath, index);
                var name = names[at];
                index = at + 1;
                if (parse.GetValue(json))
                    env.Out.WriteLine(TranscriptJson.Write(file.Transcript, file.Metadata,
                        utteranceSplit: parse.GetValue(utterances) ? parse.GetValue(uttSplit) : null));
                else env.Out.WriteLine(names.Length > 1 ? $"{name}: {file.Transcript.Text}" : file.Transcript.Text);
            }
            if (failed == 0) return CliApp.Ok;
            env.Err.WriteLine($"error: {failed} of {names.Length} files could not be transcribed (see above)");
            return CliApp.Failed;
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
